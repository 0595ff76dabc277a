"""The school calendar (skolerute) as Norwegian municipalities publish it as open data.

One row per school per day: ``dato,skole,elevdag,laererdag,sfodag,kommentar`` with Ja/Nei
values (Stavanger's format). A blank ``skole`` means every school in the kommune. Which
school a name or organisation number means is the service's business; here the rows are only
read and checked.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from elever.csvlesing import Rad, les_csv, tolk_dato
from elever.importdata import Importfeil, Linjefeil

KOLONNER = ("dato", "skole", "elevdag", "laererdag")
JA_NEI = {"ja": True, "nei": False}


@dataclass(frozen=True)
class SkoleruteRad:
    dato: datetime.date
    skole: str  # a name, an organisation number, or "" for every school
    elevdag: bool
    laererdag: bool
    kommentar: str
    linje: int


def les_skolerute(innhold: bytes, *, filnavn: str) -> list[SkoleruteRad]:
    """The file's days in file order; Importfeil lists every wrong line.

    A day repeated with the same values is kept once; repeated with different values it is
    an error, since the file then says two things about the same day.
    """
    tabell = les_csv(innhold, filnavn=filnavn, paakrevde=KOLONNER)
    feil: list[Linjefeil] = []
    rader: list[SkoleruteRad] = []
    sett: dict[tuple[datetime.date, str], SkoleruteRad] = {}
    for rad in tabell.rader:
        skoledag = _les_rad(rad, feil)
        if skoledag is None:
            continue
        noekkel = (skoledag.dato, _skolenoekkel(skoledag.skole))
        tidligere = sett.get(noekkel)
        if tidligere is None:
            sett[noekkel] = skoledag
            rader.append(skoledag)
        elif _verdier(tidligere) != _verdier(skoledag):
            feil.append(
                rad.feil(
                    _(
                        "%(dato)s for %(skole)s står også på linje %(linje)d, med andre "
                        "verdier. Slett den ene linjen."
                    )
                    % {
                        "dato": f"{skoledag.dato:%d.%m.%Y}",
                        "skole": skoledag.skole or _("alle skoler"),
                        "linje": tidligere.linje,
                    }
                )
            )
    if feil:
        raise Importfeil(feil)
    return rader


def _les_rad(rad: Rad, feil: list[Linjefeil]) -> SkoleruteRad | None:
    antall_feil = len(feil)
    dag = None
    try:
        dag = tolk_dato(rad["dato"])
    except ValueError as exc:
        feil.append(rad.feil(f"dato: {exc}"))
    verdier = {}
    for kolonne in ("elevdag", "laererdag", "sfodag"):
        verdi = rad[kolonne].casefold()
        if verdi in JA_NEI or (kolonne == "sfodag" and not verdi):
            verdier[kolonne] = JA_NEI.get(verdi, False)
        elif not verdi:
            feil.append(
                rad.feil(_("%(kolonne)s må fylles ut med Ja eller Nei.") % {"kolonne": kolonne})
            )
        else:
            feil.append(
                rad.feil(
                    _("%(kolonne)s må være Ja eller Nei, ikke «%(verdi)s».")
                    % {"kolonne": kolonne, "verdi": rad[kolonne]}
                )
            )
    if len(feil) > antall_feil or dag is None:
        return None
    return SkoleruteRad(
        dato=dag,
        skole=rad["skole"],
        elevdag=verdier["elevdag"],
        laererdag=verdier["laererdag"],
        kommentar=rad["kommentar"],
        linje=rad.linje,
    )


def _skolenoekkel(skole: str) -> str:
    """The same school however written: spaces in an organisation number, case in a name."""
    if skole.replace(" ", "").isdigit():
        return skole.replace(" ", "")
    return " ".join(skole.split()).casefold()


def _verdier(rad: SkoleruteRad) -> tuple[bool, bool, str]:
    return rad.elevdag, rad.laererdag, rad.kommentar
