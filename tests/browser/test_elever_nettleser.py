"""A kontaktlærer finds a pupil's guardians keyboard-only: Mine klasser → class → pupil."""

import datetime

import pytest
import time_machine

from elever.models import Foresattrelasjon, Rolle
from tests.browser.conftest import SCREENSHOTS, logg_inn
from tests.factories import (
    ForesattFactory,
    KlasseFactory,
    SkoleFactory,
    UserFactory,
    elev_i_klasse,
    gi_rolle,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC), tick=True)
def test_teacher_reaches_a_pupils_guardians_with_the_keyboard(page, live_server):
    klasse = KlasseFactory(navn="5A", skole=SkoleFactory(navn="Fjordvik skole"))
    elev = elev_i_klasse(klasse, fornavn="Ada", etternavn="Berg")
    elev_i_klasse(KlasseFactory(navn="5B", skole=klasse.skole), fornavn="Annen")
    foresatt = ForesattFactory(
        kommune=elev.kommune, fornavn="Mona", etternavn="Berg", telefon="41234567"
    )
    Foresattrelasjon.objects.create(
        elev=elev, foresatt=foresatt, foreldreansvar=True, kan_motta_dokumenter=True
    )
    laerer = UserFactory(username="kari", first_name="Kari", last_name="Lærer")
    gi_rolle(laerer, Rolle.KONTAKTLAERER, klasse)

    logg_inn(page, live_server, "kari")
    assert page.get_by_role("banner").get_by_text("Kontaktlærer").is_visible()

    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Mine klasser"
    ).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/klasser/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mine klasser"
    assert page.get_by_role("link", name="5B").count() == 0
    page.get_by_role("link", name="5A").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/klasser/*/")
    assert "Annen" not in page.content()
    page.get_by_role("link", name="Ada Berg").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/elever/*/")
    foresatte = page.get_by_role("region", name="Foresatte")
    assert foresatte.get_by_text("Mona Berg").is_visible()
    assert foresatte.get_by_text("Mottar dokumenter").is_visible()
    assert elev.fodselsnummer[:6] + " *****" in page.content()
    assert elev.fodselsnummer not in page.content()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "elevkort.png", full_page=True)
    assert page.console_errors == []
