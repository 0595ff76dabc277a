"""The absence import page: upload, a preview that saves nothing, confirm; all or nothing,
the same file twice gives the same rows, and only pupils within the uploader's scope."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from elever.models import Kildekobling, Rolle, Skoletime
from fravaer import services
from fravaer.forms import Fravaerfilform
from fravaer.models import Fravaer, Fravaeropplasting, Gyldighet, Omfang
from tests.factories import (
    FaggruppeFactory,
    KlasseFactory,
    SkoleFactory,
    UserFactory,
    elev_i_klasse,
    gi_rolle,
)

HODE = "elev;dato;omfang;time;minutter;gyldighet;meldt"
SIDE = "/fravaer/import/"


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(
        datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def klasse(db):
    klasse = KlasseFactory(navn="5A", skole=SkoleFactory(navn="Fjordvik skole"))
    for nummer in range(1, 6):
        Skoletime.objects.create(klasse=klasse, ukedag=2, nummer=nummer, fagnavn="Norsk")
    return klasse


@pytest.fixture
def ada(klasse):
    elev = elev_i_klasse(klasse, fornavn="Ada")
    Kildekobling.objects.create(skole=klasse.skole, kilde_id="visma-123", elev=elev)
    return elev


@pytest.fixture
def bo(db):
    """A pupil in another kommune."""
    klasse = KlasseFactory(navn="7C", skole=SkoleFactory(navn="Annen kommunes skole"))
    elev = elev_i_klasse(klasse, fornavn="Bo")
    Kildekobling.objects.create(skole=klasse.skole, kilde_id="visma-999", elev=elev)
    return elev


@pytest.fixture
def admin(client, klasse):
    bruker = UserFactory(username="admin")
    gi_rolle(bruker, Rolle.ADMINISTRATOR, klasse.skole.kommune)
    client.force_login(bruker)
    return bruker


def csv(*linjer: str) -> bytes:
    return ("\ufeff" + "\r\n".join([HODE, *linjer]) + "\r\n").encode()


def god_fil(ada) -> bytes:
    return csv(
        f"{ada.fodselsnummer};02.11.2026;hele_dagen;;;gyldig;ja",
        "visma-123;2026-11-03;time;2;;ugyldig;nei",
        "visma-123;2026-11-03;time;3;;ugyldig;nei",
    )


def last_opp(client, innhold: bytes, navn="fravaer.csv"):
    return client.post(SIDE, {"fil": SimpleUploadedFile(navn, innhold, content_type="text/csv")})


def bekreft(client):
    return client.post(reverse("fravaer:import_bekreft", args=[Fravaeropplasting.objects.get().pk]))


def rader():
    return sorted(
        Fravaer.objects.values_list(
            "elev_id", "dato", "omfang", "time", "gyldighet", "meldt_av_foresatte"
        )
    )


def test_upload_shows_a_preview_and_writes_nothing(client, ada, admin):
    svar = last_opp(client, god_fil(ada))
    html = svar.content.decode()
    assert svar.status_code == 200
    assert "Se over fraværsimporten" in html and "Ingenting er lagret ennå" in html
    assert '<dt>Elevdager</dt><dd class="tall">2</dd>' in html
    assert '<dt>Fraværsoppføringer</dt><dd class="tall">3</dd>' in html
    assert "Ada Testesen" in html
    assert not Fravaer.objects.exists()
    assert Fravaeropplasting.objects.get().importert is None


def test_confirming_imports_and_the_same_file_twice_gives_the_same_rows(client, ada, admin):
    last_opp(client, god_fil(ada))
    svar = bekreft(client)
    assert svar.status_code == 302 and svar["Location"] == SIDE
    forste = rader()
    assert forste == [
        (ada.pk, datetime.date(2026, 11, 2), Omfang.HELE_DAGEN, None, Gyldighet.GYLDIG, True),
        (ada.pk, datetime.date(2026, 11, 3), Omfang.TIME, 2, Gyldighet.UGYLDIG, False),
        (ada.pk, datetime.date(2026, 11, 3), Omfang.TIME, 3, Gyldighet.UGYLDIG, False),
    ]
    assert set(Fravaer.objects.values_list("registrert_av", flat=True)) == {admin.pk}
    opplasting = Fravaeropplasting.objects.get()
    assert opplasting.importert and bytes(opplasting.innhold) == b""
    html = client.get(SIDE).content.decode()
    assert "Fraværet er importert: 3 oppføringer på 2 elevdager." in html
    assert "fravaer.csv · 3 oppføringer på 2 elevdager" in html
    # The same file again: the preview says what it replaces, and the rows stay the same.
    html = last_opp(client, god_fil(ada)).content.decode()
    assert "3 oppføringer som allerede er registrert disse dagene, erstattes" in html
    bekreft_url = reverse(
        "fravaer:import_bekreft",
        args=[Fravaeropplasting.objects.get(importert__isnull=True).pk],
    )
    client.post(bekreft_url)
    assert rader() == forste


def test_bad_lines_are_listed_with_line_numbers_and_nothing_is_saved(client, ada, admin):
    svar = last_opp(
        client,
        csv(
            f"{ada.fodselsnummer};02.11.2026;hele_dagen;;;gyldig;ja",
            "visma-123;2026-11-07;hele_dagen;;;;",
            "ukjent-9;2026-11-03;time;2;;;",
            "visma-123;2026-11-03;time;9;;;",
        ),
    )
    html = svar.content.decode()
    assert svar.status_code == 400
    assert "Filen ble ikke importert" in html
    assert "fravaer.csv, linje 3: 07.11.2026 er ikke en skoledag (lørdag)." in html
    assert "linje 4: Fant ingen elev «ukjent-9» blant elevene du har tilgang til." in html
    assert "linje 5: Ada Testesen har ikke 9. time" in html
    assert "Bekreft og importer" not in html
    assert not Fravaer.objects.exists() and not Fravaeropplasting.objects.exists()


def test_a_nul_character_is_refused_with_its_line_and_nothing_is_saved(client, ada, admin):
    svar = last_opp(
        client,
        csv(
            f"{ada.fodselsnummer};02.11.2026;hele_dagen;;;gyldig;ja",
            "visma-123;2026-11-03;time;2;;ugyldig;n\x00ei",
        ),
    )
    html = svar.content.decode()
    assert svar.status_code == 400
    assert "fravaer.csv, linje 3: Linjen inneholder et nulltegn" in html
    assert not Fravaer.objects.exists() and not Fravaeropplasting.objects.exists()


def test_many_bad_lines_show_the_first_hundred_and_count_the_rest(client, ada, admin):
    svar = last_opp(client, csv(*(f"ukjent-{n};02.11.2026;hele_dagen;;;;" for n in range(5_000))))
    html = svar.content.decode()
    assert svar.status_code == 400
    assert html.count("fravaer.csv, linje ") == 2 * 100  # the summary and the field
    assert "… og 4\u00a0900 feil til." in html
    assert len(svar.content) < 100_000
    assert not Fravaer.objects.exists()


def test_a_pupil_outside_the_users_scope_refuses_the_whole_file(client, ada, bo, admin):
    svar = last_opp(
        client,
        csv(
            f"{ada.fodselsnummer};02.11.2026;hele_dagen;;;gyldig;ja",
            f"{bo.fodselsnummer};02.11.2026;hele_dagen;;;gyldig;ja",
            "visma-999;2026-11-03;hele_dagen;;;;",
        ),
    )
    html = svar.content.decode()
    assert svar.status_code == 400
    assert f"linje 3: Fant ingen elev «{bo.fodselsnummer}» blant elevene du har tilgang" in html
    assert "linje 4: Fant ingen elev «visma-999» blant elevene du har tilgang" in html
    assert "Bo Testesen" not in html  # nothing about a pupil outside the scope is shown
    assert not Fravaer.objects.exists() and not Fravaeropplasting.objects.exists()


def test_scope_is_checked_again_when_confirming(client, klasse, ada, admin):
    last_opp(client, god_fil(ada))
    ada.skolemedlemskap.update(til=datetime.date(2026, 11, 22))
    ada.klassemedlemskap.update(til=datetime.date(2026, 11, 22))
    svar = bekreft(client)
    html = client.get(svar["Location"]).content.decode()
    assert "Ingenting ble importert." in html and "blant elevene du har tilgang til" in html
    assert not Fravaer.objects.exists()
    assert Fravaeropplasting.objects.get().importert is None


@pytest.mark.parametrize("rolle", ["kontakt", "fag", "rektor", "ressurs", "skolekontor", "ingen"])
def test_only_those_who_may_import_open_the_page(client, klasse, ada, rolle):
    admin = UserFactory(username="admin")
    gi_rolle(admin, Rolle.ADMINISTRATOR, klasse.skole.kommune)
    client.force_login(admin)
    last_opp(client, god_fil(ada))
    bruker = UserFactory(username=rolle)
    omfang = {
        "kontakt": (Rolle.KONTAKTLAERER, klasse),
        "fag": (Rolle.FAGLAERER, FaggruppeFactory(skole=klasse.skole)),
        "rektor": (Rolle.REKTOR, klasse.skole),
        "ressurs": (Rolle.RESSURSTEAM, klasse.skole),
        "skolekontor": (Rolle.SKOLEKONTOR, klasse.skole.kommune),
    }
    if rolle in omfang:
        gi_rolle(bruker, *omfang[rolle])
    client.force_login(bruker)
    assert client.get(SIDE).status_code == 404
    assert last_opp(client, god_fil(ada)).status_code == 404
    assert bekreft(client).status_code == 404
    assert Fravaeropplasting.objects.count() == 1 and not Fravaer.objects.exists()


def test_only_the_uploader_confirms_and_only_by_post(client, klasse, ada, admin):
    last_opp(client, god_fil(ada))
    url = reverse("fravaer:import_bekreft", args=[Fravaeropplasting.objects.get().pk])
    assert client.get(url).status_code == 405
    annen = UserFactory(username="admin2")
    gi_rolle(annen, Rolle.ADMINISTRATOR, klasse.skole.kommune)
    client.force_login(annen)
    assert client.post(url).status_code == 404
    assert not Fravaer.objects.exists()


def test_a_confirmed_file_is_not_imported_twice(client, ada, admin):
    last_opp(client, god_fil(ada))
    bekreft(client)
    Fravaer.objects.all().delete()
    svar = bekreft(client)
    assert "allerede importert" in client.get(svar["Location"]).content.decode()
    assert not Fravaer.objects.exists()


def test_anonymous_is_sent_to_login(client, db):
    svar = client.get(SIDE)
    assert svar.status_code == 302 and svar["Location"].startswith("/logg-inn/")


def test_a_file_too_large_is_refused_in_norwegian(client, ada, admin, monkeypatch):
    monkeypatch.setattr(Fravaerfilform, "MAKS_BYTE", 100)
    svar = last_opp(client, god_fil(ada))
    assert svar.status_code == 400 and "Filen er større enn 2 MB" in svar.content.decode()
    assert not Fravaeropplasting.objects.exists()


def test_too_many_entries_are_refused_with_the_way_out(client, ada, admin, monkeypatch):
    monkeypatch.setattr(services, "OPPLASTING_MAKS_RADER", 2)
    html = last_opp(client, god_fil(ada)).content.decode()
    assert "Filen har 3 fraværsoppføringer, og siden tar høyst 2 om gangen." in html
    assert "import_fravaer" in html
    assert not Fravaeropplasting.objects.exists()


def test_an_empty_file_and_another_encoding_are_refused(client, ada, admin):
    assert "ingen fraværsoppføringer" in last_opp(client, csv()).content.decode()
    latin1 = f"{HODE}\r\nvisma-Åse;02.11.2026;hele_dagen;;;;\r\n".encode("latin-1")
    assert "UTF-8" in last_opp(client, latin1).content.decode()
    assert not Fravaeropplasting.objects.exists()


def test_the_school_page_links_to_the_import_for_the_administrator(client, klasse, admin):
    html = client.get(reverse("elever:skole", args=[klasse.skole.pk])).content.decode()
    assert f'href="{SIDE}"' in html
    rektor = UserFactory(username="rektor")
    gi_rolle(rektor, Rolle.REKTOR, klasse.skole)
    client.force_login(rektor)
    html = client.get(reverse("elever:skole", args=[klasse.skole.pk])).content.decode()
    assert f'href="{SIDE}"' not in html
