"""Login and the start page in headless Chromium, keyboard only."""

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.factories import PASSORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keyboard_only_login_reaches_a_styled_start_page(page, live_server):
    UserFactory(username="kari", first_name="Kari", last_name="Nordmann")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(live_server.url + "/")
    assert page.url == live_server.url + "/logg-inn/?next=/"
    assert page.title() == "Logg inn – Nærvær"
    # The username field has focus from the start; Tab moves to the password.
    page.keyboard.type("kari")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSORD)
    page.screenshot(path=SCREENSHOTS / "innlogging.png")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")

    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Kari"
    assert page.get_by_role("banner").get_by_text("Kari Nordmann").is_visible()
    # The bundled Inter font and Designsystemet's styles are in use, not browser defaults.
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px Inter')")
    assert "Inter" in page.evaluate("getComputedStyle(document.body).fontFamily")
    logout = page.get_by_role("button", name="Logg ut")
    assert logout.evaluate("b => getComputedStyle(b).borderRadius") != "0px"
    # The first Tab stop is the skip link, and it moves focus to the main landmark.
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Hopp til hovedinnholdet"
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "hovedinnhold"
    page.screenshot(path=SCREENSHOTS / "start.png", full_page=True)
    # Nothing was blocked by the Content-Security-Policy or failed to load.
    assert page.console_errors == []


def test_htmx_refreshes_the_task_region_in_place(page, live_server):
    user = UserFactory(username="kari", first_name="Kari")
    page.goto(live_server.url + "/logg-inn/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(live_server.url + "/")
    page.evaluate("document.getElementById('oppgaver').dataset.merket = 'gammel'")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_role("link", name="Oppdater").click()
    page.wait_for_function("!document.getElementById('oppgaver').dataset.merket")
    assert page.url == live_server.url + "/"
    assert page.locator("#oppgaver").count() == 1
    assert page.locator("header").count() == 1
    assert page.console_errors == []
