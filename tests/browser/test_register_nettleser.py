"""The class register keyboard-only in headless Chromium: mark, move, confirm."""

import datetime

import pytest
import time_machine

from elever.models import Rolle, Skoletime
from fravaer.models import Fravaer, Omfang, Registrering
from tests.browser.conftest import SCREENSHOTS
from tests.factories import PASSORD, KlasseFactory, UserFactory, elev_i_klasse, gi_rolle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, 5, tzinfo=datetime.UTC), tick=True)
def test_a_class_registered_with_the_keyboard_only(page, live_server):
    klasse = KlasseFactory(navn="5A")
    for nummer in range(1, 6):
        Skoletime.objects.create(
            klasse=klasse, ukedag=1, nummer=nummer, fagnavn="Norsk", fagkode="NOR"
        )
    ada, bo, cy = (elev_i_klasse(klasse, fornavn=n, etternavn="Berg") for n in ("Ada", "Bo", "Cy"))
    laerer = UserFactory(username="kari", first_name="Kari", last_name="Lærer")
    gi_rolle(laerer, Rolle.KONTAKTLAERER, klasse)

    page.goto(live_server.url + "/logg-inn/")
    page.keyboard.type("kari")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
    page.goto(f"{live_server.url}/fravaer/klasser/{klasse.pk}/")

    page.locator(f"#e{ada.pk}-status").focus()
    page.keyboard.press("h")  # Ada: the whole day
    page.locator(f"#rad-{ada.pk}").get_by_text("Lagret").wait_for()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.id") == f"e{bo.pk}-status"
    page.keyboard.press("3")  # Bo: lesson 3
    page.locator(f"#rad-{bo.pk}").get_by_text("Lagret").wait_for()
    page.keyboard.press("m")  # reported by the guardians
    page.wait_for_function(f"document.querySelector('#rad-{bo.pk} input[name$=meldt]').checked")
    page.locator(f"#rad-{bo.pk}").get_by_text("Lagret").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("s")  # Cy: late, then the minutes
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    page.locator(f"#rad-{cy.pk}").get_by_text("Lagret").wait_for()

    page.get_by_role("button", name="Bekreft registrering").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Registreringen er bekreftet.").wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "register.png", full_page=True)

    assert sorted(Fravaer.objects.values_list("elev__fornavn", "omfang", "time", "minutter")) == [
        ("Ada", Omfang.HELE_DAGEN, None, None),
        ("Bo", Omfang.TIME, 3, None),
        ("Cy", Omfang.FOR_SENT, None, 10),
    ]
    assert Fravaer.objects.get(elev=bo).meldt_av_foresatte
    assert Registrering.objects.filter(klasse=klasse).exists()
    assert page.console_errors == []
