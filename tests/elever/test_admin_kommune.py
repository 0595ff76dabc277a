"""The admin offers a kommune's administrator nothing of another kommune (DESIGN §10): not in a
list filter, not in an autocomplete, not among a form's choices, and a posted id of another
kommune's object is refused."""

import datetime

import pytest

from elever.models import Rolle, Skoletime
from tests.factories import (
    FaggruppeFactory,
    KlasseFactory,
    KommuneFactory,
    SkolearFactory,
    SkoleFactory,
    UserFactory,
    gi_rolle,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hjem():
    skole = SkoleFactory(navn="Fjordvik skole")
    klasse = KlasseFactory(skole=skole, navn="5A")
    admin = UserFactory(username="fjordvik.admin")
    gi_rolle(admin, Rolle.ADMINISTRATOR, skole.kommune)
    # An operator who also administers this kommune (as the demo's "admin").
    drift = UserFactory(username="fjordvik.drift", is_superuser=True, is_staff=True)
    gi_rolle(drift, Rolle.ADMINISTRATOR, skole.kommune)
    laerer = UserFactory(username="fjordvik.laerer", first_name="Frida", last_name="Fjell")
    gi_rolle(laerer, Rolle.KONTAKTLAERER, klasse)
    return {
        "skole": skole,
        "klasse": klasse,
        "admin": admin,
        "drift": drift,
        "laerer": laerer,
        "gruppe": FaggruppeFactory(skole=skole, skolear=klasse.skolear, navn="5A Tysk"),
    }


@pytest.fixture
def nabo():
    """Another kommune, with a school year starting another year than the home kommune's."""
    kommune = KommuneFactory(navn="Nabo kommune")
    skolear = SkolearFactory(
        kommune=kommune,
        start=datetime.date(2019, 8, 1),
        slutt=datetime.date(2020, 7, 31),
        forste_skoledag=datetime.date(2019, 8, 19),
        siste_skoledag=datetime.date(2020, 6, 19),
    )
    skole = SkoleFactory(kommune=kommune, navn="Nabo skole")
    klasse = KlasseFactory(skole=skole, skolear=skolear, navn="7N")
    laerer = UserFactory(username="nabo.laerer", first_name="Nils", last_name="Naboen")
    gi_rolle(laerer, Rolle.KONTAKTLAERER, klasse)
    return {
        "kommune": kommune,
        "skolear": skolear,
        "klasse": klasse,
        "laerer": laerer,
        "gruppe": FaggruppeFactory(skole=skole, skolear=skolear, navn="7N Naboltysk"),
    }


def test_the_class_list_filters_only_by_the_administrators_own_school_years(client, hjem, nabo):
    fjor = SkolearFactory(
        kommune=hjem["skole"].kommune,
        start=datetime.date(2025, 8, 1),
        slutt=datetime.date(2026, 7, 31),
        forste_skoledag=datetime.date(2025, 8, 18),
        siste_skoledag=datetime.date(2026, 6, 19),
    )
    KlasseFactory(skole=hjem["skole"], skolear=fjor, navn="4A", trinn=4)
    client.force_login(hjem["admin"])
    html = client.get("/admin/elever/klasse/").content.decode()
    for egen in (hjem["klasse"].skolear_id, fjor.pk):
        assert f"skolear__id__exact={egen}" in html
    assert "2026/2027" in html and "2025/2026" in html
    assert f"skolear__id__exact={nabo['skolear'].pk}" not in html
    assert "2019/2020" not in html


@pytest.mark.parametrize(
    ("felt", "sok", "egen", "annen"),
    [
        ("bruker", "laerer", "laerer", "laerer"),
        ("klasse", "", "klasse", "klasse"),
        ("faggruppe", "Tysk", "gruppe", "gruppe"),
    ],
)
def test_role_autocompletes_offer_only_the_administrators_kommune(
    client, hjem, nabo, felt, sok, egen, annen
):
    client.force_login(hjem["admin"])
    svar = client.get(
        "/admin/autocomplete/",
        {"app_label": "elever", "model_name": "rolletildeling", "field_name": felt, "term": sok},
    )
    assert svar.status_code == 200
    ider = {int(r["id"]) for r in svar.json()["results"]}
    assert hjem[egen].pk in ider
    assert nabo[annen].pk not in ider


def test_the_lesson_teacher_autocomplete_offers_only_the_administrators_kommune(client, hjem, nabo):
    client.force_login(hjem["admin"])
    svar = client.get(
        "/admin/autocomplete/",
        {"app_label": "elever", "model_name": "skoletime", "field_name": "laerer", "term": ""},
    )
    assert svar.status_code == 200
    ider = {int(r["id"]) for r in svar.json()["results"]}
    assert hjem["laerer"].pk in ider and nabo["laerer"].pk not in ider


def _timeplan(klasse, **time) -> dict:
    """The class's change form with one new lesson."""
    return {
        "skole": klasse.skole_id,
        "skolear": klasse.skolear_id,
        "navn": klasse.navn,
        "trinn": klasse.trinn,
        "kilde_id": "",
        "timeplan-TOTAL_FORMS": "1",
        "timeplan-INITIAL_FORMS": "0",
        "timeplan-0-ukedag": "1",
        "timeplan-0-nummer": "1",
        "timeplan-0-fagkode": "",
        "timeplan-0-fagnavn": "Tysk",
        "timeplan-0-faggruppe": "",
        "timeplan-0-laerer": "",
        "timeplan-0-start": "",
        "timeplan-0-slutt": "",
        **{f"timeplan-0-{k}": v for k, v in time.items()},
    }


ADMINISTRATORER = pytest.mark.parametrize("hvem", ["admin", "drift"])


@ADMINISTRATORER
def test_the_timetable_offers_only_the_classs_own_groups(client, hjem, nabo, hvem):
    client.force_login(hjem[hvem])
    html = client.get(f"/admin/elever/klasse/{hjem['klasse'].pk}/change/").content.decode()
    assert 'name="timeplan-TOTAL_FORMS"' in html
    assert "5A Tysk" in html
    assert "Naboltysk" not in html


@ADMINISTRATORER
@pytest.mark.parametrize(("felt", "hva"), [("laerer", "laerer"), ("faggruppe", "gruppe")])
def test_a_lesson_with_another_kommunes_teacher_or_group_is_refused(
    client, hjem, nabo, hvem, felt, hva
):
    client.force_login(hjem[hvem])
    url = f"/admin/elever/klasse/{hjem['klasse'].pk}/change/"
    svar = client.post(url, _timeplan(hjem["klasse"], **{felt: nabo[hva].pk}))
    assert svar.status_code == 200  # the form again, with the error
    assert "Velg et gyldig valg" in svar.content.decode()
    assert not Skoletime.objects.filter(klasse=hjem["klasse"]).exists()


@ADMINISTRATORER
def test_a_lesson_with_the_kommunes_own_teacher_and_group_is_saved(client, hjem, hvem):
    client.force_login(hjem[hvem])
    url = f"/admin/elever/klasse/{hjem['klasse'].pk}/change/"
    svar = client.post(
        url,
        _timeplan(hjem["klasse"], laerer=hjem["laerer"].pk, faggruppe=hjem["gruppe"].pk),
    )
    assert svar.status_code == 302
    time = Skoletime.objects.get(klasse=hjem["klasse"])
    assert (time.laerer, time.faggruppe) == (hjem["laerer"], hjem["gruppe"])
