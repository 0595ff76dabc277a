"""The read log (DESIGN §8) as an auditor reads it: who was shown a full fødselsnummer or a
guardian's contact data, of which object, when — never the data itself — in a table nobody
can change afterwards."""

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from elever.leselogg import Lesing, leselogg_skriv
from elever.models import Foresattrelasjon, Rolle
from tests.factories import (
    FaggruppeFactory,
    ForesattFactory,
    KlasseFactory,
    UserFactory,
    elev_i_klasse,
    gi_rolle,
)

pytestmark = pytest.mark.django_db
I_DAG = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(I_DAG, tick=False):
        yield


@pytest.fixture
def klasse():
    return KlasseFactory(navn="5A")


@pytest.fixture
def elev(klasse):
    elev = elev_i_klasse(klasse)
    for telefon in ("41234567", "47654321"):
        foresatt = ForesattFactory(kommune=elev.kommune, telefon=telefon)
        Foresattrelasjon.objects.create(elev=elev, foresatt=foresatt, foreldreansvar=True)
    return elev


def bruker_med(rolle, omfang):
    bruker = UserFactory()
    gi_rolle(bruker, rolle, omfang)
    return bruker


def vis_elev(client, bruker, elev) -> str:
    client.force_login(bruker)
    svar = client.get(reverse("elever:elev", args=[elev.pk]))
    assert svar.status_code == 200
    return svar.content.decode()


def logget():
    return sorted(Lesing.objects.values_list("bruker_id", "hva", "objekt_id"))


def test_a_kontaktlaerer_viewing_a_pupil_logs_each_guardians_contact_data_in_one_insert(
    client, klasse, elev
):
    kontakt = bruker_med(Rolle.KONTAKTLAERER, klasse)
    with CaptureQueriesContext(connection) as q:
        html = vis_elev(client, kontakt, elev)
    assert "41234567" in html and elev.fodselsnummer not in html
    foresatte = elev.foresattrelasjoner.values_list("foresatt_id", flat=True)
    assert logget() == sorted((kontakt.pk, "foresatt.kontakt", f) for f in foresatte)
    innsettinger = [s for s in q.captured_queries if 'INSERT INTO "elever_lesing"' in s["sql"]]
    assert len(innsettinger) == 1


def test_a_rektor_seeing_the_full_number_logs_that_too(client, klasse, elev):
    rektor = bruker_med(Rolle.REKTOR, klasse.skole)
    html = vis_elev(client, rektor, elev)
    assert elev.fodselsnummer in html
    assert (rektor.pk, "elev.fodselsnummer", elev.pk) in logget()
    assert len(logget()) == 3


def test_a_faglaerer_who_sees_no_guardians_or_number_logs_nothing(client, klasse, elev):
    gruppe = FaggruppeFactory(skole=klasse.skole)
    elev.faggruppemedlemskap.create(faggruppe=gruppe, fra=datetime.date(2026, 8, 17))
    html = vis_elev(client, bruker_med(Rolle.FAGLAERER, gruppe), elev)
    assert "41234567" not in html
    assert logget() == []


def test_the_log_holds_who_what_and_when_but_never_the_number_or_the_phone(client, klasse, elev):
    vis_elev(client, bruker_med(Rolle.REKTOR, klasse.skole), elev)
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(l)::text FROM elever_lesing l")
        rader = " ".join(rad[0] for rad in cursor.fetchall())
    assert rader.count('"hva"') == 3  # the number and two guardians
    for innhold in (elev.fodselsnummer, "41234567", "47654321", elev.fornavn):
        assert innhold not in rader
    assert all(lesing.tidspunkt == I_DAG for lesing in Lesing.objects.all())


def test_each_object_is_logged_once_per_page_and_an_empty_page_writes_nothing():
    bruker = UserFactory()
    with CaptureQueriesContext(connection) as q:
        leselogg_skriv(bruker=bruker, lest={"elev.fodselsnummer": [], "sak.innhold": []})
    assert q.captured_queries == []
    leselogg_skriv(bruker=bruker, lest={"sak.innhold": [7, 7, 8]})
    assert logget() == [(bruker.pk, "sak.innhold", 7), (bruker.pk, "sak.innhold", 8)]


@pytest.mark.parametrize(
    "forsok",
    [
        lambda: Lesing.objects.update(objekt_id=0),
        lambda: Lesing.objects.all().delete(),
        lambda: _sql("UPDATE elever_lesing SET bruker_id = bruker_id"),
        lambda: _sql("DELETE FROM elever_lesing"),
    ],
    ids=["orm-update", "orm-delete", "sql-update", "sql-delete"],
)
def test_the_log_cannot_be_changed_or_deleted(forsok):
    leselogg_skriv(bruker=UserFactory(), lest={"elev.fodselsnummer": [1]})
    for_ = logget()
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        forsok()
    assert logget() == for_


def _sql(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)
