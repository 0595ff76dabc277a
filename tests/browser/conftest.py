"""Headless Chromium (Debian's, not Playwright's download) against a live server."""

import os
from pathlib import Path

import pytest
from django.db import connections

from tests.factories import PASSORD

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def page(live_server):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Nettlesertestene trenger {CHROMIUM} (apt install chromium).")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test
    # itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        yield page
        browser.close()
        # Connections opened while Playwright drove the loop belong to its context.
        connections.close_all()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def logg_inn(page, live_server, brukernavn: str) -> None:
    """Log in as people do, with the keyboard only: name, Tab, password, Enter."""
    page.goto(live_server.url + "/logg-inn/")
    page.keyboard.type(brukernavn)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSORD)
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/")
