"""The upload page: upload, preview of what will change, confirm; refusals change nothing."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from elever.models import Elev, Foresattrelasjon, Klasse, Rolle, Skoleimport
from tests.factories import SkolearFactory, SkoleFactory, UserFactory, gi_rolle, syntetisk_fnr

I_DAG = datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC)
HODE = (
    "fodselsnummer;fornavn;etternavn;klasse;trinn;adressesperre;"
    "foresatt1_fornavn;foresatt1_etternavn;foresatt1_telefon;foresatt1_epost;"
    "foresatt1_foreldreansvar"
)


def csv(*elever: tuple[str, str, str], feil_fnr: bool = False) -> bytes:
    linjer = [HODE]
    for i, (fornavn, klasse, foresatt) in enumerate(elever):
        nummer = syntetisk_fnr(datetime.date(2016, 2, 1) + datetime.timedelta(days=i))
        if feil_fnr and i == 1:
            nummer = nummer[:-1] + str((int(nummer[-1]) + 1) % 10)
        linjer.append(
            f"{nummer};{fornavn};Hansen;{klasse};5;;{foresatt};Hansen;41234567;"
            f"{foresatt.lower()}@example.org;ja"
        )
    return ("\ufeff" + "\r\n".join(linjer) + "\r\n").encode()


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(I_DAG, tick=False):
        yield


@pytest.fixture
def skole(db):
    skole = SkoleFactory(navn="Fjordvik skole", organisasjonsnummer="974557746")
    SkolearFactory(kommune=skole.kommune)
    return skole


@pytest.fixture
def admin(client, skole):
    bruker = UserFactory(username="admin")
    gi_rolle(bruker, Rolle.ADMINISTRATOR, skole.kommune)
    client.force_login(bruker)
    return bruker


def last_opp(client, skole, innhold: bytes, navn="elever.csv"):
    return client.post(
        reverse("elever:skoleimport", args=[skole.pk]),
        {"fil": SimpleUploadedFile(navn, innhold, content_type="text/csv")},
    )


def test_upload_shows_a_preview_and_writes_nothing(client, skole, admin):
    svar = last_opp(client, skole, csv(("Ada", "5A", "Mor"), ("Bo", "5B", "Far")))
    html = svar.content.decode()
    assert svar.status_code == 200
    assert "Se over importen" in html and "Ada Hansen" in html
    assert not Elev.objects.exists() and not Klasse.objects.exists()


def test_confirming_imports_and_a_second_upload_changes_nothing(client, skole, admin):
    innhold = csv(("Ada", "5A", "Mor"), ("Bo", "5B", "Far"))
    last_opp(client, skole, innhold)
    opplasting = Skoleimport.objects.get()
    svar = client.post(reverse("elever:skoleimport_bekreft", args=[opplasting.pk]))
    assert svar.status_code == 302
    assert Elev.objects.count() == 2 and Klasse.objects.count() == 2
    assert Foresattrelasjon.objects.filter(foreldreansvar=True).count() == 2
    opplasting.refresh_from_db()
    assert opplasting.importert and bytes(opplasting.innhold) == b""
    html = client.get(svar["Location"]).content.decode()
    assert "Importert: 2 nye elever" in html
    # The same file again: the preview says nothing will change.
    html = last_opp(client, skole, innhold).content.decode()
    assert "Ingenting vil endres" in html
    assert Elev.objects.count() == 2


def test_a_bad_fodselsnummer_is_refused_with_its_line_and_nothing_is_saved(client, skole, admin):
    svar = last_opp(client, skole, csv(("Ada", "5A", "Mor"), ("Bo", "5B", "Far"), feil_fnr=True))
    html = svar.content.decode()
    assert svar.status_code == 400
    assert "Filen ble ikke importert" in html
    assert "linje 3" in html and "Kontrollsifrene stemmer ikke" in html
    assert not Elev.objects.exists() and not Skoleimport.objects.exists()


def test_a_file_in_another_encoding_is_refused_in_norwegian(client, skole, admin):
    innhold = csv(("Åse", "5A", "Mor")).decode("utf-8-sig").encode("latin-1")
    html = last_opp(client, skole, innhold).content.decode()
    assert "UTF-8" in html
    assert not Elev.objects.exists()


def test_a_nul_character_is_refused_with_its_line_and_nothing_is_saved(client, skole, admin):
    innhold = csv(("Ada", "5A", "Mor"), ("Bo", "5B", "Far")).replace(b"Bo", b"B\x00o")
    svar = last_opp(client, skole, innhold)
    html = svar.content.decode()
    assert svar.status_code == 400
    assert "elever.csv, linje 3: Linjen inneholder et nulltegn" in html
    assert not Elev.objects.exists() and not Skoleimport.objects.exists()


def test_a_nul_character_in_a_oneroster_zip_is_refused_with_file_and_line(client, skole, admin):
    data = Path(__file__).resolve().parents[1] / "data" / "oneroster"
    arkiv = io.BytesIO()
    with zipfile.ZipFile(arkiv, "w") as zf:
        for fil in data.iterdir():
            innhold = fil.read_bytes()
            if fil.name == "users.csv":
                innhold = innhold.replace(b"Aksel", b"Ak\x00sel")
            zf.writestr(fil.name, innhold)
    svar = last_opp(client, skole, arkiv.getvalue(), navn="eksport.zip")
    html = svar.content.decode()
    assert svar.status_code == 400
    assert "users.csv, linje 2: Linjen inneholder et nulltegn" in html
    assert not Elev.objects.exists() and not Skoleimport.objects.exists()


def test_a_file_of_many_bad_lines_shows_the_first_hundred_and_counts_the_rest(client, skole, admin):
    linjer = [HODE] + [f"1234567890{n % 10};Elev{n};Hansen;5A;5;;;;;;" for n in range(2_000)]
    svar = last_opp(client, skole, "\r\n".join(linjer).encode())
    html = svar.content.decode()
    assert svar.status_code == 400
    assert html.count("elever.csv, linje ") == 2 * 100  # the summary and the field
    assert "elever.csv, linje 101:" in html and "elever.csv, linje 102:" not in html
    assert "… og 1\u00a0900 feil til." in html
    assert len(svar.content) < 100_000
    assert not Skoleimport.objects.exists()


def test_only_the_uploader_can_confirm(client, skole, admin):
    last_opp(client, skole, csv(("Ada", "5A", "Mor")))
    opplasting = Skoleimport.objects.get()
    annen = UserFactory(username="admin2")
    gi_rolle(annen, Rolle.ADMINISTRATOR, skole.kommune)
    client.force_login(annen)
    assert (
        client.post(reverse("elever:skoleimport_bekreft", args=[opplasting.pk])).status_code == 404
    )
    assert not Elev.objects.exists()


def test_confirm_is_post_only_and_out_of_scope_is_404(client, skole, admin):
    last_opp(client, skole, csv(("Ada", "5A", "Mor")))
    url = reverse("elever:skoleimport_bekreft", args=[Skoleimport.objects.get().pk])
    assert client.get(url).status_code == 405
    annen_skole = SkoleFactory()
    assert client.get(reverse("elever:skoleimport", args=[annen_skole.pk])).status_code == 404
