"""The school calendar as plain date logic, without the ORM: which days are school days.

The number of school days in a period is the denominator of every absence percentage, so
this is kept small and tested on its own. ``elever.selectors.skolerute`` builds a
``Skolerute`` from the database for one school and school year.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import holidays
from django.utils.translation import gettext as _

EN_DAG = datetime.timedelta(days=1)
SKOLEAARET_BEGYNNER = 8  # August: a school year runs 1 August – 31 July


def startaar(dato: datetime.date) -> int:
    """The school year containing ``dato``, by the calendar year it starts in."""
    return dato.year if dato.month >= SKOLEAARET_BEGYNNER else dato.year - 1


@dataclass(frozen=True)
class Unntak:
    """A departure from the normal week. ``skoledag`` True is an extra school day."""

    fra: datetime.date
    til: datetime.date
    navn: str
    skoledag: bool = False

    def dekker(self, dato: datetime.date) -> bool:
        return self.fra <= dato <= self.til


@cache
def _helligdager_aar(aar: int) -> dict[datetime.date, str]:
    return dict(holidays.Norway(years=aar, language="no"))


def offentlige_fridager(fra: datetime.date, til: datetime.date) -> dict[datetime.date, str]:
    """Norwegian public holidays (from the ``holidays`` package) between two dates."""
    dager: dict[datetime.date, str] = {}
    for aar in range(fra.year, til.year + 1):
        dager.update({d: n for d, n in _helligdager_aar(aar).items() if fra <= d <= til})
    return dager


def dager(fra: datetime.date, til: datetime.date) -> Iterable[datetime.date]:
    dato = fra
    while dato <= til:
        yield dato
        dato += EN_DAG


class Skolerute:
    """One school's calendar for one school year.

    A school day is a weekday between the first and last school day that is neither a public
    holiday nor inside a holiday, planning day or other day off; an extra school day (a
    Saturday, say) overrides all of that.
    """

    def __init__(
        self,
        *,
        forste_skoledag: datetime.date,
        siste_skoledag: datetime.date,
        unntak: Iterable[Unntak] = (),
        helligdager: Mapping[datetime.date, str] | None = None,
    ):
        self.forste_skoledag = forste_skoledag
        self.siste_skoledag = siste_skoledag
        self.unntak = sorted(unntak, key=lambda u: (u.fra, u.skoledag))
        self.helligdager = dict(
            offentlige_fridager(forste_skoledag, siste_skoledag)
            if helligdager is None
            else helligdager
        )

    def grunn_til_fri(self, dato: datetime.date) -> str | None:
        """Why ``dato`` is not a school day, in words for the page; None on a school day."""
        if not self.forste_skoledag <= dato <= self.siste_skoledag:
            return _("Utenfor skoleåret")
        fri: str | None = None
        if dato.weekday() == 5:
            fri = _("Lørdag")
        elif dato.weekday() == 6:
            fri = _("Søndag")
        elif dato in self.helligdager:
            fri = self.helligdager[dato]
        for unntak in self.unntak:
            if unntak.dekker(dato):
                if unntak.skoledag:
                    return None
                fri = fri or unntak.navn
        return fri

    def er_skoledag(self, dato: datetime.date) -> bool:
        return self.grunn_til_fri(dato) is None

    def skoledager(self, fra: datetime.date, til: datetime.date) -> list[datetime.date]:
        fra, til = max(fra, self.forste_skoledag), min(til, self.siste_skoledag)
        return [d for d in dager(fra, til) if self.er_skoledag(d)]

    def antall_skoledager(self, fra: datetime.date, til: datetime.date) -> int:
        return len(self.skoledager(fra, til))

    def forrige_skoledag(self, dato: datetime.date) -> datetime.date | None:
        dato -= EN_DAG
        while dato >= self.forste_skoledag:
            if self.er_skoledag(dato):
                return dato
            dato -= EN_DAG
        return None

    def neste_skoledag(self, dato: datetime.date) -> datetime.date | None:
        dato += EN_DAG
        while dato <= self.siste_skoledag:
            if self.er_skoledag(dato):
                return dato
            dato += EN_DAG
        return None


def slaa_sammen(
    datoer: Iterable[datetime.date], *, over_helg: bool = True
) -> list[tuple[datetime.date, datetime.date]]:
    """Consecutive dates as (first, last) runs. With ``over_helg`` a weekend between two
    weekdays does not break a run, so a holiday week imports as one period; days that are
    *added* as school days must not bridge a weekend, or the Sunday would become one."""
    perioder: list[list[datetime.date]] = []
    for dato in sorted(set(datoer)):
        sammenhengende = perioder and (
            _bare_helg_mellom(perioder[-1][1], dato)
            if over_helg
            else dato - perioder[-1][1] == EN_DAG
        )
        if sammenhengende:
            perioder[-1][1] = dato
        else:
            perioder.append([dato, dato])
    return [(fra, til) for fra, til in perioder]


def _bare_helg_mellom(forrige: datetime.date, dato: datetime.date) -> bool:
    return all(d.weekday() >= 5 for d in dager(forrige + EN_DAG, dato - EN_DAG))
