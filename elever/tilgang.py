"""Who may see and do what, decided per object (DESIGN §1, §8). Every view asks here.

Two kinds of answers: querysets of what a user may see (``elever``, ``klasser`` …), and
``kan(user, handling, objekt)`` for one action on one object. Views fetch through ``hent``,
which answers 404 for anything outside the user's scope, so a guessed id reveals nothing.
Everything follows from role assignments; being a Django superuser (driftsansvarlig) gives
no access to pupils. Roles are read once per request, so a revoked role stops working on the
next request.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from elever import cache
from elever.models import (
    Elev,
    Faggruppe,
    Faggruppemedlemskap,
    Klasse,
    Klassemedlemskap,
    Kommune,
    Rolle,
    Skole,
    Skolemedlemskap,
    User,
)


@dataclass(frozen=True)
class Roller:
    """A user's role assignments as sets of ids, one per scope."""

    administrator: frozenset[int] = frozenset()  # kommune ids
    skolekontor: frozenset[int] = frozenset()  # kommune ids
    rektor: frozenset[int] = frozenset()  # skole ids
    ressursteam: frozenset[int] = frozenset()  # skole ids
    kontaktlaerer: frozenset[int] = frozenset()  # klasse ids
    faglaerer: frozenset[int] = frozenset()  # faggruppe ids

    @property
    def skoleledelse(self) -> frozenset[int]:
        """Schools where the user sees every pupil: rektor and ressursteam."""
        return self.rektor | self.ressursteam


def roller(user) -> Roller:
    """The user's roles, read with one query and kept for the request and, until any role
    changes, for the process (``elever.cache``)."""
    if not getattr(user, "is_authenticated", False):
        return Roller()
    cached = getattr(user, "_naervaer_roller", None)
    if cached is None:
        cached = cache.hent(cache.versjon(), ("roller", user.pk), lambda: _les_roller(user))
        user._naervaer_roller = cached
    return cached


def _les_roller(user) -> Roller:
    sett: dict[str, set[int]] = {r.value: set() for r in Rolle}
    rader = user.rolletildelinger.values_list(
        "rolle", "kommune_id", "skole_id", "klasse_id", "faggruppe_id"
    )
    for rolle, *omfang in rader:
        sett[rolle].add(next(i for i in omfang if i is not None))
    return Roller(**{rolle: frozenset(ids) for rolle, ids in sett.items()})


def _aktiv(dato: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}fra__lte": dato}) & (
        Q(**{f"{prefix}til__isnull": True}) | Q(**{f"{prefix}til__gte": dato})
    )


def _i_dag() -> datetime.date:
    return timezone.localdate()


def tilgang_i_kommuner(kommuner) -> Q:
    """Role assignments whose scope lies in one of ``kommuner``."""
    return (
        Q(kommune__in=kommuner)
        | Q(skole__kommune__in=kommuner)
        | Q(klasse__skole__kommune__in=kommuner)
        | Q(faggruppe__skole__kommune__in=kommuner)
    )


# --- What a user may see -------------------------------------------------------------------


def skoler(user) -> QuerySet[Skole]:
    r = roller(user)
    return Skole.objects.filter(
        Q(kommune__in=r.administrator | r.skolekontor)
        | Q(pk__in=r.skoleledelse)
        | Q(klasser__in=r.kontaktlaerer)
        | Q(faggrupper__in=r.faglaerer)
    ).distinct()


def klasser(user) -> QuerySet[Klasse]:
    """Classes whose pupil lists the user may open (faglærere work through faggrupper)."""
    r = roller(user)
    return Klasse.objects.filter(
        Q(skole__kommune__in=r.administrator)
        | Q(skole__in=r.skoleledelse)
        | Q(pk__in=r.kontaktlaerer)
    )


def faggrupper(user) -> QuerySet[Faggruppe]:
    r = roller(user)
    return Faggruppe.objects.filter(
        Q(skole__kommune__in=r.administrator) | Q(skole__in=r.skoleledelse) | Q(pk__in=r.faglaerer)
    )


def elever(user, dato: datetime.date | None = None) -> QuerySet[Elev]:
    """Pupils the user may see on ``dato`` (today by default): a kontaktlærer the class's
    pupils of that day, a faglærer the teaching group's, rektor and ressursteam the school's,
    the administrator every pupil enrolled at one of the kommune's schools."""
    r = roller(user)
    dato = dato or _i_dag()
    skole = Skolemedlemskap.objects.filter(elev=OuterRef("pk"))
    betingelse = Q(pk__in=[])
    if r.administrator:
        betingelse |= Exists(skole.filter(_aktiv(dato), skole__kommune__in=r.administrator))
    if r.skoleledelse:
        betingelse |= Exists(skole.filter(_aktiv(dato), skole__in=r.skoleledelse))
    if r.kontaktlaerer:
        betingelse |= Exists(
            Klassemedlemskap.objects.filter(
                _aktiv(dato), elev=OuterRef("pk"), klasse__in=r.kontaktlaerer
            )
        )
    if r.faglaerer:
        betingelse |= Exists(
            Faggruppemedlemskap.objects.filter(
                _aktiv(dato), elev=OuterRef("pk"), faggruppe__in=r.faglaerer
            )
        )
    return Elev.objects.filter(betingelse)


def permisjonselever(user) -> QuerySet[Elev]:
    """Pupils whose leave applications the user answers today: ``innvilge_permisjon`` as a
    queryset (the kontaktlærer's class, the rektor's school), for lists of applications."""
    r = roller(user)
    i_dag = _i_dag()
    betingelse = Q(pk__in=[])
    if r.rektor:
        betingelse |= Exists(
            Skolemedlemskap.objects.filter(_aktiv(i_dag), elev=OuterRef("pk"), skole__in=r.rektor)
        )
    if r.kontaktlaerer:
        betingelse |= Exists(
            Klassemedlemskap.objects.filter(
                _aktiv(i_dag), elev=OuterRef("pk"), klasse__in=r.kontaktlaerer
            )
        )
    return Elev.objects.filter(betingelse)


def ansatte(user, skole: Skole) -> QuerySet[User]:
    """Staff with a role at the school, for those who may see them (rektor, administrator)."""
    if not kan(user, "se_ansatte", skole):
        return User.objects.none()
    return User.objects.filter(
        Q(rolletildelinger__skole=skole)
        | Q(rolletildelinger__klasse__skole=skole)
        | Q(rolletildelinger__faggruppe__skole=skole)
    ).distinct()


# --- May this user do this to this object? -------------------------------------------------


def _elevens_skoler(elev: Elev) -> set[int]:
    return set(elev.skolemedlemskap.filter(_aktiv(_i_dag())).values_list("skole_id", flat=True))


def _er_kontaktlaerer_for(user, elev: Elev) -> bool:
    r = roller(user)
    return (
        bool(r.kontaktlaerer)
        and elev.klassemedlemskap.filter(_aktiv(_i_dag()), klasse__in=r.kontaktlaerer).exists()
    )


def _er_administrator_for_elev(user, elev: Elev) -> bool:
    """A pupil enrolled now at one of the administrator's schools; one who moved away
    belongs to the new kommune."""
    r = roller(user)
    return (
        bool(r.administrator)
        and elev.skolemedlemskap.filter(
            _aktiv(_i_dag()), skole__kommune__in=r.administrator
        ).exists()
    )


def _se_elev(user, elev: Elev) -> bool:
    return elever(user).filter(pk=elev.pk).exists()


def _se_foresatte(user, elev: Elev) -> bool:
    """Guardians' contact data: the class's kontaktlærer, the school's leadership and
    resource team, the administrator. Never a faglærer."""
    return (
        _er_kontaktlaerer_for(user, elev)
        or bool(roller(user).skoleledelse & _elevens_skoler(elev))
        or _er_administrator_for_elev(user, elev)
    )


def _se_fodselsnummer(user, elev: Elev) -> bool:
    """The whole number: the rektor (letters to authorities) and the administrator (imports)."""
    return bool(roller(user).rektor & _elevens_skoler(elev)) or _er_administrator_for_elev(
        user, elev
    )


def _se_adresse(user, elev: Elev) -> bool:
    """Never for a pupil with a protected address, whoever asks (DESIGN §8)."""
    if elev.har_adressesperre:
        return False
    return _se_foresatte(user, elev)


def er_rektor_for(user, elev: Elev) -> bool:
    return bool(roller(user).rektor & _elevens_skoler(elev))


def _innvilge_permisjon(user, elev: Elev) -> bool:
    """The class's kontaktlærer and the rektor decide leave, each up to a limit of the
    kommune's (``fravaer.regler``)."""
    return _er_kontaktlaerer_for(user, elev) or er_rektor_for(user, elev)


def _innvilge_permisjon_til_aarsgrensen(user, elev: Elev) -> bool:
    """Leave up to the kommune's yearly cap: the rektor; the kontaktlærer only up to the
    kontaktlærer limit."""
    return er_rektor_for(user, elev)


def _innvilge_permisjon_etter_start(user, elev: Elev) -> bool:
    """Leave whose first day has come: the rektor alone, with a recorded reason (leave is
    decided before it starts, DESIGN §3)."""
    return er_rektor_for(user, elev)


def _registrere_fravaer(user, klasse: Klasse) -> bool:
    """The class register: its kontaktlærer, and the school's rektor when covering."""
    r = roller(user)
    return klasse.pk in r.kontaktlaerer or klasse.skole_id in r.rektor


def _registrere_timefravaer(user, faggruppe: Faggruppe) -> bool:
    """A lesson register: the group's faglærer, and the school's rektor when covering."""
    r = roller(user)
    return faggruppe.pk in r.faglaerer or faggruppe.skole_id in r.rektor


def _se_klasse(user, klasse: Klasse) -> bool:
    return klasser(user).filter(pk=klasse.pk).exists()


def _se_faggruppe(user, faggruppe: Faggruppe) -> bool:
    return faggrupper(user).filter(pk=faggruppe.pk).exists()


def _se_skole(user, skole: Skole) -> bool:
    """The school page (classes and staff). The skolekontor works with statistics, not with
    a school's classes and people."""
    r = roller(user)
    return skole.pk in r.skoleledelse or skole.kommune_id in r.administrator


def _se_ansatte(user, skole: Skole) -> bool:
    r = roller(user)
    return skole.pk in r.rektor or skole.kommune_id in r.administrator


def _administrere_skole(user, skole: Skole) -> bool:
    return skole.kommune_id in roller(user).administrator


def _administrere_kommune(user, kommune: Kommune) -> bool:
    return kommune.pk in roller(user).administrator


HANDLINGER: dict[tuple[str, type[Model]], Callable[[object, Model], bool]] = {
    ("se", Elev): _se_elev,
    ("se_foresatte", Elev): _se_foresatte,
    ("se_fodselsnummer", Elev): _se_fodselsnummer,
    ("se_adresse", Elev): _se_adresse,
    ("innvilge_permisjon", Elev): _innvilge_permisjon,
    ("innvilge_permisjon_til_aarsgrensen", Elev): _innvilge_permisjon_til_aarsgrensen,
    ("innvilge_permisjon_etter_start", Elev): _innvilge_permisjon_etter_start,
    ("se", Klasse): _se_klasse,
    ("registrere_fravaer", Klasse): _registrere_fravaer,
    ("se", Faggruppe): _se_faggruppe,
    ("registrere_fravaer", Faggruppe): _registrere_timefravaer,
    ("se", Skole): _se_skole,
    ("se_ansatte", Skole): _se_ansatte,
    ("importere", Skole): _administrere_skole,
    ("administrere", Skole): _administrere_skole,
    ("administrere", Kommune): _administrere_kommune,
    ("redigere_skolerute", Kommune): _administrere_kommune,
}


def kan(user, handling: str, objekt: Model) -> bool:
    """May ``user`` do ``handling`` to ``objekt``? Unknown pairs are refused (deny by default)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    regel = HANDLINGER.get((handling, type(objekt)))
    return regel is not None and regel(user, objekt)


def hent[M: Model](user, kilde: type[M] | QuerySet[M], handling: str = "se", **oppslag) -> M:
    """The object, or 404 when it does not exist or the user may not ``handling`` it.
    ``kilde`` is a model or a queryset (to load related rows in the same query)."""
    qs = kilde.objects.all() if isinstance(kilde, type) else kilde
    try:
        objekt = qs.get(**oppslag)
    except (qs.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    if not kan(user, handling, objekt):
        raise Http404
    return objekt


def er_administrator(user) -> bool:
    return bool(roller(user).administrator)
