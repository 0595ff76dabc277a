"""The task lists on the start page: call home after more than 3 days without word, and the
classes the leadership sees not registered today."""

import datetime

import pytest
import time_machine

from elever.models import Rolle
from fravaer.models import Fravaer, Omfang, Registrering
from tests.factories import KlasseFactory, UserFactory, elev_i_klasse, gi_rolle

D = datetime.date


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(
        datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def klasse(db):
    return KlasseFactory(navn="5A")


def borte(elev, laerer, *dager, meldt_paa=()):
    for dag in dager:
        Fravaer.objects.create(
            elev=elev,
            dato=dag,
            omfang=Omfang.HELE_DAGEN,
            registrert_av=laerer,
            meldt_av_foresatte=dag in meldt_paa,
            meldt_tidspunkt=datetime.datetime(2026, 11, 17, tzinfo=datetime.UTC)
            if dag in meldt_paa
            else None,
        )


def test_kontaktlaerer_is_told_to_call_after_more_than_three_days(client, klasse):
    kontakt = UserFactory(username="kontakt")
    gi_rolle(kontakt, Rolle.KONTAKTLAERER, klasse)
    fire, tre, meldt = (elev_i_klasse(klasse, fornavn=n) for n in ("Fire", "Tre", "Meldt"))
    uke = [D(2026, 11, 17), D(2026, 11, 18), D(2026, 11, 19), D(2026, 11, 20)]
    borte(fire, kontakt, *uke)  # Tuesday–Friday, and today not registered yet
    borte(tre, kontakt, *uke[1:])
    borte(meldt, kontakt, *uke, meldt_paa=(uke[2],))
    client.force_login(kontakt)
    html = client.get("/").content.decode()
    assert "Ring foresatte" in html
    assert "Fire Testesen</a> – borte 4 skoledager på rad uten melding" in html
    assert "Tre Testesen" not in html and "Meldt Testesen" not in html


def test_leadership_sees_classes_not_registered_today(client, klasse):
    rektor = UserFactory(username="rektor")
    gi_rolle(rektor, Rolle.REKTOR, klasse.skole)
    KlasseFactory(skole=klasse.skole, navn="5B")
    client.force_login(rektor)
    html = client.get("/").content.decode()
    assert "Klasser som ikke har registrert fravær i dag" in html
    assert ">5A</a>" in html and ">5B</a>" in html
    Registrering.objects.create(klasse=klasse, dato=D(2026, 11, 23), bekreftet_av=rektor)
    html = client.get("/", headers={"HX-Request": "true"}).content.decode()
    assert ">5A</a>" not in html and ">5B</a>" in html


def test_nothing_to_register_on_a_saturday(client, klasse):
    rektor = UserFactory(username="rektor")
    gi_rolle(rektor, Rolle.REKTOR, klasse.skole)
    client.force_login(rektor)
    with time_machine.travel(
        datetime.datetime(2026, 11, 21, 10, 0, tzinfo=datetime.UTC), tick=False
    ):
        html = client.get("/").content.decode()
    assert "Du har ingen oppgaver som venter." in html
