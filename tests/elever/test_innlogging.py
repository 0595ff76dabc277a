import pytest

from elever.models import User
from tests.factories import PASSORD

pytestmark = pytest.mark.django_db


def test_login_page_is_norwegian_with_landmarks_and_labels(client):
    html = client.get("/logg-inn/").content.decode()
    assert '<html lang="nb"' in html
    assert '<a class="ds-skip-link" href="#hovedinnhold">Hopp til hovedinnholdet</a>' in html
    assert '<main id="hovedinnhold"' in html and "<header" in html and "<footer" in html
    assert '<label class="ds-label" for="id_username">Brukernavn</label>' in html
    assert '<label class="ds-label" for="id_password">Passord</label>' in html
    assert "designsystemet-css-1.22.0/designsystemet.css" in html
    assert "django_htmx/htmx-2.min.js" in html


def test_login_takes_the_user_to_the_start_page(client, ansatt):
    response = client.post("/logg-inn/", {"username": "kari", "password": PASSORD}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "Hei, Kari" in response.content.decode()


def test_passwords_are_hashed_with_argon2(ansatt):
    assert User.objects.get(pk=ansatt.pk).password.startswith("argon2$")


def test_wrong_password_is_refused_with_a_plain_norwegian_message(client, ansatt):
    response = client.post("/logg-inn/", {"username": "kari", "password": "feil"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Du ble ikke logget inn" in html
    assert "Brukernavnet eller passordet er feil." in html
    assert 'aria-invalid="true"' in html
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_the_session(client, ansatt):
    client.force_login(ansatt)
    assert client.get("/logg-ut/").status_code == 405
    response = client.post("/logg-ut/", follow=True)
    assert response.redirect_chain == [("/logg-inn/", 302)]
    assert "Du er logget ut." in response.content.decode()
    assert client.get("/").status_code == 302


def test_a_logged_in_user_visiting_login_goes_to_start(client, ansatt):
    client.force_login(ansatt)
    assert client.get("/logg-inn/")["Location"] == "/"


def test_unknown_page_gives_a_norwegian_404_without_revealing_whether_it_exists(client, ansatt):
    client.force_login(ansatt)
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "Brukernavn"), ("nn", "Brukarnamn"), ("en", "Username")],
)
def test_chosen_language_is_used(client, language, expected):
    response = client.post("/sprak/", {"language": language, "next": "/logg-inn/"})
    assert response.status_code == 302
    html = client.get("/logg-inn/").content.decode()
    assert f'<html lang="{language}"' in html
    assert expected in html


def test_pages_carry_a_content_security_policy_with_a_script_nonce(client):
    response = client.get("/logg-inn/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
