"""The class register keyboard-only in headless Chromium: mark, move, confirm."""

import datetime

import pytest
import time_machine

from elever.models import Rolle, Skoletime
from fravaer.models import Fravaer, Omfang, Registrering
from tests.browser.conftest import SCREENSHOTS, logg_inn
from tests.factories import KlasseFactory, UserFactory, elev_i_klasse, gi_rolle

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

    logg_inn(page, live_server, "kari")
    page.goto(f"{live_server.url}/fravaer/klasser/{klasse.pk}/")

    page.locator(f"#e{ada.pk}-status").focus()
    page.keyboard.press("h")  # Ada: the whole day
    page.locator(f"#rad-{ada.pk}").get_by_text("Lagret").wait_for()
    # "Lagret" and "Angre" fit the row: nothing jumps (a pixel of the focus ring aside).
    hoyde = page.locator(f"#rad-{ada.pk}").bounding_box()["height"]
    assert abs(hoyde - page.locator(f"#rad-{cy.pk}").bounding_box()["height"]) <= 1
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.id") == f"e{bo.pk}-status"
    page.keyboard.press("t")  # Bo: "Timer" waits for its lessons, and goes to them
    assert page.evaluate("document.activeElement.name") == f"e{bo.pk}-timer"
    with page.expect_response(lambda svar: f"/elever/{bo.pk}/" in svar.url):
        page.keyboard.press("3")  # lesson 3: now there is something to save
    assert page.locator(f"#e{bo.pk}-status").input_value() == "time"
    with page.expect_response(lambda svar: f"/elever/{bo.pk}/" in svar.url):
        page.keyboard.press("m")  # reported by the guardians
    page.locator(f"#rad-{bo.pk} button.angre[value*='\"meldt_av_foresatte\": false']").wait_for()
    with page.expect_response(lambda svar: f"/elever/{bo.pk}/" in svar.url):
        page.keyboard.press("h")  # a slip: the whole day …
    # The undo now offered goes back to lesson 3 with the guardians' word.
    page.locator(f"#rad-{bo.pk} button.angre[value*='\"meldt_av_foresatte\": true']").wait_for()
    page.keyboard.press("Control+z")  # … undone: lesson 3 and the guardians' word are back
    page.locator(f"#rad-{bo.pk}").get_by_text("Angret").wait_for()
    assert page.evaluate("document.activeElement.id") == f"e{bo.pk}-status"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("s")  # Cy: late, then the minutes
    page.keyboard.type("0")
    page.keyboard.press("Tab")
    page.locator(f"#rad-{cy.pk}").get_by_role("alert").get_by_text("mer enn 0").wait_for()
    page.locator(f"#e{cy.pk}-minutter").fill("10")
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
    # Chromium logs every 4xx answer; the refused minutes above (422) are the only one.
    assert [e for e in page.console_errors if "status of 422" not in e] == []


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, 5, tzinfo=datetime.UTC), tick=True)
def test_thirty_pupils_fit_one_laptop_screen(page, live_server):
    """UX.md: all 30 rows on one screen without scrolling on a laptop: a 1440×900 screen
    shows the whole register at once; a 1366×768 one needs no sideways scrolling."""
    klasse = KlasseFactory(navn="7B")
    for nummer in range(1, 7):
        Skoletime.objects.create(klasse=klasse, ukedag=1, nummer=nummer, fagkode="MAT01-05")
    for i in range(30):
        elev_i_klasse(klasse, fornavn=f"Elev{i:02d}", etternavn="Nordmann-Hansen")
    laerer = UserFactory(username="kari")
    gi_rolle(laerer, Rolle.KONTAKTLAERER, klasse)
    page.set_viewport_size({"width": 1440, "height": 900})
    logg_inn(page, live_server, "kari")
    page.goto(f"{live_server.url}/fravaer/klasser/{klasse.pk}/")
    rader = page.locator("table.register tbody tr")
    assert rader.count() == 30
    siste = rader.last.bounding_box()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "register-30.png")
    assert siste["y"] + siste["height"] <= 900  # every row without scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.set_viewport_size({"width": 1366, "height": 768})
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
