"""`import_fravaer`: history from another system, all or nothing, the same file twice gives
the same rows."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command

from elever.models import Elev, Kildekobling, Rolle, Skoletime
from fravaer.fravaerfil import les_fravaerfil
from fravaer.models import Fravaer, Gyldighet, Omfang
from fravaer.services import fravaer_importer
from tests.factories import KlasseFactory, UserFactory, elev_i_klasse, gi_rolle

HODE = "elev;dato;omfang;time;minutter;gyldighet;meldt"


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(
        datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture
def elev(db):
    klasse = KlasseFactory(navn="5A")
    for nummer in range(1, 6):
        Skoletime.objects.create(klasse=klasse, ukedag=2, nummer=nummer, fagnavn="Norsk")
    elev = elev_i_klasse(klasse)
    Kildekobling.objects.create(skole=klasse.skole, kilde_id="visma-123", elev=elev)
    gi_rolle(UserFactory(username="admin"), Rolle.ADMINISTRATOR, klasse.skole.kommune)
    return elev


def fil(tmp_path, *linjer):
    sti = tmp_path / "fravaer.csv"
    sti.write_text("\ufeff" + "\n".join([HODE, *linjer]) + "\n", encoding="utf-8")
    return str(sti)


def test_importing_twice_gives_the_same_rows(elev, tmp_path, capsys):
    sti = fil(
        tmp_path,
        f"{elev.fodselsnummer};02.11.2026;hele_dagen;;;gyldig;ja",
        "visma-123;2026-11-03;time;2;;ugyldig;nei",
        "visma-123;2026-11-03;time;3;;ugyldig;nei",
        "visma-123;2026-11-10;for_sent;1;15;;",
    )
    call_command("import_fravaer", sti, "--bruker", "admin")
    assert "4 fraværsoppføringer på 3 elevdager" in capsys.readouterr().out
    forste = sorted(Fravaer.objects.values_list("dato", "omfang", "time", "minutter", "gyldighet"))
    call_command("import_fravaer", sti, "--bruker", "admin")
    assert (
        sorted(Fravaer.objects.values_list("dato", "omfang", "time", "minutter", "gyldighet"))
        == forste
    )
    assert Fravaer.objects.filter(omfang=Omfang.HELE_DAGEN, gyldighet=Gyldighet.GYLDIG).count() == 1


def test_bad_lines_refuse_the_whole_file_with_their_line_numbers(elev, tmp_path):
    sti = fil(
        tmp_path,
        f"{elev.fodselsnummer};02.11.2026;hele_dagen;;;gyldig;ja",
        "visma-123;2026-11-07;hele_dagen;;;;",
        "ukjent-9;2026-11-03;time;2;;;",
        "visma-123;2026-11-03;time;9;;;",
        "visma-123;2026-11-04;kanskje;;;;",
    )
    with pytest.raises(CommandError) as avvist:
        call_command("import_fravaer", sti, "--bruker", "admin")
    # Every line's problem in one round, in line order: unreadable and impossible alike.
    melding = str(avvist.value)
    assert melding.index("linje 3:") < melding.index("linje 6:")
    assert "fravaer.csv, linje 6: omfang «kanskje» er ukjent" in melding
    assert "linje 3: 07.11.2026 er ikke en skoledag (lørdag)" in melding
    assert "linje 4: Fant ingen elev «ukjent-9»" in melding
    assert "linje 5:" in melding and "har ikke 9. time" in melding
    assert not Fravaer.objects.exists()


def test_a_nul_character_refuses_the_whole_file_with_its_line(elev, tmp_path):
    sti = fil(tmp_path, "visma-123;2026-11-03;time;2;;ugyldig;n\x00ei")
    with pytest.raises(CommandError, match=r"fravaer\.csv, linje 2: Linjen inneholder et nulltegn"):
        call_command("import_fravaer", sti, "--bruker", "admin")
    assert not Fravaer.objects.exists()


def test_many_bad_lines_print_the_first_hundred_and_count_the_rest(elev, tmp_path):
    sti = fil(tmp_path, *(f"ukjent-{n};02.11.2026;hele_dagen;;;;" for n in range(250)))
    with pytest.raises(CommandError) as avvist:
        call_command("import_fravaer", sti, "--bruker", "admin")
    melding = str(avvist.value)
    assert melding.count("fravaer.csv, linje ") == 100
    assert melding.endswith("\n  … og 150 feil til.")
    assert not Fravaer.objects.exists()


def test_dry_run_writes_nothing(elev, tmp_path, capsys):
    sti = fil(tmp_path, f"{elev.fodselsnummer};02.11.2026;hele_dagen;;;gyldig;ja")
    call_command("import_fravaer", sti, "--bruker", "admin", "--dry-run")
    assert "ingenting er lagret" in capsys.readouterr().out
    assert not Fravaer.objects.exists()


@pytest.mark.parametrize("elever", [2, 8])
def test_the_import_reads_the_whole_file_in_a_fixed_number_of_queries(
    elev, tmp_path, elever, django_assert_max_num_queries
):
    klasse = elev.klassemedlemskap.get().klasse
    andre = [elev_i_klasse(klasse) for _ in range(elever - 1)]
    tirsdager = [datetime.date(2026, 9, 1) + datetime.timedelta(weeks=u) for u in range(10)]
    linjer = [
        f"{e.fodselsnummer};{d:%d.%m.%Y};time;{n};;ugyldig;nei"
        for e in [elev, *andre]
        for d in tirsdager
        for n in (1, 2)
    ]
    with open(fil(tmp_path, *linjer), "rb") as csv:
        rader = les_fravaerfil(csv.read(), filnavn="fravaer.csv")
    admin = UserFactory(username="importerer")
    with django_assert_max_num_queries(16):
        resultat = fravaer_importer(rader=rader, registrert_av=admin, innenfor=Elev.objects.all())
    assert resultat.oppforinger == elever * 20 == Fravaer.objects.count()
