"""The absence CSV that schools moving from Visma Flyt Skole, IST or Vigilo bring their
history in (docs/import.md): read into rows, every problem listed with its line."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from elever import csvlesing
from elever.importdata import Importfeil, Kilde, Linjefeil
from fravaer import regler
from fravaer.models import Gyldighet, Omfang

KOLONNER = ("elev", "dato", "omfang")
JA_NEI = {"ja": True, "nei": False, "": False}
# "permisjon" is read, so its lines are refused with the reason (``services._sjekk``).
REGISTRERBARE = [g for g in Gyldighet.values if regler.kan_registreres(g)]


@dataclass(frozen=True)
class Fravaerrad:
    elev: str  # a fødselsnummer (11 digits) or the pupil's source id from the roster import
    dato: datetime.date
    omfang: str
    kilde: Kilde
    time: int | None = None
    minutter: int | None = None
    gyldighet: str = Gyldighet.UKJENT
    meldt: bool = False


def _tall(rad: csvlesing.Rad, kolonne: str, feil: list[Linjefeil]) -> int | None:
    if not rad[kolonne]:
        return None
    if not (rad[kolonne].isascii() and rad[kolonne].isdigit()):
        feil.append(rad.feil(_("%(kolonne)s må være et helt tall.") % {"kolonne": kolonne}))
        return None
    return int(rad[kolonne])


def les_fravaerfil(
    innhold: bytes, *, filnavn: str, feil: list[Linjefeil] | None = None
) -> list[Fravaerrad]:
    """The file's entries. Lines that cannot be read are refused all together; with
    ``feil``, their reasons are added to it instead and the readable lines returned, so the
    import can report every line's problem in one round."""
    tabell = csvlesing.les_csv(innhold, filnavn=filnavn, paakrevde=KOLONNER)
    samlet = feil
    feil = []
    rader = []
    for rad in tabell.rader:
        dato = csvlesing.dato(rad, "dato", feil)
        omfang = rad["omfang"].lower()
        gyldighet = rad["gyldighet"].lower() or Gyldighet.UKJENT
        if omfang not in Omfang.values:
            feil.append(
                rad.feil(
                    _("omfang «%(verdi)s» er ukjent; bruk %(lovlige)s.")
                    % {"verdi": rad["omfang"], "lovlige": ", ".join(Omfang.values)}
                )
            )
        if gyldighet not in Gyldighet.values:
            feil.append(
                rad.feil(
                    _("gyldighet «%(verdi)s» er ukjent; bruk %(lovlige)s.")
                    % {"verdi": rad["gyldighet"], "lovlige": ", ".join(REGISTRERBARE)}
                )
            )
        if rad["meldt"].lower() not in JA_NEI:
            feil.append(rad.feil(_("meldt må være ja eller nei.")))
        if not rad["elev"]:
            feil.append(rad.feil(_("elev mangler.")))
        if dato is None and not rad["dato"]:
            feil.append(rad.feil(_("dato mangler.")))
        time, minutter = _tall(rad, "time", feil), _tall(rad, "minutter", feil)
        if dato is not None:
            rader.append(
                Fravaerrad(
                    elev=rad["elev"].replace(" ", ""),
                    dato=dato,
                    omfang=omfang,
                    kilde=rad.kilde,
                    time=time,
                    minutter=minutter,
                    gyldighet=gyldighet,
                    meldt=JA_NEI.get(rad["meldt"].lower(), False),
                )
            )
    if samlet is not None:
        samlet.extend(feil)
    elif feil:
        raise Importfeil(feil)
    return rader
