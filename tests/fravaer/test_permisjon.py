"""Leave: the kontaktlærer grants up to 1 school day, the rektor up to 10, nobody more; who
may grant may also refuse."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from elever.models import Rolle
from fravaer.models import Fravaer, Gyldighet, Omfang, Permisjonssoknad
from fravaer.services import (
    permisjon_avslaa,
    permisjon_innvilg,
    permisjon_kan_avslaa,
    permisjon_kan_innvilge,
    permisjonssoknad_registrer,
)
from tests.factories import KlasseFactory, UserFactory, elev_i_klasse, gi_rolle

D = datetime.date
NAA = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


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


def test_school_days_are_counted_without_the_weekend(elev, kontakt):
    assert soknad(elev, D(2026, 11, 27), D(2026, 12, 4), kontakt).skoledager == 6


def test_kontaktlaerer_grants_one_day_and_it_becomes_leave(elev, kontakt):
    s = permisjon_innvilg(
        soknad=soknad(elev, D(2026, 11, 27), D(2026, 11, 27), kontakt), behandlet_av=kontakt
    )
    assert s.status == Permisjonssoknad.Status.INNVILGET
    entry = Fravaer.objects.get()
    assert (entry.dato, entry.omfang, entry.gyldighet) == (
        D(2026, 11, 27),
        Omfang.HELE_DAGEN,
        Gyldighet.PERMISJON,
    )


def test_kontaktlaerer_cannot_grant_two_days(elev, kontakt):
    s = soknad(elev, D(2026, 11, 26), D(2026, 11, 27), kontakt)
    with pytest.raises(ValidationError, match="høyst 1 skoledag"):
        permisjon_innvilg(soknad=s, behandlet_av=kontakt)
    assert not Fravaer.objects.exists()
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER


def test_rektor_grants_ten_days(elev, rektor):
    s = soknad(elev, D(2026, 11, 30), D(2026, 12, 11), rektor)
    assert s.skoledager == 10
    permisjon_innvilg(soknad=s, behandlet_av=rektor)
    assert Fravaer.objects.filter(gyldighet=Gyldighet.PERMISJON).count() == 10


def test_more_than_ten_days_cannot_be_granted_and_the_message_says_why(elev, rektor):
    s = soknad(elev, D(2026, 11, 30), D(2026, 12, 14), rektor)
    assert s.skoledager == 11
    with pytest.raises(ValidationError, match="meldes ut av skolen"):
        permisjon_innvilg(soknad=s, behandlet_av=rektor)
    assert not Fravaer.objects.exists()


def test_someone_without_authority_grants_nothing(elev, kontakt):
    annen = UserFactory(username="annen")
    gi_rolle(annen, Rolle.KONTAKTLAERER, KlasseFactory(navn="6B"))
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), kontakt)
    with pytest.raises(ValidationError, match="Bare elevens kontaktlærer og rektor"):
        permisjon_innvilg(soknad=s, behandlet_av=annen)


def test_granted_leave_replaces_absence_already_registered(elev, kontakt):
    Fravaer.objects.create(
        elev=elev, dato=D(2026, 11, 23), omfang=Omfang.TIME, time=2, registrert_av=kontakt
    )
    permisjon_innvilg(
        soknad=soknad(elev, D(2026, 11, 23), D(2026, 11, 23), kontakt), behandlet_av=kontakt
    )
    assert list(Fravaer.objects.values_list("omfang", "gyldighet")) == [
        (Omfang.HELE_DAGEN, Gyldighet.PERMISJON)
    ]


def test_a_period_without_school_days_needs_no_leave(elev, kontakt):
    with pytest.raises(ValidationError, match="ingen skoledager"):
        soknad(elev, D(2026, 11, 28), D(2026, 11, 29), kontakt)


# Refusing: whoever could grant an application may refuse it, the rektor also one of more
# than ten school days; a refusal touches no absence entry.


def test_kontaktlaerer_refuses_one_day_and_no_entry_changes(elev, kontakt):
    Fravaer.objects.create(
        elev=elev, dato=D(2026, 11, 23), omfang=Omfang.TIME, time=2, registrert_av=kontakt
    )
    s = permisjon_avslaa(
        soknad=soknad(elev, D(2026, 11, 23), D(2026, 11, 23), kontakt), behandlet_av=kontakt
    )
    s.refresh_from_db()
    assert (s.status, s.behandlet_av, s.behandlet) == (
        Permisjonssoknad.Status.AVSLATT,
        kontakt,
        NAA,
    )
    assert list(Fravaer.objects.values_list("omfang", "time")) == [(Omfang.TIME, 2)]


def test_kontaktlaerer_leaves_two_days_to_the_rektor(elev, kontakt):
    s = soknad(elev, D(2026, 11, 26), D(2026, 11, 27), kontakt)
    with pytest.raises(ValidationError, match="Rektor avgjør søknaden"):
        permisjon_avslaa(soknad=s, behandlet_av=kontakt)
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER and s.behandlet is None


def test_rektor_refuses_more_than_ten_days(elev, rektor):
    s = soknad(elev, D(2026, 11, 30), D(2026, 12, 14), rektor)
    assert s.skoledager == 11
    assert permisjon_avslaa(soknad=s, behandlet_av=rektor).status == "avslatt"


def test_someone_without_authority_refuses_nothing(elev, kontakt):
    annen = UserFactory(username="annen")
    gi_rolle(annen, Rolle.KONTAKTLAERER, KlasseFactory(navn="6B"))
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), kontakt)
    with pytest.raises(ValidationError, match="Bare elevens kontaktlærer og rektor"):
        permisjon_avslaa(soknad=s, behandlet_av=annen)
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER


def test_a_granted_application_cannot_be_refused_afterwards(elev, kontakt):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), kontakt)
    permisjon_innvilg(soknad=s, behandlet_av=kontakt)
    with pytest.raises(ValidationError, match="allerede behandlet"):
        permisjon_avslaa(soknad=s, behandlet_av=kontakt)
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.INNVILGET
    assert Fravaer.objects.count() == 1


@pytest.mark.parametrize(
    ("skoledager", "grense", "innvilge", "avslaa"),
    [
        (1, 1, True, True),
        (2, 1, False, False),
        (11, 1, False, False),
        (10, 10, True, True),
        (11, 10, False, True),
        (1, 0, False, False),
    ],
)
def test_who_may_answer_what(skoledager, grense, innvilge, avslaa):
    assert permisjon_kan_innvilge(skoledager=skoledager, grense=grense) is innvilge
    assert permisjon_kan_avslaa(skoledager=skoledager, grense=grense) is avslaa
