"""The leave pages in headless Chromium: register an application, open it, and grant it
with its grounds, by keyboard."""

import datetime

import pytest
import time_machine

from elever.models import Rolle
from fravaer.models import Fravaer, Gyldighet, Permisjonssoknad
from fravaer.permisjon import permisjon_innvilg, permisjonssoknad_registrer
from tests.browser.conftest import SCREENSHOTS, logg_inn
from tests.factories import KlasseFactory, UserFactory, elev_i_klasse, gi_rolle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, 5, tzinfo=datetime.UTC), tick=True)
def test_a_kontaktlaerer_registers_and_grants_a_day(page, live_server):
    klasse = KlasseFactory(navn="5A")
    ada = elev_i_klasse(klasse, fornavn="Ada", etternavn="Berg")
    laerer = UserFactory(username="kari", first_name="Kari", last_name="Lærer")
    gi_rolle(laerer, Rolle.KONTAKTLAERER, klasse)

    logg_inn(page, live_server, "kari")
    page.goto(f"{live_server.url}/elever/{ada.pk}/")
    page.get_by_role("link", name="Søknader om permisjon").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/fravaer/elever/{ada.pk}/permisjon/")

    # The browser's own date picker takes its keys in its own way; fill the dates directly.
    page.get_by_label("Fra og med").fill("2026-11-27")
    page.get_by_label("Til og med").fill("2026-11-27")
    page.get_by_label("Årsak").focus()
    page.keyboard.press("ArrowDown")  # the first reason in the list
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("Søknaden er registrert. Den gjelder 1 skoledag.").wait_for()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "permisjon.png", full_page=True)

    page.get_by_role("link", name="27.11.2026").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Med denne søknaden: 1 skoledag av høyst 10.").wait_for()
    page.get_by_label("Begrunnelse").focus()
    page.keyboard.type("Familiebesøk; eleven får med seg arbeid.")
    page.screenshot(path=SCREENSHOTS / "permisjonssoknad.png", full_page=True)
    page.get_by_role("button", name="Innvilg 27.11.2026").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Permisjonen er innvilget").wait_for()
    page.get_by_text("Familiebesøk; eleven får med seg arbeid.").wait_for()  # the grounds stay
    soknad = Permisjonssoknad.objects.get()
    assert (soknad.status, soknad.begrunnelse) == (
        Permisjonssoknad.Status.INNVILGET,
        "Familiebesøk; eleven får med seg arbeid.",
    )
    assert list(Fravaer.objects.values_list("dato", "gyldighet")) == [
        (datetime.date(2026, 11, 27), Gyldighet.PERMISJON)
    ]
    assert page.console_errors == []


@time_machine.travel(datetime.datetime(2026, 11, 23, 8, 5, tzinfo=datetime.UTC), tick=True)
def test_the_register_shows_granted_leave_and_the_keyboard_passes_over_it(page, live_server):
    klasse = KlasseFactory(navn="5A")
    ada, bo, cy = (elev_i_klasse(klasse, fornavn=n, etternavn="Berg") for n in ("Ada", "Bo", "Cy"))
    laerer = UserFactory(username="kari", first_name="Kari", last_name="Lærer")
    gi_rolle(laerer, Rolle.KONTAKTLAERER, klasse)
    rektor = UserFactory(username="rektor")
    gi_rolle(rektor, Rolle.REKTOR, klasse.skole)
    i_dag = datetime.date(2026, 11, 23)
    soknad = permisjonssoknad_registrer(
        elev=bo, fra=i_dag, til=i_dag, arsak="familiehendelse", registrert_av=laerer
    )
    permisjon_innvilg(
        soknad=soknad, behandlet_av=rektor, begrunnelse="Begravelse.", grunn_etter_start="Helg."
    )
    feil: list[str] = []
    page.on("pageerror", lambda exc: feil.append(str(exc)))

    logg_inn(page, live_server, "kari")
    page.goto(f"{live_server.url}/fravaer/klasser/{klasse.pk}/")
    page.locator(f"#rad-{bo.pk}").get_by_text("Permisjon", exact=True).wait_for()
    page.locator(f"#e{ada.pk}-gyldighet").focus()
    page.keyboard.press("p")  # no shortcut sets leave
    assert page.locator(f"#e{ada.pk}-gyldighet").input_value() == "ukjent"
    page.keyboard.press("ArrowDown")  # past Bo's leave, to Cy
    assert page.evaluate("document.activeElement.id") == f"e{cy.pk}-gyldighet"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == f"e{ada.pk}-gyldighet"
    assert feil == [] and page.console_errors == []
    assert not Fravaer.objects.exclude(elev=bo).exists()
