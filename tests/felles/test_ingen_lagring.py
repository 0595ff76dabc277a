"""Nothing shown to a logged-in user is stored by a browser or proxy (Cache-Control)."""

import pytest

pytestmark = pytest.mark.django_db


def lagres_ikke(response) -> bool:
    verdier = {v.strip() for v in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= verdier


def test_the_start_page_of_a_logged_in_user_is_not_stored(client, ansatt):
    client.force_login(ansatt)
    response = client.get("/")
    assert response.status_code == 200
    assert lagres_ikke(response)


def test_an_htmx_fragment_is_not_stored(client, ansatt):
    client.force_login(ansatt)
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<section id="oppgaver"')
    assert lagres_ikke(response)


def test_a_404_for_a_logged_in_user_is_not_stored(client, ansatt):
    client.force_login(ansatt)
    response = client.get("/elever/999999/")
    assert response.status_code == 404
    assert lagres_ikke(response)


def test_the_admin_is_not_stored(client, administrator):
    client.force_login(administrator)
    for url in ("/admin/", "/admin/elever/user/"):
        response = client.get(url)
        assert response.status_code == 200
        assert lagres_ikke(response)


def test_static_files_stay_cacheable_for_a_logged_in_user(client, ansatt):
    client.force_login(ansatt)
    response = client.get("/static/css/naervaer.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_anonymous_answers_keep_their_headers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert "Cache-Control" not in response
