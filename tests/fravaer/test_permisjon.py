"""Leave decisions: the kommune's limits hold for the pupil's school year, whoever decides
and however the leave is split; leave is decided before it starts; every decision keeps its
grounds. Who may grant may also refuse."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from elever.models import Rolle
from fravaer.models import Fravaer, Gyldighet, Omfang, Permisjonssoknad
from fravaer.permisjon import (
    permisjon_avslaa,
    permisjon_innvilg,
    permisjon_vurder,
    permisjonssoknad_registrer,
)
from tests.factories import KlasseFactory, SkolearFactory, UserFactory, elev_i_klasse, gi_rolle

D = datetime.date
NAA = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)  # Monday 23 November
GRUNN = "Familiebesøk i utlandet; eleven får med seg arbeid."
UTMELDING = "meldes ut av skolen"


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(NAA, tick=False):
        yield


@pytest.fixture
def klasse(db):
    return KlasseFactory(navn="5A")


@pytest.fixture
def elev(klasse):
    return elev_i_klasse(klasse)


@pytest.fixture
def kontakt(klasse):
    bruker = UserFactory(username="kontakt")
    gi_rolle(bruker, Rolle.KONTAKTLAERER, klasse)
    return bruker


@pytest.fixture
def rektor(klasse):
    bruker = UserFactory(username="rektor")
    gi_rolle(bruker, Rolle.REKTOR, klasse.skole)
    return bruker


def soknad(elev, fra, til, av):
    return permisjonssoknad_registrer(elev=elev, fra=fra, til=til, arsak="reise", registrert_av=av)


def innvilg(s, av, **felt):
    return permisjon_innvilg(soknad=s, behandlet_av=av, begrunnelse=GRUNN, **felt)


def skoledager_fra(fra: datetime.date, antall: int) -> list[datetime.date]:
    """``antall`` weekdays from ``fra`` (no holidays in the test calendar then)."""
    dager, dag = [], fra
    while len(dager) < antall:
        if dag.weekday() < 5:
            dager.append(dag)
        dag += datetime.timedelta(days=1)
    return dager


def permisjonsdager(elev) -> int:
    return Fravaer.objects.filter(elev=elev, gyldighet=Gyldighet.PERMISJON).count()


def test_school_days_are_counted_without_the_weekend(elev, kontakt):
    assert soknad(elev, D(2026, 11, 27), D(2026, 12, 4), kontakt).skoledager == 6


def test_kontaktlaerer_grants_one_day_and_the_decision_keeps_its_grounds(elev, kontakt):
    s = innvilg(soknad(elev, D(2026, 11, 27), D(2026, 11, 27), kontakt), kontakt)
    s.refresh_from_db()
    assert (s.status, s.behandlet_av, s.behandlet, s.begrunnelse, s.grunn_etter_start) == (
        Permisjonssoknad.Status.INNVILGET,
        kontakt,
        NAA,
        GRUNN,
        "",
    )
    entry = Fravaer.objects.get()
    assert (entry.dato, entry.omfang, entry.gyldighet, entry.permisjonssoknad) == (
        D(2026, 11, 27),
        Omfang.HELE_DAGEN,
        Gyldighet.PERMISJON,
        s,
    )


def test_kontaktlaerer_cannot_grant_two_days(elev, kontakt):
    s = soknad(elev, D(2026, 11, 26), D(2026, 11, 27), kontakt)
    with pytest.raises(ValidationError, match="Rektor avgjør søknaden"):
        innvilg(s, kontakt)
    assert not Fravaer.objects.exists()
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER


def test_ten_one_day_applications_by_the_kontaktlaerer_give_one_day(elev, kontakt):
    """The limit is the pupil's year, not each application: splitting gains nothing."""
    soknader = [soknad(elev, dag, dag, kontakt) for dag in skoledager_fra(D(2026, 11, 24), 10)]
    innvilg(soknader[0], kontakt)
    for s in soknader[1:]:
        with pytest.raises(ValidationError, match=r"med denne søknaden blir det 2\. Rektor avgjør"):
            innvilg(s, kontakt)
    assert permisjonsdager(elev) == 1
    assert Permisjonssoknad.objects.filter(status="venter").count() == 9


def test_the_rektor_grants_up_to_the_yearly_cap_and_refuses_beyond_it(elev, rektor):
    soknader = [soknad(elev, dag, dag, rektor) for dag in skoledager_fra(D(2026, 11, 24), 11)]
    for s in soknader[:10]:
        innvilg(s, rektor)
    with pytest.raises(ValidationError, match=f"høyst 10 skoledager.*blir det 11.*{UTMELDING}"):
        innvilg(soknader[10], rektor)
    assert permisjonsdager(elev) == 10


def test_rektor_grants_ten_days_at_once(elev, rektor):
    s = soknad(elev, D(2026, 11, 30), D(2026, 12, 11), rektor)
    assert s.skoledager == 10
    innvilg(s, rektor)
    assert permisjonsdager(elev) == 10


def test_more_than_ten_days_cannot_be_granted_and_the_message_says_why(elev, rektor):
    s = soknad(elev, D(2026, 11, 30), D(2026, 12, 14), rektor)
    assert s.skoledager == 11
    with pytest.raises(ValidationError, match=UTMELDING):
        innvilg(s, rektor)
    assert not Fravaer.objects.exists()


def test_the_limits_are_the_kommunes(klasse, elev, kontakt, rektor):
    kommune = klasse.skole.kommune
    kommune.permisjon_kontaktlaerer_dager, kommune.permisjon_maks_dager = 2, 3
    kommune.save()
    dager = skoledager_fra(D(2026, 11, 24), 4)
    innvilg(soknad(elev, dager[0], dager[1], kontakt), kontakt)  # two days: the kontaktlærer
    with pytest.raises(ValidationError, match="har 2 skoledager permisjon"):
        innvilg(soknad(elev, dager[2], dager[2], kontakt), kontakt)
    innvilg(Permisjonssoknad.objects.get(status="venter"), rektor)  # the third: the rektor
    with pytest.raises(ValidationError, match="høyst 3 skoledager"):
        innvilg(soknad(elev, dager[3], dager[3], rektor), rektor)
    assert permisjonsdager(elev) == 3


def test_days_granted_before_count_once_when_leave_overlaps(elev, rektor):
    innvilg(soknad(elev, D(2026, 11, 30), D(2026, 12, 4), rektor), rektor)  # 5 days
    s = soknad(elev, D(2026, 12, 3), D(2026, 12, 8), rektor)  # 4 days, 2 of them new
    [aar] = permisjon_vurder(soknad=s, bruker=rektor).aar
    assert (aar.navn, aar.innvilget, aar.soknad, aar.etter) == ("2026/2027", 3, 4, 7)
    innvilg(s, rektor)
    assert permisjonsdager(elev) == 7


def test_leave_over_the_summer_counts_in_each_school_year(klasse, elev, rektor):
    SkolearFactory(
        kommune=klasse.skole.kommune,
        start=D(2027, 8, 1),
        slutt=D(2028, 7, 31),
        forste_skoledag=D(2027, 8, 16),
        siste_skoledag=D(2028, 6, 20),
    )
    for uke in (D(2027, 5, 3), D(2027, 5, 10)):  # 9 school days (Ascension Day 6 May)
        innvilg(soknad(elev, uke, uke + datetime.timedelta(days=4), rektor), rektor)
    assert permisjonsdager(elev) == 9
    over_sommeren = soknad(elev, D(2027, 6, 17), D(2027, 8, 17), rektor)  # 17–18 Jun, 16–17 Aug
    assert [
        (a.navn, a.innvilget, a.soknad)
        for a in permisjon_vurder(soknad=over_sommeren, bruker=rektor).aar
    ] == [("2026/2027", 9, 2), ("2027/2028", 0, 2)]
    with pytest.raises(ValidationError, match="blir det 11"):
        innvilg(over_sommeren, rektor)
    neste_aar = soknad(elev, D(2027, 6, 18), D(2027, 8, 17), rektor)  # 1 day + 2 days
    innvilg(neste_aar, rektor)
    assert permisjonsdager(elev) == 12  # 10 in the first year, 2 in the next


def test_someone_without_authority_grants_nothing(elev, kontakt):
    annen = UserFactory(username="annen")
    gi_rolle(annen, Rolle.KONTAKTLAERER, KlasseFactory(navn="6B"))
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), kontakt)
    with pytest.raises(ValidationError, match="Bare elevens kontaktlærer og rektor"):
        innvilg(s, annen)
    assert not Fravaer.objects.exists()


def test_granted_leave_replaces_absence_already_registered(elev, rektor):
    Fravaer.objects.create(
        elev=elev, dato=D(2026, 11, 20), omfang=Omfang.TIME, time=2, registrert_av=rektor
    )
    innvilg(
        soknad(elev, D(2026, 11, 20), D(2026, 11, 20), rektor),
        rektor,
        grunn_etter_start="Søknaden kom inn før, men ble liggende.",
    )
    assert list(Fravaer.objects.values_list("omfang", "gyldighet")) == [
        (Omfang.HELE_DAGEN, Gyldighet.PERMISJON)
    ]


def test_a_period_without_school_days_needs_no_leave(elev, kontakt):
    with pytest.raises(ValidationError, match="ingen skoledager"):
        soknad(elev, D(2026, 11, 28), D(2026, 11, 29), kontakt)


# Leave is decided before it starts: from its first day on, only the rektor, with a reason.


@pytest.mark.parametrize("fra", [D(2026, 11, 23), D(2026, 11, 20)])  # today, last Friday
def test_the_kontaktlaerer_cannot_grant_leave_that_has_started(elev, kontakt, fra):
    s = soknad(elev, fra, fra, kontakt)
    with pytest.raises(ValidationError, match="bare rektor innvilge den"):
        innvilg(s, kontakt, grunn_etter_start="Glemte å svare.")
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER and not Fravaer.objects.exists()


def test_the_rektor_grants_leave_that_has_started_only_with_a_reason(elev, rektor):
    s = soknad(elev, D(2026, 11, 23), D(2026, 11, 24), rektor)
    for tom in ("", "   "):
        with pytest.raises(ValidationError, match="Skriv hvorfor den innvilges"):
            innvilg(s, rektor, grunn_etter_start=tom)
    assert not Fravaer.objects.exists()
    innvilg(s, rektor, grunn_etter_start="  Dødsfall i familien i helgen.  ")
    s.refresh_from_db()
    assert s.grunn_etter_start == "Dødsfall i familien i helgen."
    assert permisjonsdager(elev) == 2


def test_leave_from_tomorrow_needs_no_reason(elev, kontakt):
    innvilg(soknad(elev, D(2026, 11, 24), D(2026, 11, 24), kontakt), kontakt)
    assert permisjonsdager(elev) == 1


# Grounds: every decision records them.


@pytest.mark.parametrize("tom", ["", "  \n "])
def test_grounds_are_required_to_grant_and_to_refuse(elev, kontakt, tom):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), kontakt)
    with pytest.raises(ValidationError, match="Skriv begrunnelsen"):
        permisjon_innvilg(soknad=s, behandlet_av=kontakt, begrunnelse=tom)
    with pytest.raises(ValidationError, match="Skriv begrunnelsen"):
        permisjon_avslaa(soknad=s, behandlet_av=kontakt, begrunnelse=tom)
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER and not Fravaer.objects.exists()


# Refusing: whoever could grant the amount may refuse it, the rektor anything; a refusal
# touches no absence entry.


def test_kontaktlaerer_refuses_one_day_and_no_entry_changes(elev, kontakt):
    Fravaer.objects.create(
        elev=elev, dato=D(2026, 11, 23), omfang=Omfang.TIME, time=2, registrert_av=kontakt
    )
    s = soknad(elev, D(2026, 11, 23), D(2026, 11, 23), kontakt)
    permisjon_avslaa(soknad=s, behandlet_av=kontakt, begrunnelse="Prøveuke på skolen.")
    s.refresh_from_db()
    assert (s.status, s.behandlet_av, s.behandlet, s.begrunnelse) == (
        Permisjonssoknad.Status.AVSLATT,
        kontakt,
        NAA,
        "Prøveuke på skolen.",
    )
    assert list(Fravaer.objects.values_list("omfang", "time")) == [(Omfang.TIME, 2)]


def test_kontaktlaerer_leaves_two_days_to_the_rektor(elev, kontakt):
    s = soknad(elev, D(2026, 11, 26), D(2026, 11, 27), kontakt)
    with pytest.raises(ValidationError, match="Rektor avgjør søknaden"):
        permisjon_avslaa(soknad=s, behandlet_av=kontakt, begrunnelse=GRUNN)
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER and s.behandlet is None


def test_rektor_refuses_more_than_ten_days(elev, rektor):
    s = soknad(elev, D(2026, 11, 30), D(2026, 12, 14), rektor)
    assert s.skoledager == 11
    assert permisjon_avslaa(soknad=s, behandlet_av=rektor, begrunnelse=GRUNN).status == "avslatt"


def test_someone_without_authority_refuses_nothing(elev, kontakt):
    annen = UserFactory(username="annen")
    gi_rolle(annen, Rolle.KONTAKTLAERER, KlasseFactory(navn="6B"))
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), kontakt)
    with pytest.raises(ValidationError, match="Bare elevens kontaktlærer og rektor"):
        permisjon_avslaa(soknad=s, behandlet_av=annen, begrunnelse=GRUNN)
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER


def test_a_granted_application_cannot_be_refused_afterwards(elev, kontakt):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), kontakt)
    innvilg(s, kontakt)
    with pytest.raises(ValidationError, match="allerede behandlet"):
        permisjon_avslaa(soknad=s, behandlet_av=kontakt, begrunnelse=GRUNN)
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.INNVILGET
    assert Fravaer.objects.count() == 1
