"""Reads about absence: the figures for a set of pupils and a period.

A fixed number of queries for a whole class or school: the pupils' school days and lessons
come from ``elever.selectors`` in one go, their absence entries in one query, and the
arithmetic is ``fravaer.tall``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from elever import selectors as elever_selectors
from fravaer import tall
from fravaer.models import Fravaer


def fravaerstall(
    elev_ids: Iterable[int],
    fra: datetime.date,
    til: datetime.date,
    *,
    uten_permisjon: bool = False,
) -> dict[int, tall.Fravaerstall]:
    """Each pupil's figures from ``fra`` to ``til``, both included."""
    elev_ids = list(elev_ids)
    dager = elever_selectors.skoledager_med_timer(elev_ids, fra, til)
    rader: dict[int, list[tall.Rad]] = defaultdict(list)
    for elev_id, dato, omfang, gyldighet, time in Fravaer.objects.filter(
        elev__in=elev_ids, dato__gte=fra, dato__lte=til
    ).values_list("elev_id", "dato", "omfang", "gyldighet", "time"):
        rader[elev_id].append(tall.Rad(dato, omfang, gyldighet, time))
    return {
        elev_id: tall.beregn(
            skoledager=dager[elev_id],
            timer_per_dag=dager[elev_id],
            rader=rader[elev_id],
            uten_permisjon=uten_permisjon,
        )
        for elev_id in elev_ids
    }
