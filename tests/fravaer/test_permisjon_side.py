"""The leave pages: who may open them, registering an application for a guardian, the
application's page with the pupil's leave in the school year, granting and refusing with
grounds within one's authority, and the way out (utmelding) explained before anyone clicks."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from elever.models import Rolle
from fravaer.models import Fravaer, Gyldighet, Omfang, Permisjonssoknad
from fravaer.permisjon import permisjon_innvilg, permisjonssoknad_registrer
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


def soknadsside(soknad):
    return reverse("fravaer:permisjonssoknad", args=[soknad.elev_id, soknad.pk])


GRUNN = "Familiebesøk; eleven får med seg arbeid."


def vedtak(handling, begrunnelse=GRUNN, **mer):
    return {"handling": handling, "begrunnelse": begrunnelse, **mer}


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
    assert (
        "Kontaktlæreren kan innvilge permisjon til eleven har 1 skoledag permisjon i skoleåret."
        in html
    )
    assert "Rektor kan innvilge permisjon til eleven har 10 skoledager permisjon" in html
    assert "Grensene gjelder all innvilget permisjon i skoleåret, ikke hver søknad." in html
    assert UTMELDING in html  # the way out is explained before any application exists
    assert "Permisjon i skoleåret 2026/2027" in html
    assert "Innvilget hittil: 0 skoledager av høyst 10." in html


def test_the_page_follows_the_kommunes_limits(client, klasse, elev, brukere):
    kommune = klasse.skole.kommune
    kommune.permisjon_kontaktlaerer_dager, kommune.permisjon_maks_dager = 3, 8
    kommune.save()
    client.force_login(brukere["kontakt"])
    html = innhold(client.get(side(elev)))
    assert "til eleven har 3 skoledager permisjon i skoleåret" in html
    assert "Mer enn 8 skoledager i skoleåret kan ikke innvilges" in html


@pytest.mark.parametrize(
    "rolle", ["fag", "annen_kontakt", "ressurs", "admin", "annen_rektor", "ingen"]
)
def test_everyone_else_gets_404_and_changes_nothing(client, elev, brukere, rolle):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), brukere["kontakt"])
    client.force_login(brukere[rolle])
    assert client.get(side(elev)).status_code == 404
    assert client.get(soknadsside(s)).status_code == 404
    ny = {"fra": "2026-12-01", "til": "2026-12-01", "arsak": "reise"}
    assert client.post(side(elev), ny).status_code == 404
    for handling in ("innvilg", "avslaa"):
        assert client.post(soknadsside(s), vedtak(handling)).status_code == 404
    assert Permisjonssoknad.objects.get() == s
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER
    assert not Fravaer.objects.exists()


def test_anonymous_is_sent_to_login(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), brukere["kontakt"])
    for svar in (client.get(side(elev)), client.post(soknadsside(s), vedtak("innvilg"))):
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
    assert f'href="{soknadsside(s)}">27.11.2026–04.12.2026</a> · 6 skoledager' in html
    html = innhold(client.get(soknadsside(s)))
    assert "Religiøs høytid" in html and "23.11.2026 10:00 av Kontakt Lærer" in html
    # Six days are beyond the kontaktlærer: no button, and who decides instead.
    assert 'value="innvilg"' not in html and "Rektor avgjør søknaden." in html


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


def test_kontaktlaerer_grants_one_day_with_grounds_shown_on_the_application(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), brukere["kontakt"])
    client.force_login(brukere["kontakt"])
    html = innhold(client.get(soknadsside(s)))
    assert 'value="innvilg"' in html and 'value="avslaa"' in html
    assert "Skoleåret 2026/2027: innvilget hittil 0 skoledager." in html
    assert "Med denne søknaden: 1 skoledag av høyst 10." in html
    svar = client.post(soknadsside(s), vedtak("innvilg"))
    assert svar.status_code == 302 and svar["Location"] == soknadsside(s)
    s.refresh_from_db()
    assert (s.status, s.behandlet_av, s.begrunnelse) == (
        Permisjonssoknad.Status.INNVILGET,
        brukere["kontakt"],
        GRUNN,
    )
    assert list(Fravaer.objects.values_list("dato", "omfang", "gyldighet")) == [
        (D(2026, 11, 27), Omfang.HELE_DAGEN, Gyldighet.PERMISJON)
    ]
    html = innhold(client.get(soknadsside(s)))
    assert "Permisjonen er innvilget, og 1 skoledag er registrert som permisjon." in html
    assert "Innvilget" in html and "23.11.2026 10:00 av Kontakt Lærer" in html
    assert GRUNN in html and 'value="innvilg"' not in html
    assert "Innvilget hittil: 1 skoledag av høyst 10." in innhold(client.get(side(elev)))


@pytest.mark.parametrize("handling", ["innvilg", "avslaa"])
def test_a_decision_without_grounds_is_refused_and_changes_nothing(client, elev, brukere, handling):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), brukere["kontakt"])
    client.force_login(brukere["kontakt"])
    svar = client.post(soknadsside(s), vedtak(handling, begrunnelse="  "))
    assert svar.status_code == 400
    assert "Begrunnelse: Skriv begrunnelsen for vedtaket." in innhold(svar)
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER and not Fravaer.objects.exists()


def test_the_second_day_in_the_year_is_the_rektors(client, elev, brukere):
    """Applications are not counted one by one: the year's total decides."""
    kontakt = brukere["kontakt"]
    forste = soknad(elev, D(2026, 11, 26), D(2026, 11, 26), kontakt)
    permisjon_innvilg(soknad=forste, behandlet_av=kontakt, begrunnelse=GRUNN)
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), kontakt)
    client.force_login(kontakt)
    html = innhold(client.get(soknadsside(s)))
    assert "Skoleåret 2026/2027: innvilget hittil 1 skoledag." in html
    assert "Med denne søknaden: 2 skoledager av høyst 10." in html
    assert "med denne søknaden blir det 2. Rektor avgjør søknaden." in html
    assert 'value="innvilg"' not in html and 'value="avslaa"' not in html
    svar = client.post(soknadsside(s), vedtak("innvilg"))
    assert svar.status_code == 400 and "Rektor avgjør søknaden." in innhold(svar)
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER
    client.force_login(brukere["rektor"])
    assert 'value="innvilg"' in innhold(client.get(soknadsside(s)))
    client.post(soknadsside(s), vedtak("innvilg"))
    assert Fravaer.objects.filter(gyldighet=Gyldighet.PERMISJON).count() == 2


def test_rektor_grants_ten_days(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 30), D(2026, 12, 11), brukere["kontakt"])
    assert s.skoledager == 10
    client.force_login(brukere["rektor"])
    assert 'value="innvilg"' in innhold(client.get(soknadsside(s)))
    client.post(soknadsside(s), vedtak("innvilg"))
    assert Fravaer.objects.filter(gyldighet=Gyldighet.PERMISJON).count() == 10
    s.refresh_from_db()
    assert (s.status, s.behandlet_av) == (Permisjonssoknad.Status.INNVILGET, brukere["rektor"])


def test_eleven_days_cannot_be_granted_and_the_page_says_to_withdraw_instead(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 30), D(2026, 12, 14), brukere["kontakt"])
    assert s.skoledager == 11
    client.force_login(brukere["kontakt"])
    html = innhold(client.get(soknadsside(s)))
    assert "høyst 10 skoledager permisjon i skoleåret, og med denne søknaden blir det 11" in html
    assert UTMELDING in html
    assert "Rektor svarer på søknaden." in html and 'value="avslaa"' not in html
    client.force_login(brukere["rektor"])
    html = innhold(client.get(soknadsside(s)))
    assert UTMELDING in html
    assert 'value="innvilg"' not in html and 'value="avslaa"' in html
    svar = client.post(soknadsside(s), vedtak("innvilg"))
    assert svar.status_code == 400 and UTMELDING in innhold(svar)
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER and not Fravaer.objects.exists()
    client.post(soknadsside(s), vedtak("avslaa", "Over kommunens grense; utmelding avtalt."))
    s.refresh_from_db()
    assert (s.status, s.behandlet_av, s.begrunnelse) == (
        Permisjonssoknad.Status.AVSLATT,
        brukere["rektor"],
        "Over kommunens grense; utmelding avtalt.",
    )


def test_leave_that_has_started_is_the_rektors_with_a_reason(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 23), D(2026, 11, 23), brukere["kontakt"])  # today
    client.force_login(brukere["kontakt"])
    html = innhold(client.get(soknadsside(s)))
    assert "Permisjon avgjøres før den begynner" in html and 'value="innvilg"' not in html
    svar = client.post(soknadsside(s), vedtak("innvilg", grunn_etter_start="Glemte den."))
    assert svar.status_code == 400 and "bare rektor innvilge den" in innhold(svar)
    client.force_login(brukere["rektor"])
    html = innhold(client.get(soknadsside(s)))
    assert 'value="innvilg"' in html and 'name="grunn_etter_start"' in html
    svar = client.post(soknadsside(s), vedtak("innvilg"))
    assert svar.status_code == 400 and "Skriv hvorfor den innvilges" in innhold(svar)
    # At the field it is about, which a screen reader announces with the field.
    assert 'id="id_grunn_etter_start_error"' in innhold(svar)
    assert 'aria-invalid="true"' in innhold(svar)
    assert not Fravaer.objects.exists()
    grunn = "Søknaden kom fredag; begravelse i dag."
    client.post(soknadsside(s), vedtak("innvilg", grunn_etter_start=grunn))
    s.refresh_from_db()
    assert (s.status, s.grunn_etter_start) == (Permisjonssoknad.Status.INNVILGET, grunn)
    html = innhold(client.get(soknadsside(s)))
    assert "Innvilget etter at permisjonen begynte, fordi" in html and grunn in html


def test_refusing_changes_no_absence(client, elev, brukere):
    kontakt = brukere["kontakt"]
    Fravaer.objects.create(
        elev=elev, dato=D(2026, 11, 23), omfang=Omfang.TIME, time=1, registrert_av=kontakt
    )
    s = soknad(elev, D(2026, 11, 23), D(2026, 11, 23), kontakt)
    client.force_login(kontakt)
    svar = client.post(soknadsside(s), vedtak("avslaa"))
    html = innhold(client.get(svar["Location"]))
    assert "Søknaden er avslått." in html and GRUNN in html
    assert list(Fravaer.objects.values_list("omfang", "time", "gyldighet")) == [
        (Omfang.TIME, 1, Gyldighet.UKJENT)
    ]
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.AVSLATT
    # Answered once: a second answer is refused and changes nothing.
    client.force_login(brukere["rektor"])
    svar = client.post(soknadsside(s), vedtak("innvilg", grunn_etter_start="Likevel."))
    assert svar.status_code == 400 and "allerede behandlet" in innhold(svar)
    assert Fravaer.objects.get().gyldighet == Gyldighet.UKJENT


def test_a_decision_needs_a_known_action(client, elev, brukere):
    s = soknad(elev, D(2026, 11, 27), D(2026, 11, 27), brukere["kontakt"])
    client.force_login(brukere["rektor"])
    assert client.post(soknadsside(s), vedtak("slett")).status_code == 404
    s.refresh_from_db()
    assert s.status == Permisjonssoknad.Status.VENTER


def test_an_application_is_answered_only_through_its_own_pupil(client, klasse, elev, brukere):
    """A pupil the user may decide for does not open another pupil's application."""
    annen = elev_i_klasse(KlasseFactory(navn="7C"), fornavn="Bo")
    s = soknad(annen, D(2026, 11, 27), D(2026, 11, 27), brukere["ingen"])
    client.force_login(brukere["rektor"])
    url = reverse("fravaer:permisjonssoknad", args=[elev.pk, s.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, vedtak("innvilg")).status_code == 404
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
                begrunnelse=GRUNN,
            )
    client.force_login(rektor)
    with django_assert_max_num_queries(11):  # one for the year's granted leave
        html = innhold(client.get(side(elev)))
    # Each application, waiting or decided, links to its own page.
    assert all(soknadsside(s) in html for s in Permisjonssoknad.objects.all())


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
