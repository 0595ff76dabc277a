"""Reading CSV as Norwegian Excel and other systems write it."""

import datetime

import pytest

from elever.csvlesing import les_csv, tolk_dato
from elever.importdata import Importfeil


def feil(innhold: bytes, **kw) -> list[str]:
    with pytest.raises(Importfeil) as exc:
        les_csv(innhold, filnavn="f.csv", **kw)
    return [str(f) for f in exc.value.feil]


@pytest.mark.parametrize("skilletegn", [",", ";"])
def test_comma_or_semicolon_with_or_without_bom(skilletegn):
    for bom in ("", "\ufeff"):
        tekst = f"{bom}Navn{skilletegn} Klasse \r\nÅse{skilletegn}5A\r\n"
        tabell = les_csv(tekst.encode(), filnavn="f.csv", paakrevde=["navn", "KLASSE"])
        assert tabell.kolonner == ("navn", "klasse")
        [rad] = tabell.rader
        assert (rad["Navn"], rad["klasse"], rad.linje) == ("Åse", "5A", 2)


def test_values_are_stripped_and_blank_rows_skipped():
    tabell = les_csv(b"a;b\n  x ; y \n\n;;\n;\nz;\n", filnavn="f.csv")
    assert [(r["a"], r["b"], r.linje) for r in tabell.rader] == [("x", "y", 2), ("z", "", 6)]


def test_line_numbers_count_the_lines_of_a_quoted_value():
    tabell = les_csv(b'a,b\n"Storgata 1\nleilighet 2",x\nc,d\n', filnavn="f.csv")
    assert [(r["a"], r.linje) for r in tabell.rader] == [("Storgata 1\nleilighet 2", 2), ("c", 4)]


def test_missing_columns_are_named_in_one_error():
    assert feil(b"a;b\n1;2\n", paakrevde=["a", "c", "d"]) == [
        "f.csv, linje 1: Filen mangler disse kolonnene: c, d."
    ]


def test_latin_1_is_refused_without_guessing():
    assert feil("navn\nÅse\n".encode("latin-1")) == [
        "f.csv: Filen er ikke lagret som UTF-8. Lagre den som «CSV UTF-8» i Excel og prøv igjen."
    ]


def test_more_values_than_columns_is_an_error_on_every_such_line():
    meldinger = feil(b"a,b\n1,2\nHansen, Ola,5A\n3,4\nx,y,z\n")
    assert [m.split(":")[0] for m in meldinger] == ["f.csv, linje 3", "f.csv, linje 5"]


def test_an_unclosed_quote_is_reported():
    assert feil(b'a,b\n"x,y\n') == [
        'f.csv, linje 2: Linjen kan ikke leses. Sjekk at anførselstegn (") står i par.'
    ]


def test_an_empty_file_is_refused():
    assert feil(b"\xef\xbb\xbf \r\n") == ["f.csv: Filen er tom."]


@pytest.mark.parametrize(
    "verdi, dato",
    [
        ("2026-08-17", datetime.date(2026, 8, 17)),
        ("17.08.2026", datetime.date(2026, 8, 17)),
        ("1.8.2026", datetime.date(2026, 8, 1)),
    ],
)
def test_iso_and_norwegian_dates(verdi, dato):
    assert tolk_dato(verdi) == dato


@pytest.mark.parametrize("verdi", ["17/08/2026", "2026-02-30", "17.08.26", "i morgen", "2026-8-1"])
def test_other_dates_are_refused(verdi):
    with pytest.raises(ValueError, match="ikke en gyldig dato"):
        tolk_dato(verdi)
