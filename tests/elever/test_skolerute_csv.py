"""The school calendar in the open-data format municipalities publish (Stavanger's columns)."""

import datetime
from pathlib import Path

import pytest

from elever.importdata import Importfeil
from elever.skolerute_csv import SkoleruteRad, les_skolerute

FIL = Path(__file__).parent.parent / "data" / "skolerute_fjordvik.csv"
HODE = "dato,skole,elevdag,laererdag,sfodag,kommentar"


def les(*linjer: str, hode: str = HODE) -> list[SkoleruteRad]:
    return les_skolerute("\n".join([hode, *linjer]).encode(), filnavn="skolerute.csv")


def feil(*linjer: str, hode: str = HODE) -> list[str]:
    with pytest.raises(Importfeil) as exc:
        les(*linjer, hode=hode)
    return [str(f) for f in exc.value.feil]


def test_the_sample_file():
    rader = les_skolerute(FIL.read_bytes(), filnavn=FIL.name)
    assert len(rader) == 91
    assert rader[0] == SkoleruteRad(
        dato=datetime.date(2026, 8, 12),
        skole="Fjordvik skole",
        elevdag=False,
        laererdag=True,
        kommentar="Planleggingsdag",
        linje=2,
    )
    assert {r.skole for r in rader} == {"Fjordvik skole", "940800021", ""}
    hostferie = [r for r in rader if r.kommentar == "Høstferie"]
    assert len(hostferie) == 5 and all(r.skole == "" and not r.elevdag for r in hostferie)
    planlegging = [r for r in rader if r.dato == datetime.date(2026, 9, 25)]
    assert [(r.skole, r.elevdag, r.laererdag) for r in planlegging] == [
        ("Fjordvik skole", False, True),
        ("940800021", True, True),
    ]


def test_norwegian_dates_semicolons_and_any_case():
    [rad] = les("17.08.2026;Fjordvik skole;JA;ja;;", hode=HODE.replace(",", ";"))
    assert (rad.dato, rad.elevdag, rad.laererdag) == (datetime.date(2026, 8, 17), True, True)


def test_sfodag_and_kommentar_columns_are_optional():
    [rad] = les("2026-08-17,,Ja,Ja", hode="dato,skole,elevdag,laererdag")
    assert rad.kommentar == "" and rad.skole == ""


def test_the_same_day_twice_with_the_same_values_is_kept_once():
    rader = les("2026-08-17,Fjordvik skole,Ja,Ja,Ja,", "17.08.2026,fjordvik  skole,ja,ja,,")
    assert len(rader) == 1


def test_the_same_day_twice_with_different_values_names_both_lines():
    assert feil("2026-08-17,974 557 746,Ja,Ja,Ja,", "2026-08-17,974557746,Nei,Ja,Ja,") == [
        "skolerute.csv, linje 3: 17.08.2026 for 974557746 står også på linje 2, med andre "
        "verdier. Slett den ene linjen."
    ]


def test_every_bad_line_is_listed():
    meldinger = feil(
        "2026-08-17,,Ja,Ja,Ja,",
        "2026-13-01,,Ja,Ja,Ja,",
        "2026-08-18,,Kanskje,Ja,Ja,",
        "2026-08-19,,,Ja,Ja,",
        "2026-08-20,,Ja,Ja,Ofte,",
    )
    assert meldinger == [
        "skolerute.csv, linje 3: dato: «2026-13-01» er ikke en gyldig dato. Skriv den som "
        "17.08.2026 eller 2026-08-17.",
        "skolerute.csv, linje 4: elevdag må være Ja eller Nei, ikke «Kanskje».",
        "skolerute.csv, linje 5: elevdag må fylles ut med Ja eller Nei.",
        "skolerute.csv, linje 6: sfodag må være Ja eller Nei, ikke «Ofte».",
    ]


def test_missing_columns():
    assert feil("2026-08-17,Ja", hode="dato,elevdag") == [
        "skolerute.csv, linje 1: Filen mangler disse kolonnene: skole, laererdag."
    ]


def test_latin_1_is_refused():
    innhold = f"{HODE}\n2026-10-05,,Nei,Nei,Ja,Høstferie\n".encode("latin-1")
    with pytest.raises(Importfeil, match="UTF-8"):
        les_skolerute(innhold, filnavn="skolerute.csv")
