"""An htmx request after the session expired takes the whole page to the login, not a fragment."""

import pytest

pytestmark = pytest.mark.django_db


def test_htmx_request_without_login_reloads_the_page_at_the_login(client):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/logg-inn/?next=/"
    assert not response.has_header("Location")
    assert response.content == b""
    assert "HX-Request" in response["Vary"]


def test_next_is_the_page_the_user_was_on(client):
    response = client.get(
        "/", headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/klasser/?side=2"}
    )
    assert response["HX-Redirect"] == "/logg-inn/?next=/klasser/%3Fside%3D2"


def test_next_ignores_a_current_url_on_another_site(client):
    response = client.get(
        "/", headers={"HX-Request": "true", "HX-Current-URL": "https://annen.example/klasser/"}
    )
    assert response["HX-Redirect"] == "/logg-inn/?next=/"


def test_plain_request_still_gets_the_redirect_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/logg-inn/?next=/"
    assert not response.has_header("HX-Redirect")


def test_htmx_request_keeps_other_redirects(client):
    response = client.get("/favicon.ico", headers={"HX-Request": "true"})
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"


def test_htmx_logout_takes_the_page_to_the_login_page(client, ansatt):
    client.force_login(ansatt)
    response = client.post("/logg-ut/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/logg-inn/"
