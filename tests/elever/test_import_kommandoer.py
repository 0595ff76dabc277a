"""`import_oneroster` and `import_skolerute` as an administrator runs them: the sample
OneRoster set in tests/data twice (same counts), and refusals that write nothing."""

import datetime
import shutil
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from elever.kalender import dager, offentlige_fridager
from elever.models import (
    Elev,
    Faggruppe,
    Foresatt,
    Foresattrelasjon,
    Klasse,
    Klassemedlemskap,
    Rolletildeling,
    Skolear,
    Skoleruteunntak,
)
from elever.selectors import skoledager
from tests.factories import KommuneFactory, SkoleFactory

DATA = Path(__file__).resolve().parents[1] / "data"
ORGNR = "974557746"


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def skole(db):
    kommune = KommuneFactory(
        navn="Fjordvik kommune",
        organisasjonsnummer="940800013",
        brukernavndomener=["fjordvik.example"],
    )
    SkoleFactory(kommune=kommune, navn="Nordstrand skole", organisasjonsnummer="940800021")
    return SkoleFactory(kommune=kommune, navn="Fjordvik skole", organisasjonsnummer=ORGNR)


def tellinger():
    return {
        "elever": Elev.objects.count(),
        "klasser": Klasse.objects.count(),
        "faggrupper": Faggruppe.objects.count(),
        "foresatte": Foresatt.objects.count(),
        "relasjoner": Foresattrelasjon.objects.count(),
        "klassemedlemskap": Klassemedlemskap.objects.count(),
        "roller": Rolletildeling.objects.count(),
    }


def test_importing_the_sample_twice_gives_the_same_counts(skole, capsys):
    call_command("import_oneroster", str(DATA / "oneroster"), "--skole", ORGNR)
    forste = tellinger()
    assert forste["elever"] >= 10 and forste["klasser"] == 2 and forste["foresatte"] > 0
    assert "Importert: Fjordvik skole" in capsys.readouterr().out
    call_command("import_oneroster", str(DATA / "oneroster"), "--skole", ORGNR)
    assert tellinger() == forste
    assert "0 nye, 0 endret" in capsys.readouterr().out
    # The other school's pupil in the same export is not taken.
    assert not Elev.objects.filter(skolemedlemskap__skole__organisasjonsnummer="940800021")


def test_a_zip_gives_the_same_as_the_folder(skole, tmp_path):
    arkiv = tmp_path / "eksport.zip"
    with zipfile.ZipFile(arkiv, "w") as z:
        for fil in (DATA / "oneroster").iterdir():
            z.write(fil, f"eksport/{fil.name}")
    call_command("import_oneroster", str(arkiv), "--skole", ORGNR)
    fra_zip = tellinger()
    call_command("import_oneroster", str(DATA / "oneroster"), "--skole", ORGNR)
    assert tellinger() == fra_zip


def test_dry_run_writes_nothing(skole, capsys):
    call_command("import_oneroster", str(DATA / "oneroster"), "--skole", ORGNR, "--dry-run")
    assert "ingenting er lagret" in capsys.readouterr().out
    assert not Elev.objects.exists() and not Skolear.objects.exists()


def kopi_med(tmp_path, fil: str, gammel: str, ny: str) -> Path:
    mappe = tmp_path / "oneroster"
    shutil.copytree(DATA / "oneroster", mappe)
    tekst = (mappe / fil).read_text(encoding="utf-8-sig")
    assert gammel in tekst
    (mappe / fil).write_text(tekst.replace(gammel, ny, 1), encoding="utf-8")
    return mappe


def forste_elev_fnr() -> str:
    for linje in (DATA / "oneroster" / "users.csv").read_text(encoding="utf-8-sig").splitlines():
        for felt in linje.split(","):
            if len(felt) == 11 and felt.isdigit():
                return felt
    raise AssertionError("no fødselsnummer in users.csv")


def test_a_bad_fodselsnummer_refuses_the_whole_file(skole, tmp_path):
    fnr = forste_elev_fnr()
    feil = fnr[:-1] + str((int(fnr[-1]) + 1) % 10)
    mappe = kopi_med(tmp_path, "users.csv", fnr, feil)
    with pytest.raises(CommandError) as avvist:
        call_command("import_oneroster", str(mappe), "--skole", ORGNR)
    assert "ingenting er lagret" in str(avvist.value)
    assert "users.csv, linje" in str(avvist.value) and "Kontrollsifrene" in str(avvist.value)
    assert tellinger()["elever"] == 0 and not Skolear.objects.exists()


def test_an_unknown_class_in_enrollments_refuses_the_whole_file(skole, tmp_path):
    tekst = (DATA / "oneroster" / "enrollments.csv").read_text(encoding="utf-8-sig")
    klasse_id = tekst.splitlines()[1].split(",")[3]
    mappe = kopi_med(tmp_path, "enrollments.csv", f",{klasse_id},", ",finnes-ikke,")
    with pytest.raises(CommandError, match=r"enrollments\.csv, linje 2"):
        call_command("import_oneroster", str(mappe), "--skole", ORGNR)
    assert tellinger()["elever"] == 0


def test_a_missing_column_refuses_the_whole_file(skole, tmp_path):
    mappe = kopi_med(tmp_path, "users.csv", "givenName", "fornavn")
    with pytest.raises(CommandError, match=r"users\.csv, linje 1.*givenName"):
        call_command("import_oneroster", str(mappe), "--skole", ORGNR)
    assert tellinger()["elever"] == 0


def test_a_nul_character_refuses_the_whole_file_with_its_line(skole, tmp_path):
    mappe = kopi_med(tmp_path, "users.csv", "Aksel", "Ak\x00sel")
    with pytest.raises(CommandError, match=r"users\.csv, linje 2: Linjen inneholder et nulltegn"):
        call_command("import_oneroster", str(mappe), "--skole", ORGNR)
    assert tellinger()["elever"] == 0


def test_many_bad_lines_print_the_first_hundred_and_count_the_rest(skole, tmp_path):
    mappe = tmp_path / "oneroster"
    shutil.copytree(DATA / "oneroster", mappe)
    with (mappe / "users.csv").open("a", encoding="utf-8") as users:
        for n in range(250):
            users.write(f"stud-x{n},,,true,org-fjordvik-skole,student,,,X,Y,,1234567890{n % 10}")
            users.write(",,,,,05,\n")
    with pytest.raises(CommandError) as avvist:
        call_command("import_oneroster", str(mappe), "--skole", ORGNR)
    melding = str(avvist.value)
    assert melding.count("\n  ") == 101  # a hundred reasons and the count
    assert melding.endswith("feil til.")
    assert tellinger()["elever"] == 0


def test_an_unknown_school_is_refused(db):
    with pytest.raises(CommandError, match="Fant ingen skole med organisasjonsnummer 123456785"):
        call_command("import_oneroster", str(DATA / "oneroster"), "--skole", "123456785")


# --- Skolerute ----------------------------------------------------------------------------


def skolerute_csv(skoler: list[str], fri: dict[tuple[str, datetime.date], str]) -> bytes:
    """A whole school year in the municipalities' format, a row per school per day."""
    linjer = ["dato,skole,elevdag,laererdag,sfodag,kommentar"]
    forste, siste = datetime.date(2026, 8, 18), datetime.date(2027, 6, 18)
    helligdager = offentlige_fridager(forste, siste)
    for dag in dager(datetime.date(2026, 8, 1), datetime.date(2027, 7, 31)):
        for skole in skoler:
            kommentar = fri.get((skole, dag)) or fri.get(("", dag), "")
            elevdag = (
                forste <= dag <= siste
                and dag.weekday() < 5
                and dag not in helligdager
                and not kommentar
            )
            laererdag = kommentar == "Planleggingsdag"
            linjer.append(
                f"{dag},{skole},{'Ja' if elevdag else 'Nei'},"
                f"{'Ja' if elevdag or laererdag else 'Nei'},Nei,{kommentar}"
            )
    return ("\ufeff" + "\n".join(linjer) + "\n").encode()


def test_import_skolerute_sets_the_year_and_its_days_off(skole, tmp_path, capsys):
    hostferie = {
        ("", datetime.date(2026, 9, 28) + datetime.timedelta(days=i)): "Høstferie" for i in range(5)
    }
    planlegging = {("940800021", datetime.date(2026, 11, 13)): "Planleggingsdag"}
    fil = tmp_path / "skolerute.csv"
    fil.write_bytes(skolerute_csv([ORGNR, "940800021"], hostferie | planlegging))
    call_command("import_skolerute", str(fil), "--kommune", "940800013")
    aar = Skolear.objects.get()
    assert (aar.forste_skoledag, aar.siste_skoledag) == (
        datetime.date(2026, 8, 18),
        datetime.date(2027, 6, 18),
    )
    unntak = {(u.navn, u.skole_id, u.fra, u.til) for u in Skoleruteunntak.objects.all()}
    nordstrand = skole.kommune.skoler.get(organisasjonsnummer="940800021")
    assert ("Høstferie", None, datetime.date(2026, 9, 28), datetime.date(2026, 10, 2)) in unntak
    assert (
        "Planleggingsdag",
        nordstrand.pk,
        datetime.date(2026, 11, 13),
        datetime.date(2026, 11, 13),
    ) in unntak
    # Public holidays come from the calendar itself, so they are not stored as days off.
    assert not Skoleruteunntak.objects.filter(fra=datetime.date(2026, 12, 25)).exists()
    fjordvik = len(skoledager(skole, aar.start, aar.slutt))
    assert len(skoledager(nordstrand, aar.start, aar.slutt)) == fjordvik - 1
    helligdager = offentlige_fridager(aar.forste_skoledag, aar.siste_skoledag)
    hverdager = [
        d
        for d in dager(aar.forste_skoledag, aar.siste_skoledag)
        if d.weekday() < 5 and d not in helligdager
    ]
    assert fjordvik == len(hverdager) - 5  # the autumn holiday week
    assert "Skoleruten for Fjordvik kommune er importert" in capsys.readouterr().out
    # Importing again replaces, it does not add.
    call_command("import_skolerute", str(fil), "--kommune", "940800013")
    assert {(u.navn, u.skole_id, u.fra, u.til) for u in Skoleruteunntak.objects.all()} == unntak


def test_a_partial_year_is_refused(skole):
    with pytest.raises(CommandError, match="dekke hele skoleåret"):
        call_command(
            "import_skolerute", str(DATA / "skolerute_fjordvik.csv"), "--kommune", "940800013"
        )
    assert not Skolear.objects.exists()


def test_an_unknown_school_in_the_calendar_is_refused_with_its_line(skole, tmp_path):
    fil = tmp_path / "skolerute.csv"
    fil.write_bytes(skolerute_csv([ORGNR, "Ukjent skole"], {}))
    with pytest.raises(
        CommandError, match=r"skolerute\.csv, linje 3: Skolen «Ukjent skole» finnes ikke"
    ):
        call_command("import_skolerute", str(fil), "--kommune", "940800013")
    assert not Skolear.objects.exists()


def test_a_nul_character_in_the_calendar_is_refused_with_its_line(skole, tmp_path):
    fil = tmp_path / "skolerute.csv"
    innhold = skolerute_csv([ORGNR], {}).replace(b"2026-08-02,", b"2026-08-02\x00,")
    fil.write_bytes(innhold)
    with pytest.raises(
        CommandError, match=r"skolerute\.csv, linje 3: Linjen inneholder et nulltegn"
    ):
        call_command("import_skolerute", str(fil), "--kommune", "940800013")
    assert not Skolear.objects.exists() and not Skoleruteunntak.objects.exists()


def test_a_long_comment_in_the_calendar_is_shortened_not_a_crash(skole, tmp_path):
    lang = "Planleggingsdag for hele kommunen med kurs i " + "x" * 120
    fil = tmp_path / "skolerute.csv"
    fil.write_bytes(skolerute_csv([ORGNR], {("", datetime.date(2026, 11, 13)): lang}))
    call_command("import_skolerute", str(fil), "--kommune", "940800013")
    assert Skoleruteunntak.objects.get().navn == lang[:100]
