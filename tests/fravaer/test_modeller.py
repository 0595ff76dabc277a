"""What the database refuses about absence entries, and the history every change leaves."""

import datetime

import pghistory
import pytest
from django.db import IntegrityError, transaction

from fravaer.models import Fravaer, Gyldighet, Omfang
from tests.factories import ElevFactory, UserFactory

pytestmark = pytest.mark.django_db
DATO = datetime.date(2026, 11, 23)


@pytest.fixture
def elev():
    return ElevFactory()


@pytest.fixture
def laerer():
    return UserFactory(username="laerer")


def fravaer(elev, laerer, **felt):
    return Fravaer.objects.create(elev=elev, dato=DATO, registrert_av=laerer, **felt)


def test_a_whole_day_stands_alone(elev, laerer):
    fravaer(elev, laerer, omfang=Omfang.HELE_DAGEN)
    for felt in ({"omfang": Omfang.TIME, "time": 3}, {"omfang": Omfang.FOR_SENT, "minutter": 10}):
        with pytest.raises(IntegrityError), transaction.atomic():
            fravaer(elev, laerer, **felt)


def test_lessons_may_stand_together_but_not_twice(elev, laerer):
    fravaer(elev, laerer, omfang=Omfang.TIME, time=1)
    fravaer(elev, laerer, omfang=Omfang.TIME, time=2)
    fravaer(elev, laerer, omfang=Omfang.FOR_SENT, minutter=15, time=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        fravaer(elev, laerer, omfang=Omfang.TIME, time=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        fravaer(elev, laerer, omfang=Omfang.HELE_DAGEN)


@pytest.mark.parametrize(
    "felt",
    [
        {"omfang": Omfang.HELE_DAGEN, "time": 2},
        {"omfang": Omfang.HELE_DAGEN, "minutter": 5},
        {"omfang": Omfang.TIME},
        {"omfang": Omfang.FOR_SENT},
        {"omfang": Omfang.FOR_SENT, "minutter": 0},
        {"omfang": Omfang.TIME, "time": 13},
        {"omfang": Omfang.HELE_DAGEN, "meldt_av_foresatte": True},
    ],
)
def test_contradictory_fields_are_refused(elev, laerer, felt):
    with pytest.raises(IntegrityError), transaction.atomic():
        fravaer(elev, laerer, **felt)


def test_every_change_keeps_who_and_what_also_for_bulk_updates(elev, laerer):
    entry = fravaer(elev, laerer, omfang=Omfang.HELE_DAGEN)
    with pghistory.context(user=laerer.pk, url="/test/"):
        Fravaer.objects.filter(pk=entry.pk).update(gyldighet=Gyldighet.GYLDIG)
    Fravaer.objects.filter(pk=entry.pk).delete()
    hendelser = list(pghistory.models.Events.objects.references(entry).order_by("pgh_created_at"))
    assert [h.pgh_label for h in hendelser] == ["insert", "update", "delete"]
    assert hendelser[1].pgh_diff == {"gyldighet": ["ukjent", "gyldig"]}
    assert hendelser[1].pgh_context["user"] == laerer.pk
