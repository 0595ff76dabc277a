"""An absence import limited to the uploader's scope: a pupil outside it reads as not found,
and the result says what the import replaces and how much each pupil gets."""

import datetime

import pytest
import time_machine

from elever.importdata import Importfeil, Kilde
from elever.models import Elev
from fravaer.fravaerfil import Fravaerrad
from fravaer.models import Fravaer, Omfang
from fravaer.services import fravaer_importer
from tests.factories import KlasseFactory, UserFactory, elev_i_klasse

D = datetime.date


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(
        datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


def rad(elev, dato, linje):
    return Fravaerrad(
        elev=elev.fodselsnummer, dato=dato, omfang=Omfang.HELE_DAGEN, kilde=Kilde("f.csv", linje)
    )


def test_a_pupil_outside_the_scope_is_not_found_and_nothing_is_written(db):
    ada, bo = elev_i_klasse(KlasseFactory()), elev_i_klasse(KlasseFactory())
    with pytest.raises(Importfeil) as avvist:
        fravaer_importer(
            rader=[rad(ada, D(2026, 11, 2), 2), rad(bo, D(2026, 11, 2), 3)],
            registrert_av=UserFactory(),
            innenfor=Elev.objects.filter(pk=ada.pk),
        )
    assert [str(f) for f in avvist.value.feil] == [
        f"f.csv, linje 3: Fant ingen elev «{bo.fodselsnummer}» blant elevene du har tilgang til."
    ]
    assert not Fravaer.objects.exists()


def test_the_result_counts_what_is_replaced_and_each_pupils_entries(db):
    ada = elev_i_klasse(KlasseFactory())
    bruker = UserFactory()
    Fravaer.objects.create(
        elev=ada, dato=D(2026, 11, 2), omfang=Omfang.FOR_SENT, minutter=5, registrert_av=bruker
    )
    resultat = fravaer_importer(
        rader=[rad(ada, D(2026, 11, 2), 2), rad(ada, D(2026, 11, 3), 3)],
        registrert_av=bruker,
        innenfor=Elev.objects.all(),
        forhandsvis=True,
    )
    assert (resultat.dager, resultat.oppforinger, resultat.erstattet) == (2, 2, 1)
    assert resultat.per_elev == {ada: 2}
    assert list(Fravaer.objects.values_list("omfang", flat=True)) == [Omfang.FOR_SENT]
