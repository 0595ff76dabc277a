"""The lesson register: a teaching group's pupils for one lesson, sharing entries with the
class register both ways; and undo in both."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse

from elever.models import Faggruppemedlemskap, Rolle, Skoletime
from fravaer.models import Fravaer, Omfang, Registrering
from fravaer.services import dagens_fravaer_versjon, fravaer_sett_dag, fravaer_sett_time
from tests.factories import FaggruppeFactory, KlasseFactory, UserFactory, elev_i_klasse, gi_rolle

MANDAG = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def klasse(db):
    return KlasseFactory(navn="5A")


@pytest.fixture
def gruppe(klasse):
    """Maths in lessons 3 and 4 on Mondays; Norwegian for the whole class in 1, 2 and 5."""
    gruppe = FaggruppeFactory(skole=klasse.skole, skolear=klasse.skolear, navn="MAT 5A-1")
    for nummer in range(1, 6):
        Skoletime.objects.create(
            klasse=klasse,
            ukedag=1,
            nummer=nummer,
            fagkode="MAT" if nummer in (3, 4) else "NOR",
            faggruppe=gruppe if nummer in (3, 4) else None,
        )
    return gruppe


def i_gruppen(klasse, gruppe, antall=1, **felt):
    elever = []
    for _ in range(antall):
        elev = elev_i_klasse(klasse, fra=datetime.date(2026, 8, 17), **felt)
        Faggruppemedlemskap.objects.create(
            elev=elev, faggruppe=gruppe, fra=datetime.date(2026, 8, 17)
        )
        elever.append(elev)
    return elever


@pytest.fixture
def faglaerer(gruppe):
    bruker = UserFactory(username="faglaerer", first_name="Per", last_name="Fag")
    gi_rolle(bruker, Rolle.FAGLAERER, gruppe)
    return bruker


@pytest.fixture
def kontakt(klasse):
    bruker = UserFactory(username="kontakt")
    gi_rolle(bruker, Rolle.KONTAKTLAERER, klasse)
    return bruker


def url(gruppe, **parametre):
    parametre = {"dato": MANDAG.isoformat(), **parametre}
    return (
        reverse("fravaer:timeregister", args=[gruppe.pk])
        + "?"
        + "&".join(f"{k}={v}" for k, v in parametre.items())
    )


def rad_url(gruppe, elev, time=3):
    return reverse("fravaer:timeregister_rad", args=[gruppe.pk, elev.pk]) + (
        f"?dato={MANDAG.isoformat()}&time={time}"
    )


def marker(client, gruppe, elev, status, time=3, **felt):
    data = {f"e{elev.pk}-status": status, f"e{elev.pk}-versjon": versjon(elev)}
    data.update({f"e{elev.pk}-{k}": v for k, v in felt.items()})
    return client.post(rad_url(gruppe, elev, time), data, headers={"HX-Request": "true"})


def versjon(elev):
    return dagens_fravaer_versjon(elev, MANDAG)


def test_the_faglaerer_sees_the_first_lesson_of_the_day(client, klasse, gruppe, faglaerer):
    i_gruppen(klasse, gruppe, fornavn="Ada")
    client.force_login(faglaerer)
    html = client.get(url(gruppe)).content.decode()
    assert "Fravær 3. time – MAT 5A-1" in html and "Ada" in html and "Ikke registrert" in html
    assert "4. time" in html  # the other lesson of the day, one click away


@pytest.mark.parametrize("rolle", ["kontaktlaerer", "annen_faglaerer", "ingen"])
def test_others_get_404(client, klasse, gruppe, rolle):
    [ada] = i_gruppen(klasse, gruppe)
    bruker = UserFactory(username=rolle)
    if rolle == "kontaktlaerer":
        gi_rolle(bruker, Rolle.KONTAKTLAERER, klasse)
    if rolle == "annen_faglaerer":
        gi_rolle(bruker, Rolle.FAGLAERER, FaggruppeFactory(skole=klasse.skole))
    client.force_login(bruker)
    assert client.get(url(gruppe)).status_code == 404
    assert marker(client, gruppe, ada, "time").status_code == 404
    bekreft = reverse("fravaer:timeregister_bekreft", args=[gruppe.pk])
    assert client.post(bekreft, {"dato": MANDAG.isoformat(), "time": 3}).status_code == 404
    assert not Fravaer.objects.exists() and not Registrering.objects.exists()


def test_the_rektor_may_cover_a_lesson(client, klasse, gruppe):
    rektor = UserFactory(username="rektor")
    gi_rolle(rektor, Rolle.REKTOR, klasse.skole)
    client.force_login(rektor)
    assert client.get(url(gruppe)).status_code == 200


def test_a_lesson_the_group_does_not_have_is_404(client, klasse, gruppe, faglaerer):
    client.force_login(faglaerer)
    assert client.get(url(gruppe, time=1)).status_code == 404
    assert client.get(url(gruppe, time="x")).status_code == 404


def test_a_day_without_the_groups_lessons_says_so(client, klasse, gruppe, faglaerer):
    client.force_login(faglaerer)
    html = client.get(url(gruppe, dato="2026-11-24")).content.decode()
    assert "ingen timer denne dagen" in html


def test_absent_in_the_lesson_shows_in_the_class_register(
    client, klasse, gruppe, faglaerer, kontakt
):
    [ada] = i_gruppen(klasse, gruppe)
    client.force_login(faglaerer)
    svar = marker(client, gruppe, ada, "time", gyldighet="ugyldig")
    assert svar.status_code == 200 and "Lagret" in svar.content.decode()
    assert list(Fravaer.objects.values_list("omfang", "time", "gyldighet")) == [
        ("time", 3, "ugyldig")
    ]
    client.force_login(kontakt)
    html = client.get(
        reverse("fravaer:register", args=[klasse.pk]), {"dato": MANDAG.isoformat()}
    ).content.decode()
    assert f'name="e{ada.pk}-timer" value="3" checked' in html


def test_a_whole_day_from_the_class_register_shows_in_the_lesson(
    client, klasse, gruppe, faglaerer, kontakt
):
    [ada] = i_gruppen(klasse, gruppe)
    fravaer_sett_dag(elev=ada, dato=MANDAG, omfang=Omfang.HELE_DAGEN, registrert_av=kontakt)
    client.force_login(faglaerer)
    html = client.get(url(gruppe)).content.decode()
    assert '<option value="time" selected>Borte</option>' in html and "Borte hele dagen" in html


def test_turning_up_in_lesson_three_after_a_whole_day_keeps_one_and_two(klasse, gruppe, kontakt):
    [ada] = i_gruppen(klasse, gruppe)
    fravaer_sett_dag(
        elev=ada, dato=MANDAG, omfang=Omfang.HELE_DAGEN, gyldighet="gyldig", registrert_av=kontakt
    )
    fravaer_sett_time(elev=ada, dato=MANDAG, time=3, omfang=None, registrert_av=kontakt)
    assert list(Fravaer.objects.values_list("omfang", "time", "gyldighet")) == [
        ("time", 1, "gyldig"),
        ("time", 2, "gyldig"),
    ]


def test_late_to_a_lesson_is_kept_by_the_class_register(client, klasse, gruppe, faglaerer, kontakt):
    [ada] = i_gruppen(klasse, gruppe)
    client.force_login(faglaerer)
    assert marker(client, gruppe, ada, "for_sent", minutter="10").status_code == 200
    fravaer_sett_dag(
        elev=ada,
        dato=MANDAG,
        omfang=Omfang.TIME,
        timer=[1],
        versjon=versjon(ada),
        registrert_av=kontakt,
    )
    assert sorted(Fravaer.objects.values_list("omfang", "time", "minutter")) == [
        ("for_sent", 3, 10),
        ("time", 1, None),
    ]
    client.force_login(kontakt)
    html = client.get(
        reverse("fravaer:register", args=[klasse.pk]), {"dato": MANDAG.isoformat()}
    ).content.decode()
    assert "3. time: 10 min for sent" in html


def test_bad_minutes_in_a_lesson_are_refused(client, klasse, gruppe, faglaerer):
    [ada] = i_gruppen(klasse, gruppe)
    client.force_login(faglaerer)
    svar = marker(client, gruppe, ada, "for_sent", minutter="0")
    assert svar.status_code == 422 and "mer enn 0" in svar.content.decode()
    assert not Fravaer.objects.exists()


def test_confirming_the_lesson(client, klasse, gruppe, faglaerer):
    i_gruppen(klasse, gruppe)
    client.force_login(faglaerer)
    bekreft = reverse("fravaer:timeregister_bekreft", args=[gruppe.pk])
    svar = client.post(bekreft, {"dato": MANDAG.isoformat(), "time": 4})
    assert svar["Location"].endswith("time=4")
    registrering = Registrering.objects.get()
    assert (registrering.faggruppe, registrering.time, registrering.klasse) == (gruppe, 4, None)
    assert "Registrert" in client.get(svar["Location"]).content.decode()


@pytest.mark.parametrize("antall", [10, 40])
def test_lesson_register_queries_do_not_grow(
    client, klasse, gruppe, faglaerer, antall, django_assert_max_num_queries
):
    elever = i_gruppen(klasse, gruppe, antall)
    Fravaer.objects.bulk_create(
        Fravaer(
            elev=e, dato=datetime.date(2026, 11, 16), omfang="time", time=3, registrert_av=faglaerer
        )
        for e in elever
    )
    client.force_login(faglaerer)
    with django_assert_max_num_queries(12):
        assert client.get(url(gruppe)).status_code == 200


def test_undo_in_the_class_register_restores_the_row(client, klasse, gruppe, kontakt):
    [ada] = i_gruppen(klasse, gruppe)
    fravaer_sett_dag(elev=ada, dato=MANDAG, omfang=Omfang.TIME, timer=[1, 2], registrert_av=kontakt)
    client.force_login(kontakt)
    rad = reverse("fravaer:register_rad", args=[klasse.pk, ada.pk]) + f"?dato={MANDAG}"
    svar = client.post(
        rad,
        {f"e{ada.pk}-status": "hele_dagen", f"e{ada.pk}-versjon": versjon(ada)},
        headers={"HX-Request": "true"},
    )
    html = svar.content.decode()
    assert "Angre" in html and Fravaer.objects.get().omfang == Omfang.HELE_DAGEN
    forrige = json.loads(
        html.split(f'name="e{ada.pk}-angre" value="')[1].split('"')[0].replace("&quot;", '"')
    )
    svar = client.post(
        rad,
        {f"e{ada.pk}-angre": json.dumps(forrige), f"e{ada.pk}-versjon": versjon(ada)},
        headers={"HX-Request": "true"},
    )
    assert "Angret" in svar.content.decode()
    assert list(Fravaer.objects.values_list("omfang", "time")) == [("time", 1), ("time", 2)]


def test_undo_after_someone_else_changed_the_row_is_refused(client, klasse, gruppe, kontakt):
    [ada] = i_gruppen(klasse, gruppe)
    client.force_login(kontakt)
    rad = reverse("fravaer:register_rad", args=[klasse.pk, ada.pk]) + f"?dato={MANDAG}"
    client.post(
        rad,
        {f"e{ada.pk}-status": "hele_dagen", f"e{ada.pk}-versjon": ""},
        headers={"HX-Request": "true"},
    )
    vist = versjon(ada)
    fravaer_sett_dag(elev=ada, dato=MANDAG, omfang=Omfang.TIME, timer=[2], registrert_av=kontakt)
    angre = json.dumps([])  # back to the empty day it was
    svar = client.post(
        rad,
        {f"e{ada.pk}-angre": angre, f"e{ada.pk}-versjon": vist},
        headers={"HX-Request": "true"},
    )
    assert svar.status_code == 422 and "i mellomtiden" in svar.content.decode()
    assert list(Fravaer.objects.values_list("omfang", "time")) == [("time", 2)]


def test_without_a_lesson_chosen_the_page_opens_the_lesson_going_on_now(
    client, klasse, gruppe, faglaerer
):
    for nummer, start in ((3, datetime.time(10, 0)), (4, datetime.time(11, 0))):
        Skoletime.objects.filter(klasse=klasse, nummer=nummer).update(
            start=start, slutt=start.replace(minute=45)
        )
    client.force_login(faglaerer)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 10, tzinfo=datetime.UTC)):
        html = client.get(url(gruppe)).content.decode()  # 11:10 in Oslo
    assert "Fravær 4. time – MAT 5A-1" in html
    with time_machine.travel(datetime.datetime(2026, 11, 23, 6, 0, tzinfo=datetime.UTC)):
        assert "Fravær 3. time" in client.get(url(gruppe)).content.decode()  # before school


def test_the_start_page_leads_to_the_days_registers(client, klasse, gruppe, faglaerer, kontakt):
    i_gruppen(klasse, gruppe)
    client.force_login(faglaerer)
    html = client.get(reverse("start")).content.decode()
    lenke = reverse("fravaer:timeregister", args=[gruppe.pk])
    assert f'href="{lenke}?time=3">3. time – MAT 5A-1</a>' in html
    assert f'href="{lenke}?time=4">4. time – MAT 5A-1</a>' in html
    client.force_login(kontakt)
    html = client.get(reverse("start")).content.decode()
    assert "Registrer fravær i 5A</a> – ikke registrert ennå" in html
    with time_machine.travel(datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)):
        html = client.get(reverse("start")).content.decode()  # a Saturday
    assert "Registrer fravær i 5A" not in html


def test_the_days_around_go_to_the_groups_own_weekdays(client, klasse, gruppe, faglaerer):
    client.force_login(faglaerer)
    html = client.get(url(gruppe, dato="2026-11-20")).content.decode()  # a Friday
    assert "ingen timer denne dagen" in html
    assert 'href="?dato=2026-11-16" rel="prev"' in html  # the Monday before, not Thursday


def test_undo_in_the_lesson_register_brings_back_the_whole_day(client, klasse, gruppe, kontakt):
    [ada] = i_gruppen(klasse, gruppe)
    fravaer_sett_dag(
        elev=ada, dato=MANDAG, omfang=Omfang.HELE_DAGEN, gyldighet="gyldig", registrert_av=kontakt
    )
    faglaerer = UserFactory(username="per")
    gi_rolle(faglaerer, Rolle.FAGLAERER, gruppe)
    client.force_login(faglaerer)
    html = marker(client, gruppe, ada, "").content.decode()  # Ada turned up in lesson 3
    assert list(Fravaer.objects.values_list("time", flat=True)) == [1, 2]
    angre = html.split(f'name="e{ada.pk}-angre" value="')[1].split('"')[0].replace("&quot;", '"')
    svar = client.post(
        rad_url(gruppe, ada),
        {f"e{ada.pk}-angre": angre, f"e{ada.pk}-versjon": versjon(ada)},
        headers={"HX-Request": "true"},
    )
    assert "Angret" in svar.content.decode()
    assert list(Fravaer.objects.values_list("omfang", "time", "gyldighet")) == [
        ("hele_dagen", None, "gyldig")
    ]


def test_at_school_all_day_replaces_the_lessons_notes(klasse, gruppe, kontakt):
    """Not in teaching all day beside "not in teaching in lesson 2" would count lesson 2
    twice; the database refuses it too."""
    [ada] = i_gruppen(klasse, gruppe)
    fravaer_sett_time(elev=ada, dato=MANDAG, time=3, omfang=Omfang.TILSTEDE, registrert_av=kontakt)
    fravaer_sett_dag(elev=ada, dato=MANDAG, omfang=Omfang.TILSTEDE, registrert_av=kontakt)
    assert list(Fravaer.objects.values_list("omfang", "time")) == [("tilstede", None)]
    fravaer_sett_time(elev=ada, dato=MANDAG, time=4, omfang=None, registrert_av=kontakt)
    assert list(Fravaer.objects.values_list("omfang", "time")) == [
        ("tilstede", 1),
        ("tilstede", 2),
        ("tilstede", 3),
    ]


def test_future_days_are_not_the_registers_to_change(client, klasse, gruppe, kontakt):
    [ada] = i_gruppen(klasse, gruppe)
    client.force_login(kontakt)
    svar = client.post(
        reverse("fravaer:register_rad", args=[klasse.pk, ada.pk]) + "?dato=2026-11-24",
        {
            f"e{ada.pk}-status": "hele_dagen",
            f"e{ada.pk}-gyldighet": "permisjon",
            f"e{ada.pk}-versjon": "",
        },
        headers={"HX-Request": "true"},
    )
    assert svar.status_code == 422 and "fram i tid" in svar.content.decode()
    assert not Fravaer.objects.exists()


@pytest.mark.parametrize("sti", ["?dato=0001-01-01", "?dato=2026-11-23&time=³"])
def test_impossible_dates_and_lessons_are_pages_that_do_not_exist(
    client, klasse, gruppe, faglaerer, sti
):
    client.force_login(faglaerer)
    assert client.get(reverse("fravaer:timeregister", args=[gruppe.pk]) + sti).status_code == 404


def test_a_broken_undo_value_is_refused_in_norwegian(client, klasse, gruppe, kontakt):
    [ada] = i_gruppen(klasse, gruppe)
    client.force_login(kontakt)
    svar = client.post(
        reverse("fravaer:register_rad", args=[klasse.pk, ada.pk]) + f"?dato={MANDAG}",
        {f"e{ada.pk}-angre": '[{"minutter": Infinity}]', f"e{ada.pk}-versjon": ""},
        headers={"HX-Request": "true"},
    )
    assert svar.status_code == 422 and not Fravaer.objects.exists()


def test_one_late_morning_is_one_late_arrival(klasse, gruppe, kontakt):
    [ada] = i_gruppen(klasse, gruppe)
    fravaer_sett_time(
        elev=ada, dato=MANDAG, time=3, omfang=Omfang.FOR_SENT, minutter=10, registrert_av=kontakt
    )
    fravaer_sett_dag(
        elev=ada, dato=MANDAG, omfang=Omfang.FOR_SENT, minutter=15, registrert_av=kontakt
    )
    assert list(Fravaer.objects.values_list("omfang", "time", "minutter")) == [
        ("for_sent", None, 15)
    ]
