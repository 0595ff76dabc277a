"""Registering absence: what is accepted, and each bad input refused in Norwegian."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from elever.models import Skoleruteunntak, Skoletime
from fravaer.models import Fravaer, Gyldighet, Omfang, Permisjonssoknad
from fravaer.services import fravaer_registrer
from tests.factories import (
    KlasseFactory,
    UserFactory,
    elev_i_klasse,
    innvilget_permisjonssoknad,
)

D = datetime.date
MANDAG = D(2026, 11, 23)


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(
        datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def klasse(db):
    klasse = KlasseFactory(navn="5A")
    for nummer in range(1, 6):
        Skoletime.objects.create(
            klasse=klasse,
            ukedag=1,
            nummer=nummer,
            fagnavn="Norsk",
            start=datetime.time(8 + nummer - 1, 30),
            slutt=datetime.time(9 + nummer - 1, 15),
        )
    Skoleruteunntak.objects.create(
        kommune=klasse.skole.kommune,
        type="ferie",
        navn="Høstferie",
        fra=D(2026, 9, 28),
        til=D(2026, 10, 2),
    )
    return klasse


@pytest.fixture
def elev(klasse):
    return elev_i_klasse(klasse)


@pytest.fixture
def laerer(db):
    return UserFactory(username="laerer")


def registrer(elev, laerer, **felt):
    return fravaer_registrer(elev=elev, registrert_av=laerer, **({"dato": MANDAG} | felt))


def test_a_whole_day_today(elev, laerer):
    entry = registrer(elev, laerer, omfang=Omfang.HELE_DAGEN, meldt_av_foresatte=True)
    assert entry.gyldighet == Gyldighet.UKJENT and entry.meldt_tidspunkt is not None


def test_lessons_and_late_arrival(elev, laerer):
    registrer(elev, laerer, omfang=Omfang.TIME, time=2)
    registrer(elev, laerer, omfang=Omfang.FOR_SENT, time=1, minutter=10)
    assert Fravaer.objects.count() == 2


@pytest.mark.parametrize(
    ("felt", "melding"),
    [
        ({"dato": D(2026, 11, 24), "omfang": Omfang.HELE_DAGEN}, "fram i tid"),
        ({"dato": D(2026, 11, 21), "omfang": Omfang.HELE_DAGEN}, r"ikke en skoledag \(lørdag\)"),
        ({"dato": D(2026, 9, 30), "omfang": Omfang.HELE_DAGEN}, r"ikke en skoledag \(høstferie\)"),
        ({"omfang": Omfang.TIME, "time": 7}, "har ikke 7. time"),
        ({"omfang": Omfang.FOR_SENT, "minutter": 0}, "mer enn 0"),
        ({"omfang": Omfang.FOR_SENT, "minutter": 400}, r"lenger enn skoledagen \(285 minutter\)"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(elev, laerer, felt, melding):
    with pytest.raises(ValidationError, match=melding):
        registrer(elev, laerer, **felt)
    assert not Fravaer.objects.exists()


@pytest.mark.parametrize("dato", [MANDAG, D(2026, 11, 25)])
def test_leave_is_never_registered_by_hand(elev, laerer, dato):
    """Only a granted application writes leave; before this change, leave could be
    registered on any day, also ahead of time."""
    with pytest.raises(ValidationError, match="bare ved å innvilge en søknad om permisjon"):
        registrer(elev, laerer, dato=dato, omfang=Omfang.HELE_DAGEN, gyldighet="permisjon")
    assert not Fravaer.objects.exists()


def test_the_database_refuses_leave_without_a_granted_application(klasse, elev, laerer):
    """Leave written past the services: without an application, from one still waiting,
    outside the granted period, or from another pupil's application."""
    felt = {"omfang": Omfang.HELE_DAGEN, "gyldighet": "permisjon", "registrert_av": laerer}
    felt["arsak"] = "permisjon"
    innvilget = innvilget_permisjonssoknad(elev, MANDAG, MANDAG, laerer)
    venter = Permisjonssoknad.objects.create(
        elev=elev, fra=MANDAG, til=MANDAG, arsak="reise", skoledager=1, registrert_av=laerer
    )
    annen = elev_i_klasse(klasse)
    forsok = [
        (elev, MANDAG, None, "fravaer_permisjon_fra_soknad"),
        (elev, MANDAG, venter, "innvilget søknad"),
        (elev, D(2026, 11, 24), innvilget, "innvilget søknad"),
        (annen, MANDAG, innvilget, "innvilget søknad"),
    ]
    for hvem, dato, soknad, feil in forsok:
        with pytest.raises(IntegrityError, match=feil), transaction.atomic():
            Fravaer.objects.create(elev=hvem, dato=dato, permisjonssoknad=soknad, **felt)
    # "Innvilget permisjon" as the reason of ordinary absence would pass for leave too.
    with pytest.raises(IntegrityError, match="fravaer_permisjon_fra_soknad"), transaction.atomic():
        Fravaer.objects.create(elev=elev, dato=MANDAG, **(felt | {"gyldighet": "gyldig"}))
    assert not Fravaer.objects.exists()
    Fravaer.objects.create(elev=elev, dato=MANDAG, permisjonssoknad=innvilget, **felt)


def test_a_lesson_beside_a_whole_day_is_refused_in_norwegian(elev, laerer):
    registrer(elev, laerer, omfang=Omfang.HELE_DAGEN)
    with pytest.raises(ValidationError, match="borte hele dagen"):
        registrer(elev, laerer, omfang=Omfang.TIME, time=3)
    assert Fravaer.objects.count() == 1


def test_a_pupil_who_has_left_cannot_get_absence_after_leaving(elev, laerer):
    elev.skolemedlemskap.update(til=D(2026, 10, 31))
    with pytest.raises(ValidationError, match=r"gikk ikke ved skolen 23\.11\.2026"):
        registrer(elev, laerer, omfang=Omfang.HELE_DAGEN)


def test_a_decision_cannot_be_changed_afterwards(elev, laerer):
    """Back to waiting, or other dates, and the leave days would stand without a decision."""
    innvilget = innvilget_permisjonssoknad(elev, MANDAG, MANDAG, laerer)
    for endring in ({"status": "venter"}, {"til": D(2026, 11, 27)}, {"begrunnelse": "Annen"}):
        with pytest.raises(IntegrityError, match="kan ikke endres"), transaction.atomic():
            Permisjonssoknad.objects.filter(pk=innvilget.pk).update(**endring)
    Permisjonssoknad.objects.filter(pk=innvilget.pk).update(skoledager=1)  # the kept count
