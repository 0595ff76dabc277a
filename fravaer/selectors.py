"""Reads about absence: the figures for a set of pupils and a period.

A fixed number of queries for a whole class or school: the pupils' school days and lessons
come from ``elever.selectors`` in one go, their absence entries in one query, and the
arithmetic is ``fravaer.tall``.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.db import connection
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
) -> dict[int, tall.Fravaerstall]:
    """Each pupil's figures from ``fra`` to ``til``, both included. The absence is counted
    in the database (on each pupil's school days only) and turned into figures by
    ``fravaer.tall``."""
    plan = elever_selectors.skoledagsplan(elev_ids, fra, til)
    return _figurer(plan, _tell(plan), uten_permisjon=uten_permisjon)


# Per pupil and validity, on the pupil's school days: whole days away, lessons missed (each
# whole day counts that day's lessons) and late arrivals; the same count as ``tall.tell``.
# Each entry's day is looked up in the plan's table (``elever.selectors.Plantabell``), so
# the count costs about what a bare count of the entries does.
_TELLING = """
SELECT elev_id, gyldighet,
       count(*) FILTER (WHERE hel_dag),
       sum(CASE WHEN hel_dag THEN timer WHEN omfang = 'for_sent' THEN 0 ELSE 1 END),
       count(*) FILTER (WHERE omfang = 'for_sent')
FROM (
    SELECT elev_id, gyldighet, omfang,
           omfang = 'hele_dagen' OR (omfang = 'tilstede' AND time IS NULL) AS hel_dag,
           (%(timer)s::integer[])[(%(rad)s::jsonb ->> elev_id::text)::integer]
                                 [dato - %(fra)s + 1] AS timer
    FROM fravaer_fravaer
    WHERE elev_id = ANY(%(elever)s::integer[]) AND dato BETWEEN %(fra)s AND %(til)s
) f
WHERE timer >= 0
GROUP BY elev_id, gyldighet
"""


def _tell(plan: elever_selectors.Skoledagsplan) -> dict[int, dict[str, tall.Telling]]:
    tellinger: dict[int, dict[str, tall.Telling]] = defaultdict(dict)
    tabell = plan.tabell
    with connection.cursor() as cursor:
        cursor.execute(
            _TELLING,
            {
                "timer": tabell.timer,
                "rad": tabell.rad,
                "elever": tabell.elever,
                "fra": plan.fra,
                "til": plan.til,
            },
        )
        for elev_id, gyldighet, dager, timer, for_sent in cursor.fetchall():
            tellinger[elev_id][gyldighet] = tall.Telling(dager, timer, for_sent)
    return tellinger


def _figurer(
    plan: elever_selectors.Skoledagsplan,
    tellinger: Mapping[int, Mapping[str, tall.Telling]],
    *,
    uten_permisjon: bool = False,
) -> dict[int, tall.Fravaerstall]:
    # Pupils with the same memberships share one mapping of days, and so its sums.
    felles = {id(m): m for m in plan.per_elev.values()}
    summer = {i: (len(m), sum(m.values())) for i, m in felles.items()}
    return {
        elev_id: tall.fra_telling(
            skoledager=summer[id(dager)][0],
            timer=summer[id(dager)][1],
            tellinger=tellinger.get(elev_id, {}),
            uten_permisjon=uten_permisjon,
        )
        for elev_id, dager in plan.per_elev.items()
    }


def dagens_fravaer_og_tall(
    elev_ids: Iterable[int],
    dato: datetime.date,
    fra: datetime.date,
    *,
    ruter: Mapping[int, Skolerute] | None = None,
) -> tuple[dict[int, list[Fravaer]], dict[int, tall.Fravaerstall]]:
    """What a register shows: each pupil's entries on ``dato`` and their figures from ``fra``
    to ``dato``, from one read of the entries (a class's term is a few hundred rows).
    ``ruter``: the calendars the page has read, by school (see ``skoledagsplan``)."""
    elev_ids = list(elev_ids)
    plan = elever_selectors.skoledagsplan(elev_ids, fra, dato, ruter=ruter)
    dagens: dict[int, list[Fravaer]] = defaultdict(list)
    rader: dict[int, list[tall.Rad]] = defaultdict(list)
    felt = ["pk", "elev_id", "dato", "omfang", "gyldighet", "time", "minutter"]
    felt += ["meldt_av_foresatte", "endret"]
    for verdier in (
        Fravaer.objects.filter(elev__in=elev_ids, dato__gte=fra, dato__lte=dato)
        .order_by("time")
        .values_list(*felt)
    ):
        _pk, elev_id, dag, omfang, gyldighet, time, *_resten = verdier
        rader[elev_id].append(tall.Rad(dag, omfang, gyldighet, time))
        if dag == dato:  # only the day's entries are needed whole
            dagens[elev_id].append(Fravaer(**dict(zip(felt, verdier, strict=True))))
    tellinger = {e: tall.tell(rader[e], plan.per_elev[e]) for e in elev_ids}
    return dagens, _figurer(plan, tellinger)


def registreringsstatus(
    klasser: QuerySet[Klasse], dato: datetime.date
) -> list[tuple[Klasse, Registrering | None]]:
    """Each class that has school on ``dato``, with its confirmed register that day or
    None: the kontaktlærer's way into the day's register."""
    bekreftet = {
        r.klasse_id: r
        for r in Registrering.objects.filter(klasse__in=klasser, dato=dato).select_related(
            "bekreftet_av"
        )
    }
    skoledag: dict[int, bool] = {}
    return [
        (klasse, bekreftet.get(klasse.pk))
        for klasse in klasser
        if skoledag.setdefault(klasse.skole_id, elever_selectors.er_skoledag(klasse.skole, dato))
    ]


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
