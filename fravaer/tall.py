"""Absence figures as plain arithmetic, without the ORM: the numbers every rule and every
page rests on, so they are tested on their own (hypothesis) and computed one way only.

A whole day absent counts as every lesson the pupil had that day; being at school but absent
from teaching all day counts the same. A late arrival is counted on its own, not as a lesson.
Leave (permisjon) can be left out of the absence, never out of the school days.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from fravaer.regler import PERMISJON

HELE_DAGEN, TIME, FOR_SENT, TILSTEDE = "hele_dagen", "time", "for_sent", "tilstede"


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
    """A pupil's absence of one validity on their school days: whole days away, the lessons
    missed (a whole day counts each of that day's lessons), late arrivals."""

    dager: int = 0
    timer: int = 0
    for_sent: int = 0


def tell(rader: Iterable[Rad], timer_per_dag: Mapping[datetime.date, int]) -> dict[str, Telling]:
    """Entries by validity, leaving out those on days that are not the pupil's school days
    (a holiday, outside the period or the enrolment). ``fravaer.selectors`` counts the same
    way in SQL."""
    tellinger: dict[str, Telling] = {}
    for rad in rader:
        if rad.dato not in timer_per_dag:
            continue
        telling = tellinger.setdefault(rad.gyldighet, Telling())
        if rad.omfang == FOR_SENT:
            telling.for_sent += 1
        elif rad.omfang == HELE_DAGEN or (rad.omfang == TILSTEDE and rad.time is None):
            telling.dager += 1
            telling.timer += timer_per_dag[rad.dato]
        else:
            telling.timer += 1
    return tellinger


def fra_telling(
    *,
    skoledager: int,
    timer: int,
    tellinger: Mapping[str, Telling],
    uten_permisjon: bool = False,
) -> Fravaerstall:
    """The figures from a pupil's number of school days and lessons in the period and their
    counted absence."""
    dager_borte: Counter = Counter()
    timer_borte: Counter = Counter()
    for_sent: Counter = Counter()
    for gyldighet, telling in tellinger.items():
        if uten_permisjon and gyldighet == PERMISJON:
            continue
        if telling.dager:
            dager_borte[gyldighet] = telling.dager
        if telling.timer:
            timer_borte[gyldighet] = telling.timer
        if telling.for_sent:
            for_sent[gyldighet] = telling.for_sent
    return Fravaerstall(skoledager, timer, dager_borte, timer_borte, for_sent)


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
    plan = {d: timer_per_dag.get(d, 0) for d in set(skoledager)}
    return fra_telling(
        skoledager=len(plan),
        timer=sum(plan.values()),
        tellinger=tell(rader, plan),
        uten_permisjon=uten_permisjon,
    )
