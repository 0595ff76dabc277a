"""Norwegian national identity numbers (fødselsnummer and D-nummer), without the ORM.

Numbers issued from 2032 allow four values of the first check digit (Skatteetaten, "Nytt
fødselsnummer fra 2032") and no longer tell gender or century, so both rules are accepted here
and neither gender nor century is read from the individual number. Gender is never derived.
"""

import datetime

from django.utils.translation import gettext as _

VEKTER_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)
VEKTER_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


class UgyldigFodselsnummer(ValueError):
    """The number is not a valid fødselsnummer or D-nummer; the message says why in bokmål."""


def _vektet_rest(vekter: tuple[int, ...], nummer: str) -> int:
    return sum(v * int(s) for v, s in zip(vekter, nummer, strict=False)) % 11


def kontrollsifre(ni_sifre: str) -> str | None:
    """The two check digits the first nine digits give, by the classic rule (the one
    numbers issued before 2032 follow); None when a digit would be 10 (no such number)."""
    k1 = (11 - _vektet_rest(VEKTER_K1, ni_sifre)) % 11
    if k1 == 10:
        return None
    k2 = (11 - _vektet_rest(VEKTER_K2, f"{ni_sifre}{k1}")) % 11
    return None if k2 == 10 else f"{k1}{k2}"


def _dato_deler(nummer: str, *, syntetisk_tillatt: bool) -> tuple[int, int, int]:
    dag, maaned, aar = int(nummer[0:2]), int(nummer[2:4]), int(nummer[4:6])
    if dag > 40:  # D-nummer: the first digit is raised by 4.
        dag -= 40
    if syntetisk_tillatt and maaned > 80:  # Skatteetaten's synthetic test numbers (Tenor).
        maaned -= 80
    elif maaned > 40:
        raise UgyldigFodselsnummer(
            _("Dette er et hjelpenummer (H-nummer), ikke et fødselsnummer eller D-nummer.")
        )
    return dag, maaned, aar


def normaliser(verdi: str) -> str:
    """The eleven digits, without the spaces, dots or dashes people type."""
    return "".join(c for c in str(verdi) if c not in " .-\u00a0")


def valider(verdi: str, *, syntetisk_tillatt: bool = False) -> str:
    """Return the eleven digits or raise UgyldigFodselsnummer with the reason.

    Checks length, the date part (also for D-numbers) and both check digits under today's rule
    and the 2032 rule. ``syntetisk_tillatt`` admits Skatteetaten's synthetic test numbers
    (month + 80), which demo and test data use instead of real people's numbers.
    """
    nummer = normaliser(verdi)
    if not (len(nummer) == 11 and nummer.isascii() and nummer.isdigit()):
        raise UgyldigFodselsnummer(_("Et fødselsnummer har 11 sifre."))
    dag, maaned, aar = _dato_deler(nummer, syntetisk_tillatt=syntetisk_tillatt)
    if not any(_gyldig_dato(aarhundre + aar, maaned, dag) for aarhundre in (1900, 2000)):
        raise UgyldigFodselsnummer(_("De seks første sifrene er ikke en gyldig dato."))
    if _vektet_rest(VEKTER_K1, nummer) > 3 or _vektet_rest(VEKTER_K2, nummer) != 0:
        raise UgyldigFodselsnummer(
            _("Kontrollsifrene stemmer ikke. Sjekk at nummeret er skrevet riktig.")
        )
    return nummer


def _gyldig_dato(aar: int, maaned: int, dag: int) -> bool:
    try:
        datetime.date(aar, maaned, dag)
    except ValueError:
        return False
    return True


def fodselsdato(nummer: str, *, i_dag: datetime.date) -> datetime.date:
    """The birth date the number most likely encodes: the latest century not in the future.

    Only an estimate for numbers issued from 2032; prefer a birth date from the school's data.
    """
    dag, maaned, aar = _dato_deler(nummer, syntetisk_tillatt=True)
    for aarhundre in (2000, 1900):
        if _gyldig_dato(aarhundre + aar, maaned, dag):
            dato = datetime.date(aarhundre + aar, maaned, dag)
            if dato <= i_dag:
                return dato
    return datetime.date(1900 + aar, maaned, dag)


def masker(nummer: str) -> str:
    """``ddmmyy *****``: the birth date part only, as lists and printouts show it."""
    return f"{nummer[:6]} *****"
