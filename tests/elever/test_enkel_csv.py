"""The simple one-row-per-pupil CSV for small schools (docs/import.md)."""

import datetime
from pathlib import Path

import pytest

from elever.enkel_csv import foresatt_kilde_id, les_enkel_csv
from elever.importdata import Importfeil
from elever.skolefil import les_skolefil
from tests.factories import syntetisk_fnr

FIL = Path(__file__).parent.parent / "data" / "enkel_import.csv"
ORGNR = "974557746"
HODE = "fodselsnummer;fornavn;etternavn;klasse;trinn;adressesperre"


def fnr(n: int) -> str:
    return syntetisk_fnr(datetime.date(2016, 2, 1) + datetime.timedelta(days=n))


def les(innhold: bytes | str, **kw):
    if isinstance(innhold, str):
        innhold = innhold.encode()
    return les_enkel_csv(
        innhold, filnavn="elever.csv", skole_orgnr=ORGNR, syntetisk_tillatt=True, **kw
    )


def feil(innhold: str) -> list[str]:
    with pytest.raises(Importfeil) as exc:
        les(innhold)
    return [str(f) for f in exc.value.feil]


def csv(*linjer: str, hode: str = HODE) -> str:
    return "\r\n".join([hode, *linjer]) + "\r\n"


@pytest.fixture(scope="module")
def data():
    return les_skolefil(
        FIL.read_bytes(), filnavn=FIL.name, skole_orgnr=ORGNR, syntetisk_tillatt=True
    )


class TestSampleFile:
    def test_school_and_counts(self, data):
        assert (data.format, data.skole_orgnr, data.skole_kilde_id) == (
            "enkel",
            ORGNR,
            "orgnr:974557746",
        )
        assert data.skolear is None and data.terminer == []
        assert [(k.kilde_id, k.navn, k.trinn) for k in data.klasser] == [
            ("klasse:2A", "2A", 2),
            ("klasse:4A", "4A", 4),
        ]
        assert len(data.elever) == 6 and len(data.foresatte) == 6
        assert len(data.foresattrelasjoner) == 9
        assert data.faggrupper == [] and data.ansatte == []

    def test_every_pupil_is_a_member_of_their_class(self, data):
        assert [(m.gruppe_kilde_id, m.person_kilde_id, m.rolle) for m in data.medlemskap] == [
            ("klasse:2A", "1001", "elev"),
            ("klasse:4A", "1002", "elev"),
            ("klasse:2A", "1003", "elev"),
            ("klasse:4A", "1004", "elev"),
            ("klasse:2A", "1005", "elev"),
            ("klasse:4A", "1006", "elev"),
        ]

    def test_pupils(self, data):
        astrid = data.elever[0]
        assert (astrid.kilde_id, astrid.fornavn, astrid.etternavn) == ("1001", "Astrid", "Lund")
        assert astrid.fodselsnummer.startswith("028419")
        assert astrid.adresse.gate == "Bakkeveien 3" and astrid.adresse.postnummer == "9990"
        # A blank cell says nothing (None keeps a flag set by hand); "fortrolig" sets it.
        assert [e.adressesperre for e in data.elever] == [None, None, None, None, "fortrolig", None]
        assert (astrid.kilde.fil, astrid.kilde.linje) == ("enkel_import.csv", 2)

    def test_siblings_share_guardians_with_and_without_fodselsnummer(self, data):
        per_foresatt = {}
        for r in data.foresattrelasjoner:
            per_foresatt.setdefault(r.foresatt_kilde_id, []).append(r.elev_kilde_id)
        navn = {f.kilde_id: f.fornavn for f in data.foresatte}
        assert {navn[k]: v for k, v in per_foresatt.items()} == {
            "Line": ["1001", "1002"],
            "Kjetil": ["1001", "1002"],
            "Mona": ["1003", "1004"],
            "Arne": ["1003"],
            "Rania": ["1005"],
            "Eirik": ["1006"],
        }
        line = next(f for f in data.foresatte if f.fornavn == "Line")
        assert line.kilde_id == f"fnr:{line.fodselsnummer}"
        mona = next(f for f in data.foresatte if f.fornavn == "Mona")
        assert mona.kilde_id.startswith("foresatt:") and mona.fodselsnummer is None

    def test_parental_responsibility_only_when_the_file_says_ja(self, data):
        navn = {f.kilde_id: f.fornavn for f in data.foresatte}
        ansvar = {navn[r.foresatt_kilde_id]: r.foreldreansvar for r in data.foresattrelasjoner}
        assert ansvar == {
            "Line": True,
            "Kjetil": True,
            "Mona": True,
            "Arne": False,
            "Rania": True,
            "Eirik": False,  # empty means no
        }


def test_without_elev_id_the_source_id_is_the_fodselsnummer():
    data = les(csv(f"{fnr(0)};Ada;Hansen;5A;5;"))
    assert data.elever[0].kilde_id == f"fnr:{fnr(0)}"
    assert data.elever[0].adresse is None  # no address columns: keep what is stored


def test_commas_and_no_bom_work_too():
    data = les(csv(f"{fnr(0)},Ada,Hansen,5A,5,strengt fortrolig", hode=HODE.replace(";", ",")))
    assert data.elever[0].adressesperre == "strengt_fortrolig"


def test_guardian_id_is_the_same_however_phone_and_case_are_written():
    a = foresatt_kilde_id("Mona", "Sæther", "+47 412 34 603", "Mona.Saether@epost.example")
    b = foresatt_kilde_id(" mona ", "SÆTHER", "41234603", "mona.saether@epost.example")
    assert a == b and a.startswith("foresatt:") and "Mona" not in a
    assert a != foresatt_kilde_id("Mona", "Sæther", "41234604", "mona.saether@epost.example")


GHODE = HODE + ";foresatt1_fornavn;foresatt1_etternavn;foresatt1_telefon;foresatt1_foreldreansvar"


def test_a_guardian_given_twice_for_one_pupil_is_one_relation():
    hode = (
        GHODE + ";foresatt2_fornavn;foresatt2_etternavn;foresatt2_telefon;foresatt2_foreldreansvar"
    )
    data = les(
        csv(f"{fnr(0)};Ada;Hansen;5A;5;;Eva;Hansen;41234567;nei;Eva;Hansen;41234567;ja", hode=hode)
    )
    assert len(data.foresatte) == 1
    [relasjon] = data.foresattrelasjoner
    assert relasjon.foreldreansvar is True


class TestRefusals:
    def test_a_bad_fodselsnummer_names_its_line(self):
        galt = fnr(1)[:-1] + str((int(fnr(1)[-1]) + 1) % 10)
        assert feil(csv(f"{fnr(0)};Ada;Hansen;5A;5;", f"{galt};Bo;Hansen;5A;5;")) == [
            f"elever.csv, linje 3: Fødselsnummeret {galt} er ugyldig: Kontrollsifrene stemmer "
            "ikke. Sjekk at nummeret er skrevet riktig."
        ]

    def test_a_lost_leading_zero_gets_a_hint(self):
        nummer = syntetisk_fnr(datetime.date(2016, 2, 3))
        assert nummer.startswith("0")
        [melding] = feil(csv(f"{nummer[1:]};Ada;Hansen;5A;5;"))
        assert "11 sifre" in melding and "Excel" in melding

    def test_fodselsnummer_is_required(self):
        assert feil(csv(";Ada;Hansen;5A;5;")) == [
            "elever.csv, linje 2: fodselsnummer må fylles ut."
        ]

    def test_missing_columns(self):
        assert feil(csv(f"{fnr(0)};Ada;5A", hode="fodselsnummer;fornavn;klasse")) == [
            "elever.csv, linje 1: Filen mangler disse kolonnene: etternavn, trinn, adressesperre."
        ]

    def test_latin_1(self):
        with pytest.raises(Importfeil) as exc:
            les(csv(f"{fnr(0)};Åse;Hansen;5A;5;").encode("latin-1"))
        assert str(exc.value).startswith("elever.csv: Filen er ikke lagret som UTF-8.")

    def test_bad_trinn_and_a_class_with_two_trinn(self):
        assert feil(
            csv(
                f"{fnr(0)};Ada;Hansen;5A;11;", f"{fnr(1)};Bo;Hansen;6A;6;", f"{fnr(2)};Cy;Lie;6A;7;"
            )
        ) == [
            "elever.csv, linje 2: trinn «11» er ugyldig: skriv et tall fra 1 til 10.",
            "elever.csv, linje 4: Klassen 6A har trinn 6 på linje 3.",
        ]

    def test_ingen_clears_the_flag_and_a_blank_cell_keeps_it(self):
        data = les(csv(f"{fnr(0)};Ada;Hansen;5A;5;ingen", f"{fnr(1)};Bo;Hansen;5A;5;"))
        assert [e.adressesperre for e in data.elever] == ["", None]

    def test_unknown_adressesperre(self):
        assert feil(csv(f"{fnr(0)};Ada;Hansen;5A;5;hemmelig")) == [
            "elever.csv, linje 2: adressesperre «hemmelig» er ukjent: la feltet stå tomt, eller "
            "skriv fortrolig, strengt_fortrolig eller ingen."
        ]

    def test_an_address_for_a_pupil_with_protected_address_is_refused(self):
        hode = HODE + ";adresse;postnummer;poststed"
        [melding] = feil(csv(f"{fnr(0)};Ada;Hansen;5A;5;fortrolig;Gata 1;0150;Oslo", hode=hode))
        assert melding.startswith("elever.csv, linje 2: Eleven har adressesperre")

    def test_duplicate_fodselsnummer_names_both_lines(self):
        assert feil(csv(f"{fnr(0)};Ada;Hansen;5A;5;", f"{fnr(0)};Bo;Hansen;5A;5;")) == [
            f"elever.csv, linje 3: Fødselsnummeret {fnr(0)} står også på linje 2."
        ]

    def test_guardian_problems(self):
        assert feil(
            csv(
                f"{fnr(0)};Ada;Hansen;5A;5;;Eva;;41234567;ja",
                f"{fnr(1)};Bo;Hansen;5A;5;;Eva;Hansen;41234567;kanskje",
                f"{fnr(2)};Cy;Hansen;5A;5;;;;;",
                hode=GHODE,
            )
        ) == [
            "elever.csv, linje 2: foresatt1_etternavn må fylles ut.",
            "elever.csv, linje 3: foresatt1_foreldreansvar «kanskje» er ukjent: skriv ja eller "
            "nei.",
        ]

    def test_one_guardian_number_with_two_names(self):
        hode = HODE + ";foresatt1_fornavn;foresatt1_etternavn;foresatt1_fodselsnummer"
        mor = syntetisk_fnr(datetime.date(1985, 3, 9), 200)
        [melding] = feil(
            csv(
                f"{fnr(0)};Ada;Hansen;5A;5;;Eva;Hansen;{mor}",
                f"{fnr(1)};Bo;Hansen;5A;5;;Eli;Hansen;{mor}",
                hode=hode,
            )
        )
        assert melding.startswith("elever.csv, linje 3: Foresatt Eli Hansen står med et annet")

    def test_every_problem_is_listed_and_line_numbers_follow_quoted_newlines(self):
        hode = HODE + ";adresse"
        meldinger = feil(
            csv(
                f'{fnr(0)};Ada;Hansen;5A;5;;"Gata 1\nOppgang B"',
                f"{fnr(1)};;Hansen;5A;0;",
                hode=hode,
            )
        )
        assert meldinger == [
            "elever.csv, linje 4: fornavn må fylles ut.",
            "elever.csv, linje 4: trinn «0» er ugyldig: skriv et tall fra 1 til 10.",
        ]
