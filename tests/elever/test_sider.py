"""The pages for classes, pupils, schools and the calendar, used as a teacher, a rektor and
an administrator would."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from elever.models import Rolle, Skolear, Skoleruteunntak, Skoletime
from tests.factories import (
    FaggruppeFactory,
    KlasseFactory,
    SkoleFactory,
    UserFactory,
    elev_i_klasse,
    gi_rolle,
)

I_DAG = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(I_DAG, tick=False):
        yield


@pytest.fixture
def klasse(db):
    return KlasseFactory(navn="5A", skole=SkoleFactory(navn="Fjordvik skole"))


@pytest.fixture
def kontakt(klasse):
    bruker = UserFactory(username="kontakt", first_name="Kari", last_name="Kontakt")
    gi_rolle(bruker, Rolle.KONTAKTLAERER, klasse)
    return bruker


@pytest.fixture
def admin(klasse):
    bruker = UserFactory(username="admin")
    gi_rolle(bruker, Rolle.ADMINISTRATOR, klasse.skole.kommune)
    return bruker


def test_my_classes_lists_the_teachers_class_with_its_size(client, klasse, kontakt):
    for _ in range(3):
        elev_i_klasse(klasse)
    annen = KlasseFactory(skole=klasse.skole, navn="5B")
    elev_i_klasse(annen)
    client.force_login(kontakt)
    html = client.get(reverse("elever:klasser")).content.decode()
    assert "Mine klasser" in html and ">5A</a>" in html and ">5B</a>" not in html
    assert "<td>3</td>" in html
    assert "Kari Kontakt" in html


@pytest.mark.parametrize("antall", [10, 40])
def test_class_page_costs_the_same_queries_for_10_and_40_pupils(
    client, klasse, kontakt, antall, django_assert_max_num_queries
):
    elever = [elev_i_klasse(klasse) for _ in range(antall)]
    Skoletime.objects.create(klasse=klasse, ukedag=1, nummer=1, fagnavn="Norsk", laerer=kontakt)
    client.force_login(kontakt)
    with django_assert_max_num_queries(9):
        html = client.get(reverse("elever:klasse", args=[klasse.pk])).content.decode()
    assert f"{antall} elever per" in html
    assert elever[0].fodselsnummer[:6] + " *****" in html
    assert elever[0].fodselsnummer not in html
    assert "Norsk" in html


@pytest.mark.parametrize("antall", [2, 12])
def test_school_page_queries_do_not_grow_with_classes(
    client, klasse, antall, django_assert_max_num_queries
):
    rektor = UserFactory(username="rektor")
    gi_rolle(rektor, Rolle.REKTOR, klasse.skole)
    for i in range(antall):
        k = KlasseFactory(skole=klasse.skole, navn=f"{i % 10 + 1}X{i}")
        gi_rolle(UserFactory(), Rolle.KONTAKTLAERER, k)
        elev_i_klasse(k)
    client.force_login(rektor)
    with django_assert_max_num_queries(10):
        html = client.get(reverse("elever:skole", args=[klasse.skole.pk])).content.decode()
    assert "Mangler kontaktlærer" in html  # 5A has none
    assert "Rektor / skoleledelse" in html


def test_a_class_list_on_an_earlier_date_shows_who_was_in_the_class_then(client, klasse, kontakt):
    elev = elev_i_klasse(klasse, fra=datetime.date(2026, 11, 1))
    client.force_login(kontakt)
    url = reverse("elever:klasse", args=[klasse.pk])
    assert elev.fornavn in client.get(url).content.decode()
    assert elev.fornavn not in client.get(url, {"dato": "2026-10-01"}).content.decode()
    assert client.get(url, {"dato": "ikke-en-dato"}).status_code == 404


def test_teaching_group_page_lists_its_pupils_for_the_faglaerer(client, klasse):
    gruppe = FaggruppeFactory(skole=klasse.skole, navn="8 Spansk")
    elev = elev_i_klasse(klasse)
    gruppe.medlemskap.create(elev=elev, fra=datetime.date(2026, 8, 1))
    fag = UserFactory(username="fag")
    gi_rolle(fag, Rolle.FAGLAERER, gruppe)
    client.force_login(fag)
    assert "8 Spansk" in client.get(reverse("elever:klasser")).content.decode()
    assert (
        elev.fornavn in client.get(reverse("elever:faggruppe", args=[gruppe.pk])).content.decode()
    )


def test_menu_shows_only_what_the_role_opens(client, klasse, kontakt, admin):
    client.force_login(kontakt)
    html = client.get("/").content.decode()
    assert "Mine klasser" in html and "Skolerute" not in html and "Administrasjon" not in html
    client.force_login(admin)
    html = client.get("/").content.decode()
    assert "Skolerute" in html and "Administrasjon" in html


class TestSkolerute:
    def url(self, klasse):
        return reverse("elever:skolerute", args=[klasse.skole.kommune.pk])

    def test_shows_the_year_with_school_days_per_school(self, client, klasse, admin):
        client.force_login(admin)
        html = client.get(self.url(klasse)).content.decode()
        assert "Skolerute 2026/2027" in html
        assert "Fjordvik skole" in html
        assert "November 2026" in html

    def test_an_uploaded_calendar_with_a_nul_character_is_refused_with_its_line(
        self, client, klasse, admin
    ):
        client.force_login(admin)
        innhold = b"dato,skole,elevdag,laererdag,sfodag,kommentar\n" + (
            f"2026-08-18,{klasse.skole.organisasjonsnummer},Ja,Ja,Nei,F\x00\n".encode()
        )
        svar = client.post(
            self.url(klasse),
            {
                "handling": "import",
                "import-fil": SimpleUploadedFile("skolerute.csv", innhold, "text/csv"),
            },
        )
        assert svar.status_code == 400
        assert "skolerute.csv, linje 2: Linjen inneholder et nulltegn" in svar.content.decode()
        assert not Skoleruteunntak.objects.exists()

    def test_adding_a_holiday_removes_its_school_days(self, client, klasse, admin):
        client.force_login(admin)
        svar = client.post(
            self.url(klasse),
            {
                "handling": "unntak",
                "unntak-navn": "Høstferie",
                "unntak-type": "ferie",
                "unntak-fra": "2026-09-28",
                "unntak-til": "2026-10-02",
                "unntak-skole": "",
            },
        )
        assert svar.status_code == 302
        unntak = Skoleruteunntak.objects.get()
        assert (unntak.navn, unntak.skole) == ("Høstferie", None)
        html = client.get(svar["Location"]).content.decode()
        assert "28.09.2026–02.10.2026" in html

    def test_a_period_ending_before_it_starts_is_refused_in_norwegian(self, client, klasse, admin):
        client.force_login(admin)
        svar = client.post(
            self.url(klasse),
            {
                "handling": "unntak",
                "unntak-navn": "Feil",
                "unntak-type": "fridag",
                "unntak-fra": "2026-10-02",
                "unntak-til": "2026-09-28",
            },
        )
        assert svar.status_code == 400
        assert "Sluttdatoen kan ikke være før startdatoen." in svar.content.decode()
        assert not Skoleruteunntak.objects.exists()

    def test_school_year_days_must_lie_in_the_year(self, client, klasse, admin):
        client.force_login(admin)
        svar = client.post(
            self.url(klasse),
            {
                "handling": "skolear",
                "aar-startaar": "2027",
                "aar-forste_skoledag": "2027-08-16",
                "aar-siste_skoledag": "2028-08-20",
            },
        )
        assert svar.status_code == 400
        assert "Første og siste skoledag må ligge mellom 01.08.2027 og 31.07.2028" in (
            svar.content.decode()
        )
        assert Skolear.objects.count() == 1

    def test_a_new_school_year_gets_its_terms(self, client, klasse, admin):
        client.force_login(admin)
        client.post(
            self.url(klasse),
            {
                "handling": "skolear",
                "aar-startaar": "2027",
                "aar-forste_skoledag": "2027-08-16",
                "aar-siste_skoledag": "2028-06-20",
            },
        )
        aar = Skolear.objects.get(start=datetime.date(2027, 8, 1))
        assert [(t.navn, t.start, t.slutt) for t in aar.terminer.all()] == [
            ("host", datetime.date(2027, 8, 16), datetime.date(2027, 12, 31)),
            ("var", datetime.date(2028, 1, 1), datetime.date(2028, 6, 20)),
        ]

    def test_deleting_a_holiday(self, client, klasse, admin):
        unntak = Skoleruteunntak.objects.create(
            kommune=klasse.skole.kommune,
            type="fridag",
            navn="Fri",
            fra=datetime.date(2026, 10, 5),
            til=datetime.date(2026, 10, 5),
        )
        url = reverse("elever:skoleruteunntak_slett", args=[unntak.pk])
        client.force_login(admin)
        assert client.get(url).status_code == 405
        assert client.post(url).status_code == 302
        assert not Skoleruteunntak.objects.exists()

    def test_deleting_another_kommunes_holiday_is_404(self, client, klasse, admin):
        annen = SkoleFactory()
        unntak = Skoleruteunntak.objects.create(
            kommune=annen.kommune,
            type="fridag",
            navn="Fri",
            fra=datetime.date(2026, 10, 5),
            til=datetime.date(2026, 10, 5),
        )
        client.force_login(admin)
        assert (
            client.post(reverse("elever:skoleruteunntak_slett", args=[unntak.pk])).status_code
            == 404
        )
        assert Skoleruteunntak.objects.exists()


@pytest.mark.parametrize("antall", [2, 12])
def test_class_overview_queries_do_not_grow_with_classes(
    client, klasse, admin, antall, django_assert_max_num_queries
):
    for i in range(antall):
        k = KlasseFactory(skole=klasse.skole, navn=f"{i % 10 + 1}Y{i}")
        gi_rolle(UserFactory(), Rolle.KONTAKTLAERER, k)
        elev_i_klasse(k)
    client.force_login(admin)
    with django_assert_max_num_queries(9):
        html = client.get(reverse("elever:klasser")).content.decode()
    # Every class plus 5A, and the menu's link to this page.
    assert html.count('href="/klasser/') == antall + 2


def test_pupil_card_shows_classes_over_time(client, klasse, kontakt):
    elev = elev_i_klasse(KlasseFactory(skole=klasse.skole, navn="5B"))
    elev.klassemedlemskap.update(til=datetime.date(2026, 9, 30))
    elev.klassemedlemskap.create(klasse=klasse, fra=datetime.date(2026, 10, 1))
    client.force_login(kontakt)
    html = client.get(reverse("elever:elev", args=[elev.pk])).content.decode()
    assert "Klasser over tid" in html
    assert "<td>01.08.2026</td><td>30.09.2026</td>" in html
    assert "<td>01.10.2026</td><td>nå</td>" in html


def test_the_class_overview_leads_the_administrator_to_the_school_page(
    client, klasse, kontakt, admin
):
    skoleside = reverse("elever:skole", args=[klasse.skole.pk])
    client.force_login(admin)
    assert f'href="{skoleside}"' in client.get(reverse("elever:klasser")).content.decode()
    client.force_login(kontakt)
    assert f'href="{skoleside}"' not in client.get(reverse("elever:klasser")).content.decode()
