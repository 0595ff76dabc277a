import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from elever.models import Rolle
from tests.factories import SkoleFactory, gi_rolle

pytestmark = pytest.mark.django_db


def test_start_page_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/logg-inn/?next=/"


@time_machine.travel(dt.datetime(2026, 11, 18, 8, 5, tzinfo=ZoneInfo("Europe/Oslo")), tick=False)
def test_start_page_greets_the_user_with_the_date_and_week_in_norwegian(client, ansatt):
    client.force_login(ansatt)
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "Hei, Kari" in html
    assert "Kari Nordmann" in html and "Ansatt" in html
    assert "onsdag 18. november 2026 · uke 47" in html
    assert 'id="oppgaver"' in html


def test_htmx_request_gets_only_the_tasks_fragment(client, ansatt):
    client.force_login(ansatt)
    response = client.get("/", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="oppgaver"')
    assert "<html" not in html and "<header" not in html
    assert "Dine oppgaver i dag" in html


def test_page_and_fragment_vary_on_the_htmx_headers(client, ansatt):
    client.force_login(ansatt)
    for headers in ({}, {"HX-Request": "true"}):
        vary = {v.strip() for v in client.get("/", headers=headers)["Vary"].split(",")}
        assert {"HX-Request", "HX-History-Restore-Request"} <= vary


def test_htmx_history_restore_gets_the_whole_page(client, ansatt):
    client.force_login(ansatt)
    response = client.get("/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and "<header" in html
    assert 'id="oppgaver"' in html


def test_header_names_the_operator_without_a_role(client, administrator):
    client.force_login(administrator)
    assert "Driftsansvarlig" in client.get("/").content.decode()


def test_header_names_the_users_roles(client, ansatt):
    skole = SkoleFactory()
    gi_rolle(ansatt, Rolle.REKTOR, skole)
    gi_rolle(ansatt, Rolle.ADMINISTRATOR, skole.kommune)
    client.force_login(ansatt)
    assert "Administrator, Rektor / skoleledelse" in client.get("/").content.decode()
