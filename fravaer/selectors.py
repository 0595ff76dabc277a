"""Reads about absence: the figures for a set of pupils and a period.

A fixed number of queries for a whole class or school: the pupils' school days and lessons
come from ``elever.selectors`` in one go, their absence entries in one query, and the
arithmetic is ``fravaer.tall``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db.models import Exists, OuterRef, QuerySet

from elever import selectors as elever_selectors
from elever.kalender import Skolerute
from elever.models import Elev, Klasse
from fravaer import tall
from fravaer.models import Fravaer, Omfang, Permisjonssoknad, Registrering


def fravaerstall(
    elev_ids: Iterable[int],
    fra: datetime.date,
    til: datetime.date,
    *,
    uten_permisjon: bool = False,
    ruter: Mapping[int, Skolerute] | None = None,
) -> dict[int, tall.Fravaerstall]:
    """Each pupil's figures from ``fra`` to ``til``, both included. ``ruter``: calendars the
    caller already has, by school id (see ``elever.selectors.skoledager_med_timer``)."""
    elev_ids = list(elev_ids)
    rader = Fravaer.objects.filter(elev__in=elev_ids, dato__gte=fra, dato__lte=til).values_list(
        "elev_id", "dato", "omfang", "gyldighet", "time"
    )
    return _beregn(
        elev_ids,
        fra,
        til,
        ((elev_id, tall.Rad(*rad)) for elev_id, *rad in rader.order_by()),
        uten_permisjon=uten_permisjon,
        ruter=ruter,
    )


def dagens_fravaer_og_tall(
    elev_ids: Iterable[int],
    dato: datetime.date,
    fra: datetime.date,
    *,
    ruter: Mapping[int, Skolerute] | None = None,
) -> tuple[dict[int, list[Fravaer]], dict[int, tall.Fravaerstall]]:
    """What a register shows: each pupil's entries on ``dato`` and their figures from ``fra``
    to ``dato``, from one read of the entries."""
    elev_ids = list(elev_ids)
    dagens: dict[int, list[Fravaer]] = defaultdict(list)
    rader = []
    for f in Fravaer.objects.filter(elev__in=elev_ids, dato__gte=fra, dato__lte=dato).order_by():
        rader.append((f.elev_id, tall.Rad(f.dato, f.omfang, f.gyldighet, f.time)))
        if f.dato == dato:
            dagens[f.elev_id].append(f)
    return dagens, _beregn(elev_ids, fra, dato, rader, ruter=ruter)


def _beregn(
    elev_ids: list[int],
    fra: datetime.date,
    til: datetime.date,
    rader: Iterable[tuple[int, tall.Rad]],
    *,
    uten_permisjon: bool = False,
    ruter: Mapping[int, Skolerute] | None = None,
) -> dict[int, tall.Fravaerstall]:
    dager = elever_selectors.skoledager_med_timer(elev_ids, fra, til, ruter=ruter)
    per_elev: dict[int, list[tall.Rad]] = defaultdict(list)
    for elev_id, rad in rader:
        per_elev[elev_id].append(rad)
    return {
        elev_id: tall.beregn(
            skoledager=dager[elev_id],
            timer_per_dag=dager[elev_id],
            rader=per_elev[elev_id],
            uten_permisjon=uten_permisjon,
        )
        for elev_id in elev_ids
    }


def klasser_ikke_registrert(klasser: QuerySet[Klasse], dato: datetime.date) -> list[Klasse]:
    """The classes whose register is not confirmed for ``dato``, among those that have school
    that day (a class on a planning day has nothing to register)."""
    uten = klasser.exclude(
        Exists(Registrering.objects.filter(klasse=OuterRef("pk"), dato=dato))
    ).select_related("skole", "skolear")
    skoledag: dict[int, bool] = {}
    resultat = []
    for klasse in uten.order_by("skole__navn", "trinn", "navn"):
        if klasse.skole_id not in skoledag:
            skoledag[klasse.skole_id] = bool(elever_selectors.skoledager(klasse.skole, dato, dato))
        if skoledag[klasse.skole_id]:
            resultat.append(klasse)
    return resultat


def uten_melding_fra_hjemmet(
    elev_ids: Iterable[int], dato: datetime.date, *, mer_enn: int = 3
) -> dict[int, int]:
    """Pupils absent whole days for more than ``mer_enn`` school days in a row up to
    ``dato`` with no word from home on any of them: pupil id -> days. The kontaktlærer must
    call (DESIGN §3)."""
    elev_ids = list(elev_ids)
    fra = dato - datetime.timedelta(days=30)
    dager = elever_selectors.skoledager_med_timer(elev_ids, fra, dato)
    borte: dict[int, dict[datetime.date, bool]] = defaultdict(dict)
    for elev_id, dag, meldt in Fravaer.objects.filter(
        elev__in=elev_ids, dato__gte=fra, dato__lte=dato, omfang=Omfang.HELE_DAGEN
    ).values_list("elev_id", "dato", "meldt_av_foresatte"):
        borte[elev_id][dag] = meldt
    resultat = {}
    for elev_id in elev_ids:
        rekke = 0
        for dag in sorted(dager[elev_id], reverse=True):
            if dag == dato and dag not in borte[elev_id]:
                continue  # today may not be registered yet
            if dag not in borte[elev_id] or borte[elev_id][dag]:
                break
            rekke += 1
        if rekke > mer_enn:
            resultat[elev_id] = rekke
    return resultat


def permisjonssoknader_som_venter(elever: QuerySet[Elev]) -> QuerySet[Permisjonssoknad]:
    """Leave applications nobody has answered yet, for ``elever`` (a queryset from
    ``elever.tilgang``), the earliest leave first."""
    return (
        Permisjonssoknad.objects.filter(status=Permisjonssoknad.Status.VENTER, elev__in=elever)
        .select_related("elev")
        .order_by("fra", "pk")
    )
