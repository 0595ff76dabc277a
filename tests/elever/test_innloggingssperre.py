"""Login lockout (django-axes): many wrong passwords lock a username from one address."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from elever.models import Rolle, User
from tests.factories import PASSORD, KommuneFactory, UserFactory, gi_rolle

pytestmark = pytest.mark.django_db

INNLOGGING = "/logg-inn/"
ADMIN_INNLOGGING = "/admin/login/"


def forsok(client, url, brukernavn, passord, **meta):
    return client.post(url, {"username": brukernavn, "password": passord}, **meta)


def sperr(client, url, brukernavn, **meta):
    """Five wrong passwords (LOGIN_FAILURE_LIMIT's default); returns the last answer."""
    for _ in range(4):
        assert forsok(client, url, brukernavn, "feil", **meta).status_code == 200
    return forsok(client, url, brukernavn, "feil", **meta)


def er_logget_inn(client) -> bool:
    return client.get("/").status_code == 200


@pytest.fixture
def kari(db):
    kommune = KommuneFactory(navn="Fjordvik")
    return UserFactory(username="kari", first_name="Kari", kommune=kommune)


def test_the_fifth_wrong_password_locks_with_a_norwegian_page(client, kari):
    svar = sperr(client, INNLOGGING, "kari")
    html = svar.content.decode()
    assert svar.status_code == 429
    assert svar["Retry-After"] == "900"
    assert '<h1 class="ds-heading" data-size="lg">Innloggingen er sperret</h1>' in html
    assert "før det har gått 15 minutter uten nye forsøk" in html
    assert "kan kommunens administrator for Nærvær låse opp brukeren din" in html
    assert '<a class="ds-skip-link" href="#hovedinnhold">' in html  # the site's base template


def test_the_right_password_is_refused_while_locked_and_accepted_after_the_cool_off(client, kari):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sperr(client, INNLOGGING, "kari")
        svar = forsok(client, INNLOGGING, "kari", PASSORD)
        assert svar.status_code == 429
        assert not er_logget_inn(client)
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert forsok(client, INNLOGGING, "kari", PASSORD).status_code == 429
    # Each attempt while locked starts the cool-off again.
    with time_machine.travel(start + datetime.timedelta(minutes=30), tick=False):
        svar = forsok(client, INNLOGGING, "kari", PASSORD)
        assert svar.status_code == 302
        assert er_logget_inn(client)


def test_a_correct_login_before_the_limit_starts_the_count_again(client, kari):
    for _ in range(4):
        forsok(client, INNLOGGING, "kari", "feil")
    assert forsok(client, INNLOGGING, "kari", PASSORD).status_code == 302
    client.post("/logg-ut/")
    for _ in range(4):
        assert forsok(client, INNLOGGING, "kari", "feil").status_code == 200


def test_a_username_in_other_letters_logs_in_to_the_same_account(client, kari):
    assert forsok(client, INNLOGGING, "KaRi", PASSORD).status_code == 302
    assert er_logget_inn(client)


def test_changing_the_case_of_the_username_gives_no_new_tries(client, kari):
    for navn in ("kari", "Kari", "KARI", "kAri"):
        assert forsok(client, INNLOGGING, navn, "feil").status_code == 200
    assert forsok(client, INNLOGGING, "kaRI", "feil").status_code == 429
    assert forsok(client, INNLOGGING, "kari", PASSORD).status_code == 429


def test_a_letter_the_database_lowers_otherwise_is_no_way_past_the_lock(client, kari):
    """PostgreSQL lowers «İ» to «i», Python to «i» and a combining dot: a lock counted in
    one and a login looked up in the other would let «karİ» in while «kari» is locked."""
    sperr(client, INNLOGGING, "kari")
    assert forsok(client, INNLOGGING, "kar\u0130", PASSORD).status_code != 302
    assert not er_logget_inn(client)


def test_the_unlock_also_frees_a_lock_made_in_capitals(client, kari):
    admin = UserFactory(username="anne")
    gi_rolle(admin, Rolle.ADMINISTRATOR, kari.kommune)
    sperr(client, INNLOGGING, "KARI")
    client.force_login(admin)
    _laas_opp(client, kari)
    client.logout()
    assert forsok(client, INNLOGGING, "Kari", PASSORD).status_code == 302


def test_the_lock_holds_one_username_from_one_address_only(client, kari):
    UserFactory(username="per")
    sperr(client, INNLOGGING, "kari", REMOTE_ADDR="10.9.9.9")
    # Another teacher behind the same address (the school's network) still gets in …
    assert forsok(client, INNLOGGING, "per", PASSORD, REMOTE_ADDR="10.9.9.9").status_code == 302
    client.post("/logg-ut/")
    # … and so does Kari from her own machine.
    assert forsok(client, INNLOGGING, "kari", PASSORD, REMOTE_ADDR="10.1.1.1").status_code == 302


def test_the_admin_login_is_locked_the_same_way(client, kari):
    UserFactory(username="drift", is_superuser=True, is_staff=True)
    svar = sperr(client, ADMIN_INNLOGGING, "drift")
    assert svar.status_code == 429
    assert "Innloggingen er sperret" in svar.content.decode()
    assert forsok(client, ADMIN_INNLOGGING, "drift", PASSORD).status_code == 429
    assert client.get("/admin/").status_code == 302


def test_a_forged_forwarded_for_does_not_give_new_tries(client, kari, settings):
    """Behind one proxy the address it saw counts; what the client wrote to the left of it
    in X-Forwarded-For does not."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        forsok(
            client,
            INNLOGGING,
            "kari",
            "feil",
            REMOTE_ADDR="172.18.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7",
        )
    svar = forsok(
        client,
        INNLOGGING,
        "kari",
        PASSORD,
        REMOTE_ADDR="172.18.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )
    assert svar.status_code == 429
    # A colleague behind the same proxy, from another address, is not affected.
    svar = forsok(
        client,
        INNLOGGING,
        "kari",
        PASSORD,
        REMOTE_ADDR="172.18.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert svar.status_code == 302


def test_new_ipv6_addresses_in_the_same_network_give_no_new_tries(client, kari, settings):
    """A phone or home gets a whole /64 and can use a new address for every attempt."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(1, 6):
        forsok(client, INNLOGGING, "kari", "feil", HTTP_X_FORWARDED_FOR=f"2001:db8:1:2::{n:x}")
    svar = forsok(client, INNLOGGING, "kari", PASSORD, HTTP_X_FORWARDED_FOR="2001:db8:1:2::99")
    assert svar.status_code == 429
    # Another network is another client.
    svar = forsok(client, INNLOGGING, "kari", PASSORD, HTTP_X_FORWARDED_FOR="2001:db8:1:3::1")
    assert svar.status_code == 302


@pytest.mark.parametrize(
    ("adresser", "annen"),
    [
        (["192.0.2.7:5678", "192.0.2.7:5679"], "192.0.2.8:5678"),
        (["[2001:db8:1:2::1]:443", "[2001:db8:1:2::2]:443"], "[2001:db8:1:3::1]:443"),
    ],
)
def test_a_proxy_that_adds_the_port_still_tells_clients_apart(
    client, kari, settings, adresser, annen
):
    """Else every client would count as the proxy, and one could lock a name for all."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        forsok(client, INNLOGGING, "kari", "feil", HTTP_X_FORWARDED_FOR=adresser[n % 2])
    svar = forsok(client, INNLOGGING, "kari", PASSORD, HTTP_X_FORWARDED_FOR=adresser[0])
    assert svar.status_code == 429
    svar = forsok(client, INNLOGGING, "kari", PASSORD, HTTP_X_FORWARDED_FOR=annen)
    assert svar.status_code == 302


def test_without_trusted_proxies_forwarded_for_is_ignored(client, kari):
    for n in range(5):
        forsok(client, INNLOGGING, "kari", "feil", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    svar = forsok(client, INNLOGGING, "kari", PASSORD, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert svar.status_code == 429


def _laas_opp(client, bruker: User):
    return client.post(
        "/admin/elever/user/",
        {"action": "laas_opp_innlogging", "_selected_action": [bruker.pk]},
        follow=True,
    )


def test_the_kommunes_administrator_unlocks_an_account_of_the_kommune(client, kari):
    admin = UserFactory(username="anne")
    gi_rolle(admin, Rolle.ADMINISTRATOR, kari.kommune)
    sperr(client, INNLOGGING, "kari")

    client.force_login(admin)
    svar = _laas_opp(client, kari)
    assert "Innloggingen er låst opp for 1 bruker." in svar.content.decode()
    client.logout()

    assert forsok(client, INNLOGGING, "kari", PASSORD).status_code == 302


def test_an_administrator_of_another_kommune_cannot_unlock(client, kari):
    annen = UserFactory(username="ola")
    gi_rolle(annen, Rolle.ADMINISTRATOR, KommuneFactory(navn="Nabobygd"))
    sperr(client, INNLOGGING, "kari")

    client.force_login(annen)
    svar = _laas_opp(client, kari)
    assert "Innloggingen er låst opp for 0 brukere." in svar.content.decode()
    client.logout()

    assert forsok(client, INNLOGGING, "kari", PASSORD).status_code == 429


def test_only_the_operator_sees_the_list_of_failed_logins(client, kari):
    """The list spans every kommune's usernames, so a kommune's administrator gets none."""
    admin = UserFactory(username="anne")
    gi_rolle(admin, Rolle.ADMINISTRATOR, kari.kommune)
    sperr(client, INNLOGGING, "kari")
    client.force_login(admin)
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    client.force_login(UserFactory(username="drift", is_superuser=True, is_staff=True))
    svar = client.get("/admin/axes/accessattempt/")
    assert svar.status_code == 200 and "kari" in svar.content.decode()


def test_deactivating_ends_the_session_for_good_even_by_bulk_update(client, kari):
    """The database trigger bumps the login generation, so reactivating does not bring the
    old session back."""
    assert forsok(client, INNLOGGING, "kari", PASSORD).status_code == 302
    assert er_logget_inn(client)

    gammel = User.objects.get(pk=kari.pk)  # e.g. an import's copy, read before
    User.objects.filter(pk=kari.pk).update(is_active=False)
    User.objects.filter(pk=kari.pk).update(is_active=True)
    gammel.save()  # writes every field it read, the old login generation included

    svar = client.get("/")
    assert svar.status_code == 302
    assert svar["Location"].startswith(INNLOGGING)


def test_rotating_the_secret_key_keeps_sessions(client, kari, settings):
    assert forsok(client, INNLOGGING, "kari", PASSORD).status_code == 302
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "en-ny-hemmelig-nokkel-" + "x" * 40
    assert er_logget_inn(client)
