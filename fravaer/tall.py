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
    dager_borte: Counter = Counter()
    timer_borte: Counter = Counter()
    for_sent: Counter = Counter()
    for rad in rader:
        if rad.dato not in dager or (uten_permisjon and rad.gyldighet == PERMISJON):
            continue
        if rad.omfang == FOR_SENT:
            for_sent[rad.gyldighet] += 1
        elif rad.omfang == HELE_DAGEN or (rad.omfang == TILSTEDE and rad.time is None):
            dager_borte[rad.gyldighet] += 1
            timer_borte[rad.gyldighet] += timer_per_dag.get(rad.dato, 0)
        else:
            timer_borte[rad.gyldighet] += 1
    return Fravaerstall(
        skoledager=len(dager),
        timer=sum(timer_per_dag.get(d, 0) for d in dager),
        dager_borte=dager_borte,
        timer_borte=timer_borte,
        for_sent=for_sent,
    )
