"""Reads about organisation and people, for this app's views and for the other apps.

Set-based: a class list or a school overview is a fixed number of queries however many rows.
Scope is not decided here; callers pass querysets from ``elever.tilgang`` or objects fetched
through it.
"""

import datetime
import json
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from django.db import connection
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from elever import cache
from elever.kalender import Skolerute, Unntak
from elever.models import (
    Elev,
    Faggruppe,
    Foresattrelasjon,
    Klasse,
    Klassemedlemskap,
    Kommune,
    Rolle,
    Rolletildeling,
    Skole,
    Skolear,
    Skoleruteunntak,
    Skoletime,
    Termin,
)
from felles.sql import heltall, kolonner, modeller


def aktiv_paa(dato: datetime.date, prefix: str = "") -> Q:
    """Membership rows in force on ``dato`` (``til`` is the last day, empty while ongoing)."""
    return Q(**{f"{prefix}fra__lte": dato}) & (
        Q(**{f"{prefix}til__isnull": True}) | Q(**{f"{prefix}til__gte": dato})
    )


# --- Calendar ------------------------------------------------------------------------------


def skolear_for(kommune: Kommune | int, dato: datetime.date) -> Skolear | None:
    return Skolear.objects.filter(kommune=kommune, start__lte=dato, slutt__gte=dato).first()


def skolerute(skolear: Skolear, skole: Skole | None = None) -> Skolerute:
    """The calendar of one school in one school year: the kommune's rules and the school's
    own; without a school, the kommune's alone. Kept between requests (``elever.cache``)."""
    return _skolerute(cache.versjon(), skolear, skole.pk if skole is not None else None)


def _skolerute(versjon: int | None, skolear: Skolear, skole_id: int | None) -> Skolerute:
    """What is kept is made from the school year as read after ``versjon``, not from the
    caller's copy, which may be older than the version and would then be kept as new."""

    def les() -> Skolerute:
        if versjon is not None:
            fersk = _skolearene(versjon, skolear.kommune_id, skolear.start, skolear.slutt)
            return _les_skolerute(next((a for a in fersk if a.pk == skolear.pk), skolear), skole_id)
        return _les_skolerute(skolear, skole_id)  # kept for this request alone

    return cache.hent(versjon, ("skolerute", skolear.pk, skole_id), les)


def _les_skolerute(skolear: Skolear, skole_id: int | None) -> Skolerute:
    egne = Q(skole_id=skole_id) if skole_id is not None else Q(pk__in=[])
    unntak = Skoleruteunntak.objects.filter(
        Q(skole__isnull=True) | egne,
        kommune_id=skolear.kommune_id,
        fra__lte=skolear.slutt,
        til__gte=skolear.start,
    )
    return Skolerute(
        forste_skoledag=skolear.forste_skoledag,
        siste_skoledag=skolear.siste_skoledag,
        unntak=[
            Unntak(u.fra, u.til, u.navn, skoledag=u.type == Skoleruteunntak.Type.SKOLEDAG)
            for u in unntak
        ],
    )


def skolearene(kommune_id: int, fra: datetime.date, til: datetime.date) -> list[Skolear]:
    """The kommune's school years overlapping the period, earliest first (kept per
    process, as the calendars)."""
    return _skolearene(cache.versjon(), kommune_id, fra, til)


def _skolearene(
    versjon: int | None, kommune_id: int, fra: datetime.date, til: datetime.date
) -> list[Skolear]:
    """The kommune's school years overlapping the period, earliest first."""
    alle = cache.hent(
        versjon,
        ("skolear", kommune_id),
        lambda: list(Skolear.objects.filter(kommune_id=kommune_id).order_by("start")),
    )
    return [a for a in alle if a.start <= til and a.slutt >= fra]


def med_terminstart(klasser: QuerySet[Klasse], dato: datetime.date) -> QuerySet[Klasse]:
    """Annotate ``terminstart``: the first day of the term holding ``dato`` (the school
    year's first school day when no term is set), where term figures count from."""
    termin = Termin.objects.filter(skolear=OuterRef("skolear"), start__lte=dato, slutt__gte=dato)
    return klasser.annotate(
        terminstart=Coalesce(Subquery(termin.values("start")[:1]), F("skolear__forste_skoledag"))
    )


def terminstart(klasse: Klasse, dato: datetime.date) -> datetime.date:
    """The first day of the term holding ``dato`` for one class (see ``med_terminstart``)."""
    return (
        med_terminstart(Klasse.objects.filter(pk=klasse.pk), dato)
        .values_list("terminstart", flat=True)
        .get()
    )


def skoledager(skole: Skole, fra: datetime.date, til: datetime.date) -> list[datetime.date]:
    """The school days of ``skole`` from ``fra`` to ``til``, both included, across school
    years. Days in a school year without a calendar count as none."""
    return _skoledager(cache.versjon(), skole.pk, skole.kommune_id, fra, til)


def _skoledager(
    versjon: int | None, skole_id: int, kommune_id: int, fra: datetime.date, til: datetime.date
) -> list[datetime.date]:
    dager: list[datetime.date] = []
    for skolear in _skolearene(versjon, kommune_id, fra, til):
        dager += _skolerute(versjon, skolear, skole_id).skoledager(fra, til)
    return dager


def er_skoledag(skole: Skole, dato: datetime.date) -> bool:
    return bool(skoledager(skole, dato, dato))


# --- Classes and pupils --------------------------------------------------------------------


def klasseliste(klasse: Klasse, dato: datetime.date) -> QuerySet[Elev]:
    """The class's pupils on ``dato``, sorted as class lists are: by first name."""
    return (
        Elev.objects.filter(aktiv_paa(dato, "klassemedlemskap__"), klassemedlemskap__klasse=klasse)
        .order_by("fornavn", "etternavn", "pk")
        .distinct()
    )


def paa_klasselisten(
    klasse_id: int, elev_id: int, dato: datetime.date
) -> tuple[Klasse, Elev] | None:
    """The class and the pupil, if the pupil is on its list on ``dato``: one query for
    every saved register row, written as SQL (``felles.sql.modeller``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {kolonner(Klasse, 'k')}, {kolonner(Elev, 'e')} "  # noqa: S608 (model columns)
            "FROM elever_klassemedlemskap m "
            "JOIN elever_klasse k ON k.id = m.klasse_id JOIN elever_elev e ON e.id = m.elev_id "
            "WHERE m.klasse_id = %s AND m.elev_id = %s AND m.fra <= %s "
            "AND (m.til IS NULL OR m.til >= %s) LIMIT 1",
            [klasse_id, elev_id, dato, dato],
        )
        rad = cursor.fetchone()
    if rad is None:
        return None
    klasse, elev = modeller(rad, Klasse, Elev)
    return klasse, elev


def gruppeliste(faggruppe: Faggruppe, dato: datetime.date) -> QuerySet[Elev]:
    """The teaching group's pupils on ``dato``, in class-list order (first name)."""
    return (
        Elev.objects.filter(
            aktiv_paa(dato, "faggruppemedlemskap__"), faggruppemedlemskap__faggruppe=faggruppe
        )
        .distinct()
        .order_by("fornavn", "etternavn")
    )


def gruppens_ukedager(faggruppe: Faggruppe) -> set[int]:
    """The weekdays (1 = Monday) the group has lessons."""
    return {t.ukedag for t in _gruppens_timeplan(faggruppe)}


def _gruppens_timeplan(faggruppe: Faggruppe) -> list[Skoletime]:
    """The group's lessons in every class's timetable, by weekday, number and class. Kept
    between requests: do not change them."""
    return cache.hent(
        cache.versjon(),
        ("gruppetimer", faggruppe.pk),
        lambda: list(
            Skoletime.objects.filter(faggruppe=faggruppe).order_by("ukedag", "nummer", "klasse_id")
        ),
    )


def timer_for_grupper(faggrupper: QuerySet[Faggruppe], dato: datetime.date) -> list[Skoletime]:
    """The lessons of several teaching groups on ``dato``'s weekday, one per group and
    lesson number, with their group: a faglærer's day."""
    unike: dict[tuple[int, int], Skoletime] = {}
    for time in (
        Skoletime.objects.filter(faggruppe__in=faggrupper, ukedag=dato.isoweekday())
        .select_related("faggruppe__skole")
        .order_by("nummer", "faggruppe__navn", "klasse_id")
    ):
        unike.setdefault((time.faggruppe_id, time.nummer), time)
    return list(unike.values())


def gruppens_timer(faggruppe: Faggruppe, dato: datetime.date) -> list[Skoletime]:
    """The group's lessons on ``dato``'s weekday, one per lesson number (a group drawn from
    several classes has the same lesson in each class's timetable)."""
    unike: dict[int, Skoletime] = {}
    for time in _gruppens_timeplan(faggruppe):
        if time.ukedag == dato.isoweekday():
            unike.setdefault(time.nummer, time)
    return list(unike.values())


def kontaktlaerere() -> Prefetch:
    return Prefetch(
        "rolletildelinger",
        queryset=Rolletildeling.objects.filter(rolle=Rolle.KONTAKTLAERER)
        .select_related("bruker")
        .order_by("bruker__first_name"),
        to_attr="kontaktlaerertildelinger",
    )


def klasser_med_antall(klasser: QuerySet[Klasse], dato: datetime.date) -> QuerySet[Klasse]:
    """Classes with ``antall_elever`` on ``dato`` and their kontaktlærere, in two queries."""
    return (
        klasser.select_related("skole", "skolear")
        .annotate(
            antall_elever=Count("medlemskap", filter=aktiv_paa(dato, "medlemskap__"), distinct=True)
        )
        .prefetch_related(kontaktlaerere())
        .order_by("skole__navn", "trinn", "navn")
    )


def gjeldende_klasse(elev: Elev, dato: datetime.date) -> Klasse | None:
    medlemskap = (
        Klassemedlemskap.objects.filter(aktiv_paa(dato), elev=elev)
        .select_related("klasse__skole")
        .first()
    )
    return medlemskap.klasse if medlemskap else None


def klassehistorikk(elev: Elev) -> QuerySet[Klassemedlemskap]:
    """The pupil's classes over time, newest first, with school and school year."""
    return elev.klassemedlemskap.select_related("klasse__skole", "klasse__skolear").order_by("-fra")


def foresatte(elev: Elev) -> QuerySet[Foresattrelasjon]:
    """The pupil's guardians, those with parental responsibility first."""
    return (
        Foresattrelasjon.objects.filter(elev=elev)
        .select_related("foresatt")
        .order_by("-foreldreansvar", "foresatt__fornavn")
    )


def dokumentmottakere(elev: Elev) -> QuerySet[Foresattrelasjon]:
    """Guardians who may receive letters and agreements about the pupil automatically:
    parental responsibility and the right to documents, and never for a pupil with a
    protected address (DESIGN §8), whose documents the school hands over by hand."""
    if elev.har_adressesperre:
        return Foresattrelasjon.objects.none()
    return foresatte(elev).filter(foreldreansvar=True, kan_motta_dokumenter=True)


def timeplan(klasse: Klasse) -> QuerySet[Skoletime]:
    return klasse.timeplan.select_related("faggruppe", "laerer").order_by("ukedag", "nummer")


def klassens_timer(klasse: Klasse, ukedag: int) -> list[Skoletime]:
    """The class's lessons on a weekday (1 is Monday) by number, its own and its teaching
    groups'. Kept between requests: do not change them."""
    return [t for t in _timeplaner(cache.versjon(), [klasse.pk])[klasse.pk] if t.ukedag == ukedag]


def _timeplaner(versjon: int | None, klasse_ids: Iterable[int]) -> dict[int, list[Skoletime]]:
    """Each class's timetable by weekday and number, those not kept read in one query."""

    def les(nokler: list[tuple[str, int]]) -> dict[tuple[str, int], list[Skoletime]]:
        timer: dict[tuple[str, int], list[Skoletime]] = {n: [] for n in nokler}
        for time in Skoletime.objects.filter(klasse__in=[k for _art, k in nokler]).order_by(
            "ukedag", "nummer"
        ):
            timer["timeplan", time.klasse_id].append(time)
        return timer

    lagret = cache.hent_mange(versjon, [("timeplan", k) for k in set(klasse_ids)], les)
    return {k: timer for (_art, k), timer in lagret.items()}


def timer_for_elev(elev: Elev, dato: datetime.date) -> list[Skoletime]:
    """The pupil's lessons on ``dato`` by the class timetable: the class's common lessons and
    those of the teaching groups the pupil belongs to that day."""
    klasse = gjeldende_klasse(elev, dato)
    if klasse is None or dato.weekday() > 4:
        return []
    grupper = elev.faggruppemedlemskap.filter(aktiv_paa(dato)).values("faggruppe_id")
    return list(
        klasse.timeplan.filter(Q(faggruppe__isnull=True) | Q(faggruppe__in=grupper))
        .filter(ukedag=dato.isoweekday())
        .order_by("nummer")
    )


def skole_for_elev(elev: Elev, dato: datetime.date) -> Skole | None:
    medlemskap = (
        elev.skolemedlemskap.filter(aktiv_paa(dato)).select_related("skole__kommune").first()
    )
    return medlemskap.skole if medlemskap else None


@dataclass(frozen=True)
class Skoledagsplan:
    """The pupils' school days in a period: for each pupil the days enrolled at a school
    that has school that day, with the lessons they had each day by the timetable. Pupils
    with the same memberships share one mapping: do not change it."""

    fra: datetime.date
    til: datetime.date
    per_elev: dict[int, Mapping[datetime.date, int]]

    @cached_property
    def tabell(self) -> "Plantabell":
        """The plan as a table for SQL, made once for a kept plan."""
        rad_for: dict[int, int] = {}  # id() of a shared mapping -> its row, from 1
        rader: list[str] = []
        dager_i_perioden = (self.til - self.fra).days + 1
        for dager in self.per_elev.values():
            if dager and id(dager) not in rad_for:
                rad_for[id(dager)] = len(rad_for) + 1
                timer = [-1] * dager_i_perioden
                for dag, antall in dager.items():
                    timer[(dag - self.fra).days] = antall
                rader.append(heltall(timer))
        elevens_rad = {e: rad_for[id(d)] for e, d in self.per_elev.items() if d}
        return Plantabell(
            timer="{" + ",".join(rader) + "}" if rader else "{}",
            rad=json.dumps(elevens_rad),
            elever=heltall(elevens_rad),
        )


@dataclass(frozen=True)
class Plantabell:
    """A ``Skoledagsplan`` for a query: ``timer`` is an ``integer[][]`` literal with a row
    per distinct plan and a column per day from ``fra``, holding that day's lessons or -1
    when it is not a school day; ``rad`` is a JSON object from each pupil to their row
    (from 1); ``elever`` an ``integer[]`` literal of the pupils with school days. Looking a
    pupil's day up is then one step in SQL: ``(timer)[(rad ->> elev::text)::int][dag]``."""

    timer: str
    rad: str
    elever: str


def skoledagsplan(
    elev_ids: Iterable[int],
    fra: datetime.date,
    til: datetime.date,
    *,
    ruter: Mapping[int, Skolerute] | None = None,
) -> Skoledagsplan:
    """The denominator of every absence percentage, from ``fra`` to ``til``: memberships,
    timetables and calendars read in a fixed number of queries however many pupils, the
    days walked once per combination of memberships, not once per pupil. Kept between
    requests for the same pupils and period (``elever.cache``).

    ``ruter`` are calendars the caller has already read (school id -> calendar covering the
    period), so a page that shows the calendar does not read it twice when nothing can be
    kept; a plan kept for others is made from the kept calendars only.
    """
    elev_ids = tuple(elev_ids)
    versjon = cache.versjon()
    egne_ruter = (ruter or {}) if versjon is None else {}
    return cache.hent(
        versjon,
        ("skoledagsplan", elev_ids, fra, til),
        lambda: _skoledagsplan(versjon, elev_ids, fra, til, egne_ruter),
    )


def _skoledagsplan(
    versjon: int | None,
    elev_ids: tuple[int, ...],
    fra: datetime.date,
    til: datetime.date,
    ruter: Mapping[int, Skolerute],
) -> Skoledagsplan:
    medlemskap, kommune_for_skole = _medlemskap(elev_ids, fra, til)
    timer: dict[tuple[int, int], list[tuple[int, int | None]]] = defaultdict(list)
    for klasse_id, timeplan in _timeplaner(
        versjon, {p.ref for m in medlemskap for p in m.klasser}
    ).items():
        for time in timeplan:
            timer[klasse_id, time.ukedag].append((time.nummer, time.faggruppe_id))
    skoledager = {
        skole_id: ruter[skole_id].skoledager(fra, til)
        if skole_id in ruter
        else _skoledager(versjon, skole_id, kommune_id, fra, til)
        for skole_id, kommune_id in kommune_for_skole.items()
    }
    antall_timer: dict[tuple[int | None, int, frozenset[int]], int] = {}

    def timer_den_dagen(klasse: int | None, ukedag: int, egne: frozenset[int]) -> int:
        nokkel = (klasse, ukedag, egne)
        if nokkel not in antall_timer:
            antall_timer[nokkel] = len(
                {
                    n
                    for n, gruppe in timer.get((klasse, ukedag), ())
                    if gruppe is None or gruppe in egne
                }
            )
        return antall_timer[nokkel]

    ingen: dict[datetime.date, int] = {}
    per_elev: dict[int, Mapping[datetime.date, int]] = dict.fromkeys(elev_ids, ingen)
    for felles in medlemskap:
        plan = {}
        for _skoleperiode, dag, klasse, egne in felles.dager(skoledager):
            plan[dag] = timer_den_dagen(klasse, dag.isoweekday(), egne)
        per_elev.update(dict.fromkeys(felles.elev_ids, plan))
    return Skoledagsplan(fra, til, per_elev)


def skoledager_med_timer(
    elev_ids: Iterable[int], fra: datetime.date, til: datetime.date
) -> dict[int, Mapping[datetime.date, int]]:
    """For each pupil, their school days from ``fra`` to ``til`` and the number of lessons
    they had each day (see ``skoledagsplan``)."""
    return skoledagsplan(elev_ids, fra, til).per_elev


@dataclass(frozen=True)
class Elevdag:
    """What one pupil's day was at school: where, whether school was on (and if not, why),
    and the lessons the pupil had by the timetable."""

    skole_id: int
    grunn_til_fri: str | None  # None on a school day
    timer: tuple[Skoletime, ...] = ()


def elevdager(
    elev_ids: Iterable[int], datoer: Iterable[datetime.date]
) -> dict[tuple[int, datetime.date], Elevdag]:
    """(pupil, date) -> the pupil's day, for every pupil enrolled at a school on each date;
    a pair missing means not enrolled. A fixed number of queries for a whole file of dates
    and pupils: memberships, lessons, school years, calendars per school and year."""
    elev_ids, datoer = list(elev_ids), sorted(set(datoer))
    if not elev_ids or not datoer:
        return {}
    fra, til = datoer[0], datoer[-1]
    versjon = cache.versjon()
    medlemskap, kommune_for_skole = _medlemskap(elev_ids, fra, til)
    timeplaner = _timeplaner(versjon, {p.ref for m in medlemskap for p in m.klasser})
    ruter = _ruter(versjon, kommune_for_skole, fra, til)
    resultat = {}
    for felles in medlemskap:
        for skoleperiode, dato, klasse, egne in felles.dager({s: datoer for s in ruter}):
            rute = next(
                (r for aar, r in ruter[skoleperiode.ref] if aar.start <= dato <= aar.slutt), None
            )
            dag = Elevdag(
                skole_id=skoleperiode.ref,
                grunn_til_fri=rute.grunn_til_fri(dato)
                if rute
                else _("Skoleåret mangler skolerute"),
                timer=tuple(
                    t
                    for t in timeplaner.get(klasse, ())
                    if t.ukedag == dato.isoweekday()
                    and (t.faggruppe_id is None or t.faggruppe_id in egne)
                ),
            )
            resultat.update({(elev_id, dato): dag for elev_id in felles.elev_ids})
    return resultat


def _ruter(
    versjon: int | None, kommune_for_skole: dict[int, int], fra: datetime.date, til: datetime.date
) -> dict[int, list[tuple[Skolear, Skolerute]]]:
    """Each school's calendars for the school years overlapping the period."""
    return {
        skole_id: [
            (a, _skolerute(versjon, a, skole_id))
            for a in _skolearene(versjon, kommune_id, fra, til)
        ]
        for skole_id, kommune_id in kommune_for_skole.items()
    }


@dataclass(frozen=True)
class _Periode:
    fra: datetime.date
    til: datetime.date
    ref: int  # the school, class or teaching group

    def dekker(self, dato: datetime.date) -> bool:
        return self.fra <= dato <= self.til


@dataclass(frozen=True)
class _Medlemskap:
    """Memberships that some pupils share in a period: they have the same school days and
    lessons, so those are worked out once for them all."""

    elev_ids: list[int]
    skoler: list[_Periode]
    klasser: list[_Periode]
    grupper: list[_Periode]

    def dager(self, dager_per_skole: Mapping[int, list[datetime.date]]):
        """(school period, date, class, own teaching groups) for each of ``dager_per_skole``
        (sorted, by school) while enrolled there. Class and groups change only where a
        membership starts or ends, so they are looked up once per stretch."""
        andre = [*self.klasser, *self.grupper]
        skifter = sorted({p.fra for p in andre} | {p.til + datetime.timedelta(1) for p in andre})
        for skoleperiode in self.skoler:
            gjelder_til = None
            for dag in dager_per_skole.get(skoleperiode.ref, ()):
                if not skoleperiode.dekker(dag):
                    continue
                if gjelder_til is None or dag >= gjelder_til:
                    klasse = next((p.ref for p in self.klasser if p.dekker(dag)), None)
                    egne = frozenset(p.ref for p in self.grupper if p.dekker(dag))
                    neste = bisect_right(skifter, dag)
                    gjelder_til = skifter[neste] if neste < len(skifter) else datetime.date.max
                yield skoleperiode, dag, klasse, egne


# Each pupil's school, class and teaching-group memberships in the period, cut to it, as
# one row per distinct set: (art 0/1/2, school/class/group id, the school's kommune, first
# and last day as days after the period's start) and the pupils who have that set. A school
# of 600 pupils has a few dozen sets.
_MEDLEMSKAP = """
SELECT perioder, array_agg(elev_id) FROM (
    SELECT elev_id,
           array_agg(ARRAY[art, ref, kommune_id,
                           greatest(fra, %(fra)s) - %(fra)s,
                           least(coalesce(til, %(til)s), %(til)s) - %(fra)s]
                     ORDER BY art, ref, fra) AS perioder
    FROM (
        SELECT m.elev_id, 0 AS art, m.skole_id AS ref, s.kommune_id, m.fra, m.til
        FROM elever_skolemedlemskap m JOIN elever_skole s ON s.id = m.skole_id
        WHERE m.elev_id = ANY(%(elever)s::integer[])
          AND m.fra <= %(til)s AND (m.til IS NULL OR m.til >= %(fra)s)
        UNION ALL
        SELECT elev_id, 1, klasse_id, 0, fra, til FROM elever_klassemedlemskap
        WHERE elev_id = ANY(%(elever)s::integer[])
          AND fra <= %(til)s AND (til IS NULL OR til >= %(fra)s)
        UNION ALL
        SELECT elev_id, 2, faggruppe_id, 0, fra, til FROM elever_faggruppemedlemskap
        WHERE elev_id = ANY(%(elever)s::integer[])
          AND fra <= %(til)s AND (til IS NULL OR til >= %(fra)s)
    ) m
    GROUP BY elev_id
) per_elev
GROUP BY perioder
"""


def _medlemskap(
    elev_ids: list[int], fra: datetime.date, til: datetime.date
) -> tuple[list[_Medlemskap], dict[int, int]]:
    """The pupils' memberships in the period, grouped by pupils who share them, in one
    query; and the kommune of each school among them."""
    with connection.cursor() as cursor:
        cursor.execute(_MEDLEMSKAP, {"elever": heltall(elev_ids), "fra": fra, "til": til})
        rader = cursor.fetchall()
    kommune_for_skole: dict[int, int] = {}
    medlemskap = []
    for perioder, ider in rader:
        arter: tuple[list, list, list] = ([], [], [])
        for art, ref, kommune_id, fra_dag, til_dag in perioder:
            arter[art].append(
                _Periode(fra + datetime.timedelta(fra_dag), fra + datetime.timedelta(til_dag), ref)
            )
            if art == 0:
                kommune_for_skole[ref] = kommune_id
        medlemskap.append(_Medlemskap(ider, *arter))
    return medlemskap, kommune_for_skole
