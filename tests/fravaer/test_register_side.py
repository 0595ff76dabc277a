"""The class register page: access, a row saved through htmx, the page without JavaScript."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from elever.models import Rolle, Skoletime
from fravaer.models import Fravaer, Omfang, Registrering
from tests.factories import FaggruppeFactory, KlasseFactory, UserFactory, elev_i_klasse, gi_rolle

MANDAG = "2026-11-23"


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def klasse(db):
    klasse = KlasseFactory(navn="5A")
    for nummer in range(1, 6):
        Skoletime.objects.create(
            klasse=klasse, ukedag=1, nummer=nummer, fagnavn="Norsk", fagkode="NOR"
        )
    return klasse


@pytest.fixture
def kontakt(klasse):
    bruker = UserFactory(username="kontakt")
    gi_rolle(bruker, Rolle.KONTAKTLAERER, klasse)
    return bruker


def url(klasse):
    return reverse("fravaer:register", args=[klasse.pk])


def test_the_register_lists_the_class_for_its_teacher(client, klasse, kontakt):
    elev = elev_i_klasse(klasse, fornavn="Ada")
    client.force_login(kontakt)
    html = client.get(url(klasse), {"dato": MANDAG}).content.decode()
    assert "Dagens fravær – 5A" in html and "Ada" in html
    assert "Ikke registrert" in html and "uke 48" in html
    assert f'name="e{elev.pk}-status"' in html


@pytest.mark.parametrize("rolle", ["annen_kontakt", "fag", "ingen"])
def test_others_get_404(client, klasse, rolle):
    bruker = UserFactory(username=rolle)
    if rolle == "annen_kontakt":
        gi_rolle(bruker, Rolle.KONTAKTLAERER, KlasseFactory(skole=klasse.skole, navn="5B"))
    if rolle == "fag":
        gi_rolle(bruker, Rolle.FAGLAERER, FaggruppeFactory(skole=klasse.skole))
    elev = elev_i_klasse(klasse)
    client.force_login(bruker)
    assert client.get(url(klasse)).status_code == 404
    assert client.post(reverse("fravaer:register_bekreft", args=[klasse.pk])).status_code == 404
    rad = reverse("fravaer:register_rad", args=[klasse.pk, elev.pk]) + f"?dato={MANDAG}"
    assert client.post(rad, {f"e{elev.pk}-status": "hele_dagen"}).status_code == 404
    assert not Fravaer.objects.exists()


def test_a_pupil_of_another_class_cannot_be_saved_through_this_one(client, klasse, kontakt):
    annen = elev_i_klasse(KlasseFactory(skole=klasse.skole, navn="5B"))
    client.force_login(kontakt)
    rad = reverse("fravaer:register_rad", args=[klasse.pk, annen.pk]) + f"?dato={MANDAG}"
    assert client.post(rad, {f"e{annen.pk}-status": "hele_dagen"}).status_code == 404
    assert not Fravaer.objects.exists()


def test_a_row_saved_through_htmx_returns_its_save_cell(client, klasse, kontakt):
    """Only that: controls the teacher changes while the request is under way stay as
    they are, and htmx sends them next."""
    elev = elev_i_klasse(klasse)
    client.force_login(kontakt)
    svar = client.post(
        reverse("fravaer:register_rad", args=[klasse.pk, elev.pk]) + f"?dato={MANDAG}",
        {
            f"e{elev.pk}-status": "hele_dagen",
            f"e{elev.pk}-versjon": "",
            f"e{elev.pk}-gyldighet": "gyldig",
        },
        headers={"HX-Request": "true"},
    )
    html = svar.content.decode()
    assert svar.status_code == 200 and "HX-Retarget" not in svar.headers
    assert html.lstrip().startswith('<td class="lagret"') and "Lagret" in html and "Angre" in html
    assert html.rstrip().endswith("</td>") and "<tr" not in html
    assert Fravaer.objects.get().omfang == Omfang.HELE_DAGEN


def test_a_refused_row_says_why_and_saves_nothing(client, klasse, kontakt):
    elev = elev_i_klasse(klasse)
    client.force_login(kontakt)
    svar = client.post(
        reverse("fravaer:register_rad", args=[klasse.pk, elev.pk]) + f"?dato={MANDAG}",
        {f"e{elev.pk}-status": "for_sent", f"e{elev.pk}-minutter": "0", f"e{elev.pk}-versjon": ""},
        headers={"HX-Request": "true"},
    )
    assert svar.status_code == 422 and "mer enn 0" in svar.content.decode()
    assert not Fravaer.objects.exists()


def test_without_javascript_one_form_saves_changed_rows_and_confirms(client, klasse, kontakt):
    ada, bo = elev_i_klasse(klasse, fornavn="Ada"), elev_i_klasse(klasse, fornavn="Bo")
    client.force_login(kontakt)
    svar = client.post(
        reverse("fravaer:register_bekreft", args=[klasse.pk]),
        {
            "dato": MANDAG,
            f"e{ada.pk}-versjon": "",
            f"e{ada.pk}-status": "time",
            f"e{ada.pk}-timer": ["1", "2"],
            f"e{bo.pk}-versjon": "",
            f"e{bo.pk}-status": "",
        },
    )
    assert svar.status_code == 302
    assert sorted(Fravaer.objects.values_list("elev__fornavn", "time")) == [("Ada", 1), ("Ada", 2)]
    assert Registrering.objects.get(klasse=klasse).bekreftet_av == kontakt
    html = client.get(svar["Location"]).content.decode()
    assert "Registrert" in html and "Registreringen er bekreftet." in html


def test_confirming_with_nobody_absent(client, klasse, kontakt):
    elev_i_klasse(klasse)
    client.force_login(kontakt)
    client.post(reverse("fravaer:register_bekreft", args=[klasse.pk]), {"dato": MANDAG})
    assert Registrering.objects.filter(klasse=klasse).exists() and not Fravaer.objects.exists()


def test_on_a_sunday_fridays_register_offers_no_next_day_in_the_future(client, klasse, kontakt):
    with time_machine.travel(datetime.datetime(2026, 11, 29, 12, 0, tzinfo=datetime.UTC)):
        client.force_login(kontakt)
        html = client.get(url(klasse), {"dato": "2026-11-27"}).content.decode()
    assert 'rel="prev"' in html and "?dato=2026-11-26" in html
    assert 'rel="next"' not in html and "2026-11-30" not in html


@pytest.mark.parametrize("antall", [10, 40])
def test_register_queries_do_not_grow_with_pupils_or_history(
    client, klasse, kontakt, antall, django_assert_max_num_queries
):
    elever = [elev_i_klasse(klasse, fra=datetime.date(2026, 8, 17)) for _ in range(antall)]
    mandager = [datetime.date(2026, 8, 17) + datetime.timedelta(weeks=u) for u in range(14)]
    Fravaer.objects.bulk_create(
        Fravaer(elev=e, dato=d, omfang=Omfang.HELE_DAGEN, registrert_av=kontakt)
        for e in elever
        for d in mandager
    )
    client.force_login(kontakt)
    with django_assert_max_num_queries(12):
        html = client.get(url(klasse), {"dato": MANDAG}).content.decode()
    # 14 of the 71 school days from 17.08 to 23.11 (no calendar exceptions in the factory).
    assert html.count("19,7 %") == antall


def test_ticking_a_lesson_is_enough_to_mark_it(client, klasse, kontakt):
    elev = elev_i_klasse(klasse)
    client.force_login(kontakt)
    svar = client.post(
        reverse("fravaer:register_rad", args=[klasse.pk, elev.pk]) + f"?dato={MANDAG}",
        {f"e{elev.pk}-status": "", f"e{elev.pk}-timer": "3", f"e{elev.pk}-versjon": ""},
        headers={"HX-Request": "true"},
    )
    assert list(Fravaer.objects.values_list("omfang", "time")) == [(Omfang.TIME, 3)]
    # The row says "Timer" now, so the whole row comes back in place of the old one.
    assert svar.headers["HX-Retarget"] == f"#rad-{elev.pk}"
    assert '<option value="time" selected>' in svar.content.decode()


def test_a_change_after_someone_elses_shows_the_row_as_it_stands(client, klasse, kontakt):
    elev = elev_i_klasse(klasse)
    client.force_login(kontakt)
    rad = reverse("fravaer:register_rad", args=[klasse.pk, elev.pk]) + f"?dato={MANDAG}"
    client.post(rad, {f"e{elev.pk}-status": "hele_dagen", f"e{elev.pk}-versjon": ""})
    svar = client.post(
        rad,
        {f"e{elev.pk}-status": "for_sent", f"e{elev.pk}-minutter": "5", f"e{elev.pk}-versjon": ""},
        headers={"HX-Request": "true"},
    )
    html = svar.content.decode()
    assert svar.status_code == 422 and svar.headers["HX-Retarget"] == f"#rad-{elev.pk}"
    assert "i mellomtiden" in html and '<option value="hele_dagen" selected>' in html
    assert Fravaer.objects.get().omfang == Omfang.HELE_DAGEN


def test_the_status_reads_timer_in_bokmaal_not_djangos_tid(client, klasse, kontakt):
    elev_i_klasse(klasse)
    client.force_login(kontakt)
    html = client.get(url(klasse), {"dato": MANDAG}).content.decode()
    assert '<option value="time">Timer</option>' in html
