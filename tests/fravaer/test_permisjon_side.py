"""The leave page: who may open it, registering an application for a guardian, granting and
refusing within one's authority, and the way out (utmelding) explained before anyone clicks."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from elever.models import Rolle
from fravaer.models import Fravaer, Gyldighet, Omfang, Permisjonssoknad
from fravaer.services import permisjonssoknad_registrer
from tests.factories import (
    FaggruppeFactory,
    KlasseFactory,
    SkoleFactory,
    UserFactory,
    elev_i_klasse,
    gi_rolle,
)

D = datetime.date
UTMELDING = "meldes ut av skolen (utmelding)"


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(
        datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def klasse(db):
    return KlasseFactory(navn="5A", skole=SkoleFactory(navn="Fjordvik skole"))


@pytest.fixture
def elev(klasse):
    return elev_i_klasse(klasse, fornavn="Ada")


@pytest.fixture
def brukere(klasse, elev):
    """A user per role, in and out of the pupil's scope."""
    faggruppe = FaggruppeFactory(skole=klasse.skole)
    faggruppe.medlemskap.create(elev=elev, fra=D(2026, 8, 1))
    annen_skole = SkoleFactory(navn="Nordli skole", kommune=klasse.skole.kommune)
    roller = {
        "kontakt": (Rolle.KONTAKTLAERER, klasse),
        "rektor": (Rolle.REKTOR, klasse.skole),
        "fag": (Rolle.FAGLAERER, faggruppe),
        "annen_kontakt": (Rolle.KONTAKTLAERER, KlasseFactory(skole=klasse.skole, navn="5B")),
        "ressurs": (Rolle.RESSURSTEAM, klasse.skole),
        "admin": (Rolle.ADMINISTRATOR, klasse.skole.kommune),
        "annen_rektor": (Rolle.REKTOR, annen_skole),
    }
    brukere = {"ingen": UserFactory(username="ingen")}
    for navn, (rolle, omfang) in roller.items():
        brukere[navn] = UserFactory(username=navn, first_name=navn.title(), last_name="Lærer")
        gi_rolle(brukere[navn], rolle, omfang)
    return brukere


def side(elev):
    return reverse("fravaer:permisjon", args=[elev.pk])


def svar_url(soknad):
    return reverse("fravaer:permisjon_svar", args=[soknad.elev_id, soknad.pk])


def soknad(elev, fra, til, av):
    return permisjonssoknad_registrer(elev=elev, fra=fra, til=til, arsak="reise", registrert_av=av)


def innhold(svar) -> str:
    return svar.content.decode()


@pytest.mark.parametrize("rolle", ["kontakt", "rektor"])
def test_kontaktlaerer_and_rektor_open_the_page(client, elev, brukere, rolle):
    client.force_login(brukere[rolle])
    svar = client.get(side(elev))
    html = innhold(svar)
    assert svar.status_code == 200
    assert "Ada Testesen" in html and "Registrer søknad fra foresatte" in html
    assert "Kontaktlæreren kan innvilge permisjon for 1 skoledag." in html
    assert "Rektor avgjør søknader om opptil 10 skoledager." in html
    assert UTMELDING in html  # the way out is explained before any application exists
    eget = "for opptil 10 skoledager" if rolle == "rektor" else "Du kan innvilge permisjon for 1"
    assert eget in html


@pytest.mark.parametrize(
    "rolle", ["fag", "annen_kontakt", "ressurs", "admin", "annen_rektor", "ingen"]
)
def test_everyone_else_gets_404_and_changes_nothing(client, elev, brukere, rolle):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), brukere["kontakt"])
    client.force_login(brukere[rolle])
    assert client.get(side(elev)).status_code == 404
    ny = {"fra": "2026-12-01", "til": "2026-12-01", "arsak": "reise"}
    assert client.post(side(elev), ny).status_code == 404
    for handling in ("innvilg", "avslaa"):
        assert client.post(svar_url(s), {"handling": handling}).status_code == 404
    assert Permisjonssoknad.objects.get() == s
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER
    assert not Fravaer.objects.exists()


def test_anonymous_is_sent_to_login(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), brukere["kontakt"])
    for svar in (client.get(side(elev)), client.post(svar_url(s), {"handling": "innvilg"})):
        assert svar.status_code == 302 and svar["Location"].startswith("/logg-inn/")
    assert not Fravaer.objects.exists()


def test_pupil_page_links_to_the_leave_page_for_those_who_may_use_it(client, elev, brukere):
    for rolle, synlig in [("kontakt", True), ("rektor", True), ("fag", False), ("ressurs", False)]:
        client.force_login(brukere[rolle])
        html = innhold(client.get(reverse("elever:elev", args=[elev.pk])))
        assert (side(elev) in html) is synlig


def test_registering_an_application_counts_its_school_days(client, elev, brukere):
    client.force_login(brukere["kontakt"])
    svar = client.post(side(elev), {"fra": "2026-11-27", "til": "2026-12-04", "arsak": "hoytid"})
    assert svar.status_code == 302 and svar["Location"] == side(elev)
    s = Permisjonssoknad.objects.get()
    assert (s.fra, s.til, s.arsak, s.skoledager, s.registrert_av) == (
        D(2026, 11, 27),
        D(2026, 12, 4),
        "hoytid",
        6,
        brukere["kontakt"],
    )
    html = innhold(client.get(side(elev)))
    assert "Søknaden er registrert. Den gjelder 6 skoledager." in html
    assert "27.11.2026–04.12.2026 · 6 skoledager" in html
    assert "Religiøs høytid" in html and "23.11.2026 10:00 av Kontakt Lærer" in html
    # Six days are beyond the kontaktlærer: no button, and who decides instead.
    assert 'value="innvilg"' not in html and "Rektor avgjør denne søknaden." in html


@pytest.mark.parametrize(
    ("data", "feil"),
    [
        ({"fra": "2026-12-04", "til": "2026-12-01", "arsak": "reise"}, "Sluttdatoen kan ikke"),
        ({"fra": "2026-11-28", "til": "2026-11-29", "arsak": "reise"}, "ingen skoledager"),
        ({"fra": "2026-12-01", "til": "2026-12-01", "arsak": "syk i magen"}, "Velg et gyldig"),
        ({"fra": "01.12.2026", "til": "", "arsak": ""}, "Til og med: Feltet er påkrevet"),
    ],
)
def test_a_bad_application_says_why_and_saves_nothing(client, elev, brukere, data, feil):
    client.force_login(brukere["kontakt"])
    svar = client.post(side(elev), data)
    html = innhold(svar)
    assert svar.status_code == 400
    assert "Søknaden ble ikke registrert" in html and feil in html
    assert not Permisjonssoknad.objects.exists()


def test_kontaktlaerer_grants_one_day_and_it_becomes_leave(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), brukere["kontakt"])
    client.force_login(brukere["kontakt"])
    html = innhold(client.get(side(elev)))
    assert 'value="innvilg"' in html and 'value="avslaa"' in html
    svar = client.post(svar_url(s), {"handling": "innvilg"})
    assert svar.status_code == 302 and svar["Location"] == side(elev)
    s.refresh_from_db()
    assert (s.status, s.behandlet_av) == (Permisjonssoknad.Status.INNVILGET, brukere["kontakt"])
    assert list(Fravaer.objects.values_list("dato", "omfang", "gyldighet")) == [
        (D(2026, 11, 27), Omfang.HELE_DAGEN, Gyldighet.PERMISJON)
    ]
    html = innhold(client.get(side(elev)))
    assert "Permisjonen er innvilget, og 1 skoledag er registrert som permisjon." in html
    assert "Innvilget" in html and "23.11.2026 av Kontakt Lærer" in html


def test_kontaktlaerer_cannot_grant_two_days(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 26), D(2026, 11, 27), brukere["kontakt"])
    client.force_login(brukere["kontakt"])
    for handling in ("innvilg", "avslaa"):
        svar = client.post(svar_url(s), {"handling": handling})
        assert svar.status_code == 302
        assert "Rektor avgjør" in innhold(client.get(svar["Location"]))
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER and s.behandlet is None
    assert not Fravaer.objects.exists()


def test_rektor_grants_ten_days(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 30), D(2026, 12, 11), brukere["kontakt"])
    assert s.skoledager == 10
    client.force_login(brukere["rektor"])
    assert 'value="innvilg"' in innhold(client.get(side(elev)))
    client.post(svar_url(s), {"handling": "innvilg"})
    assert Fravaer.objects.filter(gyldighet=Gyldighet.PERMISJON).count() == 10
    s.refresh_from_db()
    assert (s.status, s.behandlet_av) == (Permisjonssoknad.Status.INNVILGET, brukere["rektor"])


def test_eleven_days_cannot_be_granted_and_the_page_says_to_withdraw_instead(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 30), D(2026, 12, 14), brukere["kontakt"])
    assert s.skoledager == 11
    client.force_login(brukere["kontakt"])
    html = innhold(client.get(side(elev)))
    assert "Søknaden gjelder 11 skoledager og kan ikke innvilges" in html and UTMELDING in html
    assert "Rektor svarer på søknaden." in html and 'value="avslaa"' not in html
    client.force_login(brukere["rektor"])
    html = innhold(client.get(side(elev)))
    assert "Søknaden gjelder 11 skoledager og kan ikke innvilges" in html
    assert 'value="innvilg"' not in html and 'value="avslaa"' in html
    svar = client.post(svar_url(s), {"handling": "innvilg"})
    assert UTMELDING in innhold(client.get(svar["Location"]))
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER and not Fravaer.objects.exists()
    client.post(svar_url(s), {"handling": "avslaa"})
    s.refresh_from_db()
    assert (s.status, s.behandlet_av) == (Permisjonssoknad.Status.AVSLATT, brukere["rektor"])


def test_refusing_changes_no_absence(client, elev, brukere):
    kontakt = brukere["kontakt"]
    Fravaer.objects.create(
        elev=elev, dato=D(2026, 11, 23), omfang=Omfang.TIME, time=1, registrert_av=kontakt
    )
    s = soknad(elev, D(2026, 11, 23), D(2026, 11, 23), kontakt)
    client.force_login(kontakt)
    svar = client.post(svar_url(s), {"handling": "avslaa"})
    assert "Søknaden er avslått." in innhold(client.get(svar["Location"]))
    assert list(Fravaer.objects.values_list("omfang", "time", "gyldighet")) == [
        (Omfang.TIME, 1, Gyldighet.UKJENT)
    ]
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.AVSLATT
    # Answered once: a second answer is refused and changes nothing.
    svar = client.post(svar_url(s), {"handling": "innvilg"})
    assert "allerede behandlet" in innhold(client.get(svar["Location"]))
    assert Fravaer.objects.get().gyldighet == Gyldighet.UKJENT


def test_answers_are_post_only_and_need_a_known_action(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), brukere["kontakt"])
    client.force_login(brukere["rektor"])
    assert client.get(svar_url(s)).status_code == 405
    assert client.post(svar_url(s), {"handling": "slett"}).status_code == 404
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER


def test_an_application_is_answered_only_through_its_own_pupil(client, klasse, elev, brukere):
    """A pupil the user may decide for does not open another pupil's application."""
    annen = elev_i_klasse(KlasseFactory(navn="7C"), fornavn="Bo")
    s = soknad(annen, D(2026, 11, 27), D(2026, 11, 27), brukere["ingen"])
    client.force_login(brukere["rektor"])
    url = reverse("fravaer:permisjon_svar", args=[elev.pk, s.pk])
    assert client.post(url, {"handling": "innvilg"}).status_code == 404
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER and not Fravaer.objects.exists()


@pytest.mark.parametrize("antall", [2, 12])
def test_the_page_reads_a_fixed_number_of_queries(
    client, elev, brukere, antall, django_assert_max_num_queries
):
    rektor = brukere["rektor"]
    for uke in range(antall):
        fra = D(2026, 8, 17) + datetime.timedelta(weeks=uke)
        s = soknad(elev, fra, fra, brukere["kontakt"])
        if uke % 2:
            Permisjonssoknad.objects.filter(pk=s.pk).update(
                status=Permisjonssoknad.Status.AVSLATT,
                behandlet_av=rektor,
                behandlet=datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC),
            )
    client.force_login(rektor)
    with django_assert_max_num_queries(10):
        html = innhold(client.get(side(elev)))
    assert html.count('value="innvilg"') == antall // 2


def test_rektor_and_kontaktlaerer_find_pending_applications_on_the_start_page(
    client, klasse, elev, brukere
):
    soknad(elev, D(2026, 11, 30), D(2026, 12, 14), brukere["kontakt"])
    annen = elev_i_klasse(KlasseFactory(navn="7C"), fornavn="Bo")
    soknad(annen, D(2026, 11, 27), D(2026, 11, 27), brukere["ingen"])
    client.force_login(brukere["rektor"])
    html = innhold(client.get("/"))
    assert "Søknader om permisjon som venter på svar" in html
    assert f'href="{side(elev)}">Ada Testesen</a> – 30.11.2026–14.12.2026, 11 skoledager' in html
    assert "Bo Testesen" not in html
    client.force_login(brukere["kontakt"])  # the class's teacher sees that it waits, too
    assert "Ada Testesen</a> – 30.11.2026" in innhold(client.get("/"))
    client.force_login(brukere["annen_rektor"])
    assert "Søknader om permisjon som venter" not in innhold(client.get("/"))


def test_a_field_error_is_announced_with_its_field(client, elev, brukere):
    client.force_login(brukere["kontakt"])
    html = innhold(client.post(side(elev), {"fra": "2026-12-01", "til": "", "arsak": "reise"}))
    assert 'aria-invalid="true" aria-describedby="id_til_error"' in html
    assert 'id="id_til_error">Feltet er påkrevet.</p>' in html
