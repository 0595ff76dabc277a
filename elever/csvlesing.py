"""Reading the CSV files schools and municipalities upload, the way Norwegian Excel writes them.

Excel in Norway saves "CSV UTF-8" with a byte order mark and semicolons, other systems write
commas; both are read here. Encodings are never guessed: a Latin-1 file read as UTF-8 would
turn "Åse" into garbage that then gets stored, so anything but UTF-8 is refused with a message
saying how to save the file. Every problem is collected so a refusal lists them all.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from elever import fodselsnummer
from elever.importdata import Importfeil, Kilde, Linjefeil

ISO_DATO = re.compile(r"\d{4}-\d{2}-\d{2}")
NORSK_DATO = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


@dataclass(frozen=True)
class Rad:
    """One data row: values by lower-case column name, and the line it starts on (1 = header)."""

    fil: str
    linje: int
    verdier: Mapping[str, str]

    def __getitem__(self, kolonne: str) -> str:
        """The stripped value, or "" when the column is absent or the row is short."""
        return self.verdier.get(kolonne.lower(), "")

    @property
    def kilde(self) -> Kilde:
        return Kilde(self.fil, self.linje)

    def feil(self, grunn: str) -> Linjefeil:
        return Linjefeil(self.fil, self.linje, grunn)


@dataclass(frozen=True)
class Tabell:
    fil: str
    kolonner: tuple[str, ...]  # lower-case, as in the header
    rader: list[Rad]

    def har(self, kolonne: str) -> bool:
        return kolonne.lower() in self.kolonner


def utf8_feil(filnavn: str) -> Linjefeil:
    return Linjefeil(
        filnavn,
        None,
        _("Filen er ikke lagret som UTF-8. Lagre den som «CSV UTF-8» i Excel og prøv igjen."),
    )


def dekod(innhold: bytes, *, filnavn: str) -> str:
    """The text of a UTF-8 file with or without BOM; anything else is refused."""
    try:
        return innhold.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Importfeil([utf8_feil(filnavn)]) from None


def les_csv(innhold: bytes, *, filnavn: str, paakrevde: Iterable[str] = ()) -> Tabell:
    """Read a comma- or semicolon-separated file into rows keyed by lower-case column name.

    Raises Importfeil listing every structural problem (encoding, missing columns, broken
    quoting, rows with more values than columns). Blank rows, also Excel's ``;;;;``, are
    skipped; line numbers count physical lines, so a quoted value spanning two lines moves
    the following rows down as a text editor would show them.
    """
    tekst = dekod(innhold, filnavn=filnavn)
    if not tekst.strip():
        raise Importfeil([Linjefeil(filnavn, None, _("Filen er tom."))])
    if "\x00" in tekst:
        raise Importfeil(_nulltegn(tekst, filnavn))
    forste_linje = tekst.splitlines()[0]
    skilletegn = ";" if forste_linje.count(";") > forste_linje.count(",") else ","
    leser = csv.reader(io.StringIO(tekst, newline=""), delimiter=skilletegn, strict=True)
    feil: list[Linjefeil] = []
    rader: list[Rad] = []
    try:
        hode = [navn.strip().lower() for navn in next(leser)]
        feil += _sjekk_hode(hode, filnavn, paakrevde)
        while True:
            linje = leser.line_num + 1
            try:
                celler = next(leser)
            except StopIteration:
                break
            verdier = [c.strip() for c in celler]
            if not any(verdier):
                continue
            if any(verdier[len(hode) :]):
                feil.append(
                    Linjefeil(
                        filnavn,
                        linje,
                        _(
                            "Linjen har %(antall)d verdier, men overskriften har bare "
                            "%(kolonner)d kolonner. Står det et skilletegn (%(tegn)s) inne i "
                            "en verdi uten anførselstegn rundt?"
                        )
                        % {"antall": len(verdier), "kolonner": len(hode), "tegn": skilletegn},
                    )
                )
                continue
            rader.append(
                Rad(filnavn, linje, {k: v for k, v in zip(hode, verdier, strict=False) if k})
            )
    except csv.Error:
        feil.append(
            Linjefeil(
                filnavn,
                leser.line_num,
                _('Linjen kan ikke leses. Sjekk at anførselstegn (") står i par.'),
            )
        )
    if feil:
        raise Importfeil(feil)
    return Tabell(filnavn, tuple(hode), rader)


def _nulltegn(tekst: str, filnavn: str) -> list[Linjefeil]:
    """An error for every line holding a NUL character: PostgreSQL cannot store one, and a
    file full of them is usually UTF-16 (Excel's «Unicode-tekst»)."""
    # Lines split as the csv reader counts them: at \n, \r and \r\n.
    linjer = io.StringIO(tekst, newline="")
    return [
        Linjefeil(
            filnavn,
            nummer,
            _(
                "Linjen inneholder et nulltegn, som ikke kan lagres. Lagre filen som "
                "«CSV UTF-8» i Excel og prøv igjen."
            ),
        )
        for nummer, linje in enumerate(linjer, start=1)
        if "\x00" in linje
    ]


def _sjekk_hode(hode: list[str], filnavn: str, paakrevde: Iterable[str]) -> list[Linjefeil]:
    feil = []
    doble = sorted({k for k in hode if k and hode.count(k) > 1})
    if doble:
        feil.append(
            Linjefeil(
                filnavn,
                1,
                _("Disse kolonnene står mer enn én gang: %(kolonner)s.")
                % {"kolonner": ", ".join(doble)},
            )
        )
    mangler = [k for k in paakrevde if k.lower() not in hode]
    if mangler:
        feil.append(
            Linjefeil(
                filnavn,
                1,
                _("Filen mangler disse kolonnene: %(kolonner)s.")
                % {"kolonner": ", ".join(mangler)},
            )
        )
    return feil


def tolk_dato(verdi: str) -> datetime.date:
    """A date written as 2026-08-17 or 17.08.2026; ValueError with a bokmål reason otherwise."""
    try:
        if ISO_DATO.fullmatch(verdi):
            return datetime.date.fromisoformat(verdi)
        if treff := NORSK_DATO.fullmatch(verdi):
            dag, maaned, aar = (int(d) for d in treff.groups())
            return datetime.date(aar, maaned, dag)
    except ValueError:
        pass
    raise ValueError(
        _("«%(verdi)s» er ikke en gyldig dato. Skriv den som 17.08.2026 eller 2026-08-17.")
        % {"verdi": verdi}
    )


def dato(rad: Rad, kolonne: str, feil: list[Linjefeil]) -> datetime.date | None:
    """The date in ``kolonne``; None when empty, and an error added when it is not a date."""
    if not rad[kolonne]:
        return None
    try:
        return tolk_dato(rad[kolonne])
    except ValueError as exc:
        feil.append(rad.feil(f"{kolonne}: {exc}"))
        return None


def tolk_fodselsnummer(verdi: str, *, syntetisk_tillatt: bool) -> str:
    """``fodselsnummer.valider`` with a reason that names the number, and a hint when Excel
    has dropped the leading zero (it reads the column as a number)."""
    try:
        return fodselsnummer.valider(verdi, syntetisk_tillatt=syntetisk_tillatt)
    except fodselsnummer.UgyldigFodselsnummer as exc:
        grunn = _("Fødselsnummeret %(fnr)s er ugyldig: %(grunn)s") % {"fnr": verdi, "grunn": exc}
        sifre = fodselsnummer.normaliser(verdi)
        if len(sifre) == 10 and sifre.isdigit():
            grunn += " " + _(
                "Har Excel fjernet nullen foran? Formater kolonnen som tekst før du lagrer."
            )
        raise fodselsnummer.UgyldigFodselsnummer(grunn) from exc


def tekst(
    rad: Rad, kolonne: str, maks: int, feil: list[Linjefeil], verdi: str | None = None
) -> str:
    """The value (or ``verdi``), with an error added when it is longer than Nærvær stores."""
    verdi = rad[kolonne] if verdi is None else verdi
    if len(verdi) > maks:
        feil.append(
            rad.feil(
                _("%(kolonne)s er for lang: høyst %(maks)d tegn.")
                % {"kolonne": kolonne, "maks": maks}
            )
        )
    return verdi


def epost(rad: Rad, kolonne: str, feil: list[Linjefeil]) -> str:
    verdi = rad[kolonne]
    if verdi:
        try:
            validate_email(verdi)
        except ValidationError:
            feil.append(
                rad.feil(
                    _("%(kolonne)s: «%(verdi)s» er ikke en gyldig e-postadresse.")
                    % {"kolonne": kolonne, "verdi": verdi}
                )
            )
    return verdi


def dupliserte(rader: Iterable[tuple[str, Rad]], melding: str) -> list[Linjefeil]:
    """An error on every row whose key an earlier row already has; ``melding`` gets
    ``%(verdi)s`` and ``%(linje)s`` (the earlier line)."""
    forste: dict[str, Rad] = {}
    feil = []
    for noekkel, rad in rader:
        if noekkel in forste:
            feil.append(rad.feil(melding % {"verdi": noekkel, "linje": forste[noekkel].linje}))
        else:
            forste[noekkel] = rad
    return feil
