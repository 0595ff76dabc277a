"""The few queries written as SQL read the same objects and values the ORM would."""

import datetime

import pytest
from django.utils import timezone

from elever.selectors import paa_klasselisten
from felles.sql import heltall
from fravaer.models import Fravaer, Gyldighet, Meldemaate, Omfang
from fravaer.services import _dagens
from tests.factories import KlasseFactory, UserFactory, elev_i_klasse

D = datetime.date


def felt(objekt) -> dict:
    return {f.attname: getattr(objekt, f.attname) for f in type(objekt)._meta.concrete_fields}


def test_an_integer_array_literal():
    assert heltall([3, 1, 2]) == "{3,1,2}"
    assert heltall([]) == "{}"
    with pytest.raises(ValueError):
        heltall(["1}; DROP TABLE elever_elev; --"])


def test_class_and_pupil_read_as_sql_equal_the_orm(db):
    klasse = KlasseFactory()
    elev = elev_i_klasse(klasse, fra=D(2026, 8, 17), gateadresse="Storgata 1", postnummer="0155")
    funnet = paa_klasselisten(klasse.pk, elev.pk, D(2026, 11, 2))
    assert funnet is not None
    assert [felt(o) for o in funnet] == [felt(type(o).objects.get(pk=o.pk)) for o in funnet]
    assert not funnet[1]._state.adding  # saved instances, as the ORM gives
    assert paa_klasselisten(klasse.pk, elev.pk, D(2026, 8, 16)) is None  # before the pupil came
    assert paa_klasselisten(klasse.pk + 1, elev.pk, D(2026, 11, 2)) is None


def test_a_days_entries_read_as_sql_equal_the_orm_in_lesson_order(db):
    elev = elev_i_klasse(KlasseFactory())
    laerer = UserFactory()
    felles = {"elev": elev, "dato": D(2026, 11, 2), "registrert_av": laerer}
    Fravaer.objects.create(**felles, omfang=Omfang.TIME, time=3, gyldighet=Gyldighet.UGYLDIG)
    Fravaer.objects.create(
        **felles,
        omfang=Omfang.FOR_SENT,
        minutter=10,
        meldt_av_foresatte=True,
        meldt_tidspunkt=timezone.now(),
        meldt_maate=Meldemaate.TELEFON,
    )
    Fravaer.objects.create(**felles, omfang=Omfang.TIME, time=1, gyldighet=Gyldighet.GYLDIG)
    orm = list(Fravaer.objects.filter(elev=elev, dato=D(2026, 11, 2)).order_by("time"))
    assert [felt(f) for f in _dagens(elev.pk, D(2026, 11, 2))] == [felt(f) for f in orm]
    assert [f.time for f in orm] == [1, 3, None]
