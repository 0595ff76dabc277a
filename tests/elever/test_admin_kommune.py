"""The admin offers a kommune's administrator nothing of another kommune (DESIGN §10): not in a
list filter, not in an autocomplete, not among a form's choices, and a posted id of another
kommune's object is refused."""

import datetime

import pytest

from elever.models import Rolle
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
