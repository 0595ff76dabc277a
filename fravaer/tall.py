"""Absence figures as plain arithmetic, without the ORM: the numbers every rule and every
page rests on, so they are tested on their own (hypothesis) and computed one way only.

A whole day absent counts as every lesson the pupil had that day; being at school but absent
from teaching all day counts the same. A late arrival is counted on its own, not as a lesson.
Leave (permisjon) can be left out of the absence, never out of the school days.
"""

import datetime
from collections import Counter
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HELE_DAGEN, TIME, FOR_SENT, TILSTEDE = "hele_dagen", "time", "for_sent", "tilstede"
PERMISJON = "permisjon"


@dataclass(frozen=True)
class Rad:
    """One absence entry as the figures need it."""

    dato: datetime.date
    omfang: str
    gyldighet: str
    time: int | None = None


@dataclass(frozen=True)
class Fravaerstall:
    """A pupil's figures for a period; the absence counts are split by validity."""

    skoledager: int
    timer: int
    dager_borte: Counter = field(default_factory=Counter)
    timer_borte: Counter = field(default_factory=Counter)
    for_sent: Counter = field(default_factory=Counter)

    @property
    def sum_dager_borte(self) -> int:
        return sum(self.dager_borte.values())

    @property
    def sum_timer_borte(self) -> int:
        return sum(self.timer_borte.values())

    @property
    def sum_for_sent(self) -> int:
        return sum(self.for_sent.values())

    @property
    def prosent_dager(self) -> Decimal:
        return prosent(self.sum_dager_borte, self.skoledager)

    @property
    def prosent_timer(self) -> Decimal:
        return prosent(self.sum_timer_borte, self.timer)


def prosent(del_: int, helhet: int) -> Decimal:
    """Percent with one decimal, rounded half up as people expect (8,25 → 8,3)."""
    if helhet <= 0:
        return Decimal("0.0")
    return (Decimal(del_) * 100 / Decimal(helhet)).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass
class Telling:
    """A pupil's absence of one validity on school days: the dates of whole days away (each
    counts that day's lessons), single lessons away, late arrivals."""

    hele_dager: list[datetime.date] = field(default_factory=list)
    timer: int = 0
    for_sent: int = 0


def tell(rader: Iterable[Rad], skoledager: Container[datetime.date]) -> dict[str, Telling]:
    """Entries by validity, leaving out those on days that are not the pupil's school days
    (a holiday, outside the period or the enrolment)."""
    tellinger: dict[str, Telling] = {}
    for rad in rader:
        if rad.dato not in skoledager:
            continue
        telling = tellinger.setdefault(rad.gyldighet, Telling())
        if rad.omfang == FOR_SENT:
            telling.for_sent += 1
        elif rad.omfang == HELE_DAGEN or (rad.omfang == TILSTEDE and rad.time is None):
            telling.hele_dager.append(rad.dato)
        else:
            telling.timer += 1
    return tellinger


def fra_telling(
    *,
    timer_per_dag: Mapping[datetime.date, int],
    tellinger: Mapping[str, Telling],
    uten_permisjon: bool = False,
    timer_i_alt: int | None = None,
) -> Fravaerstall:
    """The figures from a pupil's school days (``timer_per_dag``: each school day and its
    number of lessons) and their counted absence. ``timer_i_alt`` is the sum of the
    lessons when the caller has it (pupils sharing a timetable share the sum)."""
    dager_borte: Counter = Counter()
    timer_borte: Counter = Counter()
    for_sent: Counter = Counter()
    for gyldighet, telling in tellinger.items():
        if uten_permisjon and gyldighet == PERMISJON:
            continue
        if telling.hele_dager:
            dager_borte[gyldighet] += len(telling.hele_dager)
        timer_hele = sum(timer_per_dag.get(d, 0) for d in telling.hele_dager)
        if timer_hele + telling.timer:
            timer_borte[gyldighet] += timer_hele + telling.timer
        if telling.for_sent:
            for_sent[gyldighet] += telling.for_sent
    return Fravaerstall(
        skoledager=len(timer_per_dag),
        timer=sum(timer_per_dag.values()) if timer_i_alt is None else timer_i_alt,
        dager_borte=dager_borte,
        timer_borte=timer_borte,
        for_sent=for_sent,
    )


def beregn(
    *,
    skoledager: Iterable[datetime.date],
    timer_per_dag: Mapping[datetime.date, int],
    rader: Iterable[Rad],
    uten_permisjon: bool = False,
) -> Fravaerstall:
    """The figures for one pupil: ``skoledager`` are the pupil's school days in the period,
    ``timer_per_dag`` their number of lessons each day, ``rader`` their absence entries.
    Entries on other days (a holiday, outside the period) do not count."""
    dager = set(skoledager)
    return fra_telling(
        timer_per_dag={d: timer_per_dag.get(d, 0) for d in dager},
        tellinger=tell(rader, dager),
        uten_permisjon=uten_permisjon,
    )
