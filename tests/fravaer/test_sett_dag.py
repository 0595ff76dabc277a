"""One state per pupil and day, as the register shows it; no change lost between teachers."""

import datetime

import pghistory
import pytest
import time_machine
from django.core.exceptions import ValidationError

from elever.models import Skoletime
from fravaer.models import Fravaer, Omfang, Registrering
from fravaer.services import dagens_fravaer_versjon, fravaer_sett_dag, registrering_bekreft
from tests.factories import KlasseFactory, UserFactory, elev_i_klasse

MANDAG = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def klasse(db):
    klasse = KlasseFactory(navn="5A")
    for nummer in range(1, 6):
        Skoletime.objects.create(klasse=klasse, ukedag=1, nummer=nummer, fagnavn="Norsk")
    return klasse


@pytest.fixture
def elev(klasse):
    return elev_i_klasse(klasse)


@pytest.fixture
def laerer(db):
    return UserFactory(username="laerer")


def sett(elev, laerer, **felt):
    return fravaer_sett_dag(elev=elev, dato=MANDAG, registrert_av=laerer, **felt)


def test_whole_day_then_lessons_then_present(elev, laerer):
    sett(elev, laerer, omfang=Omfang.HELE_DAGEN)
    sett(elev, laerer, omfang=Omfang.TIME, timer=[3, 1, 3])
    assert list(Fravaer.objects.values_list("omfang", "time")) == [("time", 1), ("time", 3)]
    sett(elev, laerer, omfang=None)
    assert not Fravaer.objects.exists()


def test_a_bad_change_leaves_the_day_as_it_was(elev, laerer):
    sett(elev, laerer, omfang=Omfang.HELE_DAGEN)
    with pytest.raises(ValidationError, match=r"har ikke 9\. time"):
        sett(elev, laerer, omfang=Omfang.TIME, timer=[2, 9])
    assert list(Fravaer.objects.values_list("omfang", flat=True)) == ["hele_dagen"]
    with pytest.raises(ValidationError, match="Velg hvilke timer"):
        sett(elev, laerer, omfang=Omfang.TIME, timer=[])


def test_the_second_teacher_sees_the_first_ones_change(elev, laerer):
    annen = UserFactory(username="annen")
    vist = dagens_fravaer_versjon(elev, MANDAG)
    with pghistory.context(user=laerer.pk):
        sett(elev, laerer, omfang=Omfang.HELE_DAGEN, versjon=vist)
    with pytest.raises(ValidationError, match="Noen andre endret fraværet"):
        sett(elev, annen, omfang=Omfang.FOR_SENT, minutter=10, versjon=vist)
    entry = Fravaer.objects.get()
    assert (entry.omfang, entry.registrert_av) == (Omfang.HELE_DAGEN, laerer)
    # With the page reloaded, the change goes through, and the history has both.
    sett(
        elev,
        annen,
        omfang=Omfang.FOR_SENT,
        minutter=10,
        versjon=dagens_fravaer_versjon(elev, MANDAG),
    )
    hendelser = pghistory.models.Events.objects.filter(pgh_model="fravaer.FravaerEvent")
    assert sorted(h.pgh_label for h in hendelser) == ["delete", "insert", "insert"]


def test_confirming_a_register_also_with_nobody_absent(klasse, laerer):
    registrering_bekreft(klasse=klasse, dato=MANDAG, bekreftet_av=laerer)
    registrering_bekreft(klasse=klasse, dato=MANDAG, bekreftet_av=laerer)
    assert Registrering.objects.get().bekreftet_av == laerer


@pytest.mark.parametrize(
    ("dato", "melding"),
    [
        (datetime.date(2026, 11, 22), "ikke en skoledag"),
        (datetime.date(2026, 11, 24), "fram i tid"),
    ],
)
def test_confirming_a_day_off_or_the_future_is_refused(klasse, laerer, dato, melding):
    with pytest.raises(ValidationError, match=melding):
        registrering_bekreft(klasse=klasse, dato=dato, bekreftet_av=laerer)
    assert not Registrering.objects.exists()
