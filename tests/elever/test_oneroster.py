"""OneRoster 1.1 CSV for one school, from the sample set in tests/data/oneroster (Fjordvik
skole, 974557746, in a two-school kommune export)."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest

from elever import skolefil
from elever.importdata import Importfeil, Periode, Skoledata
from elever.oneroster import les_oneroster
from elever.skolefil import les_skolefil

DATA = Path(__file__).parent.parent / "data" / "oneroster"
MB = 1024 * 1024
ORGNR = "974557746"


def filer() -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(DATA.glob("*.csv"))}


def endre(filer_: dict[str, bytes], navn: str, gammel: str, ny: str) -> dict[str, bytes]:
    tekst = filer_[navn].decode()
    assert gammel in tekst, gammel
    return filer_ | {navn: tekst.replace(gammel, ny, 1).encode()}


def les(filer_: dict[str, bytes] | None = None, orgnr: str = ORGNR) -> Skoledata:
    return les_oneroster(
        filer() if filer_ is None else filer_, skole_orgnr=orgnr, syntetisk_tillatt=True
    )


def feil(filer_: dict[str, bytes]) -> list[str]:
    with pytest.raises(Importfeil) as exc:
        les(filer_)
    return [str(f) for f in exc.value.feil]


def linje(navn: str, start: str) -> int:
    """The line number (1 = header) of the row in ``navn`` that starts with ``start``."""
    linjer = (DATA / navn).read_text().splitlines()
    return next(i for i, tekst in enumerate(linjer, 1) if tekst.startswith(start))


@pytest.fixture(scope="module")
def data() -> Skoledata:
    return les()


class TestSampleSet:
    def test_school_year_and_terms(self, data):
        assert (data.format, data.skole_orgnr, data.skole_kilde_id) == (
            "oneroster",
            ORGNR,
            "org-fjordvik-skole",
        )
        d = datetime.date
        assert data.skolear == Periode("as-2026-2027", "2026/2027", d(2026, 8, 17), d(2027, 6, 18))
        assert data.terminer == [
            Periode("as-host-2026", "Høst 2026", d(2026, 8, 17), d(2026, 12, 18)),
            Periode("as-var-2027", "Vår 2027", d(2027, 1, 4), d(2027, 6, 18)),
        ]

    def test_classes_and_teaching_groups(self, data):
        assert [(k.kilde_id, k.navn, k.trinn) for k in data.klasser] == [
            ("class-5a", "5A", 5),
            ("class-5b", "5B", 5),
        ]
        [gruppe] = data.faggrupper
        assert (gruppe.kilde_id, gruppe.navn, gruppe.fagkode, gruppe.fagnavn) == (
            "class-5-mat",
            "5 Matematikk",
            "MAT01-05",
            "Matematikk",
        )

    def test_counts(self, data):
        assert len(data.elever) == 12
        assert len(data.foresatte) == 14
        assert len(data.foresattrelasjoner) == 15
        assert len(data.medlemskap) == 12 + 12 + 3

    def test_the_other_school_is_ignored(self, data):
        ider = {e.kilde_id for e in data.elever} | {f.kilde_id for f in data.foresatte}
        assert "stud-ns-01" not in ider and "guard-ns-01" not in ider
        assert all(m.person_kilde_id != "stud-ns-01" for m in data.medlemskap)
        assert "class-ns-4a" not in {k.kilde_id for k in data.klasser}

    def test_fodselsnummer_from_identifier_userids_or_both(self, data):
        elever = {e.kilde_id: e for e in data.elever}
        assert elever["stud-01"].fodselsnummer == "03821651076"  # identifier
        assert elever["stud-02"].fodselsnummer == "17841651820"  # {Fnr:…} in userIds
        assert elever["stud-05"].fodselsnummer == "05901653870"  # both, the same
        assert all(e.fodselsnummer for e in data.elever)

    def test_birth_dates_from_demographics_and_nothing_oneroster_lacks(self, data):
        elever = {e.kilde_id: e for e in data.elever}
        assert elever["stud-01"].fodselsdato == datetime.date(2016, 2, 3)
        assert elever["stud-02"].fodselsdato is None
        assert all(e.adresse is None and e.adressesperre is None for e in data.elever)

    def test_parental_responsibility_follows_the_role(self, data):
        ansvar = {
            (r.elev_kilde_id, r.foresatt_kilde_id): r.foreldreansvar
            for r in data.foresattrelasjoner
        }
        assert ansvar["stud-02", "guard-03"] is True  # guardian
        assert ansvar["stud-02", "guard-04"] is False  # parent
        assert ansvar["stud-05", "guard-08"] is False  # relative

    def test_relations_from_either_side_and_siblings_share_a_guardian(self, data):
        par = [(r.elev_kilde_id, r.foresatt_kilde_id) for r in data.foresattrelasjoner]
        assert ("stud-08", "guard-10") in par  # only the guardian lists the pupil
        # Silje Lie is listed by both twins and lists both: two relations, one guardian.
        assert [p for p in par if p[1] == "guard-09"] == [
            ("stud-06", "guard-09"),
            ("stud-07", "guard-09"),
        ]
        assert sum(f.kilde_id == "guard-09" for f in data.foresatte) == 1

    def test_guardians_carry_fnr_and_phone(self, data):
        foresatte = {f.kilde_id: f for f in data.foresatte}
        assert foresatte["guard-01"].fodselsnummer == "12858412038"
        assert foresatte["guard-01"].telefon == "+47 41234501"  # phone
        assert foresatte["guard-02"].telefon == "41234502"  # sms
        assert foresatte["guard-02"].fodselsnummer is None

    def test_staff(self, data):
        assert [(a.kilde_id, a.brukernavn) for a in data.ansatte] == [
            ("teach-01", "marte.solberg@fjordvik.example"),
            ("teach-02", "henrik.aas@fjordvik.example"),  # no username: the e-mail
            ("admin-01", "rektor.fjordvik@fjordvik.example"),
        ]

    def test_enrollments(self, data):
        laerere = [
            (m.gruppe_kilde_id, m.person_kilde_id) for m in data.medlemskap if m.rolle == "laerer"
        ]
        assert laerere == [
            ("class-5a", "teach-01"),
            ("class-5b", "teach-02"),
            ("class-5-mat", "teach-01"),
        ]
        forste = next(m for m in data.medlemskap if m.person_kilde_id == "stud-01")
        assert (forste.gruppe_kilde_id, forste.rolle, forste.fra, forste.til) == (
            "class-5a",
            "elev",
            datetime.date(2026, 8, 17),
            datetime.date(2027, 6, 18),
        )


def lag_zip(innhold: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as arkiv:
        for navn, data in innhold.items():
            arkiv.writestr(navn, data)
    return buffer.getvalue()


class TestFileShapes:
    def test_zip_with_a_sub_folder_and_macos_leftovers(self):
        innhold = {f"eksport 2026/{navn}": data for navn, data in filer().items()}
        innhold["__MACOSX/eksport 2026/._users.csv"] = b"\x00\x05\x16\x07"
        data = les_skolefil(
            lag_zip(innhold), filnavn="eksport.zip", skole_orgnr=ORGNR, syntetisk_tillatt=True
        )
        assert len(data.elever) == 12

    def test_zip_path(self, tmp_path):
        sti = tmp_path / "eksport.zip"
        sti.write_bytes(lag_zip(filer()))
        data = les_skolefil(sti, filnavn=sti.name, skole_orgnr=ORGNR, syntetisk_tillatt=True)
        assert len(data.elever) == 12

    def test_folder_and_manifest_is_optional(self, tmp_path):
        for navn, innhold in filer().items():
            if navn != "manifest.csv":
                (tmp_path / navn).write_bytes(innhold)
        data = les_skolefil(tmp_path, filnavn="eksport", skole_orgnr=ORGNR, syntetisk_tillatt=True)
        assert len(data.elever) == 12 and len(data.klasser) == 2

    @pytest.mark.parametrize("orgnr", ["974 557 746", "974557746"])
    def test_orgnr_with_or_without_no_prefix_and_spaces(self, orgnr):
        endret = endre(filer(), "orgs.csv", "NO974557746", orgnr)
        assert les(endret, orgnr="974 557 746").skole_kilde_id == "org-fjordvik-skole"

    def test_rows_to_be_deleted_are_absent(self):
        endret = endre(filer(), "users.csv", "stud-12,,,", "stud-12,tobedeleted,,")
        data = les(endret)  # its enrollments and its guardian's reference are simply dropped
        assert len(data.elever) == 11
        assert all(m.person_kilde_id != "stud-12" for m in data.medlemskap)
        assert all(f.kilde_id != "guard-14" for f in data.foresatte)

    def test_subject_code_from_the_course_when_the_class_has_none(self):
        endret = endre(filer(), "classes.csv", "Matematikk,MAT01-05", ",")
        [gruppe] = les(endret).faggrupper
        assert (gruppe.fagkode, gruppe.fagnavn) == ("MAT01-05", "Matematikk 5. trinn")

    def test_without_a_school_year_the_terms_give_it(self):
        endret = endre(
            filer(),
            "academicSessions.csv",
            "as-2026-2027,,,2026/2027,schoolYear",
            "x,tobedeleted,,,schoolYear",
        )
        data = les(endret)
        assert (data.skolear.navn, data.skolear.start, data.skolear.slutt) == (
            "2026/2027",
            datetime.date(2026, 8, 17),
            datetime.date(2027, 6, 18),
        )
        assert len(data.terminer) == 2

    def test_a_mistake_at_another_school_does_not_block_this_one(self):
        endret = endre(filer(), "users.csv", "{Fnr:15831760033}", "{Fnr:15831760034}")
        assert len(les(endret).elever) == 12


class TestRefusals:
    def test_a_bad_fodselsnummer_in_identifier_names_its_line(self):
        assert feil(endre(filer(), "users.csv", ",09861652510,", ",09861652511,")) == [
            f"users.csv, linje {linje('users.csv', 'stud-03')}: Fødselsnummeret 09861652511 er "
            "ugyldig: Kontrollsifrene stemmer ikke. Sjekk at nummeret er skrevet riktig."
        ]

    def test_a_bad_fodselsnummer_in_userids(self):
        [melding] = feil(endre(filer(), "users.csv", "{Fnr:17841651820}", "{FNR:1784165182}"))
        assert melding.startswith(f"users.csv, linje {linje('users.csv', 'stud-02')}: ")
        assert "11 sifre" in melding

    def test_identifier_and_userids_disagree(self):
        [melding] = feil(endre(filer(), "users.csv", "{Fnr:05901653870}", "{Fnr:17841651820}"))
        assert melding == (
            f"users.csv, linje {linje('users.csv', 'stud-05')}: identifier og userIds har "
            "forskjellige fødselsnumre (05901653870, 17841651820)."
        )

    def test_duplicate_fodselsnummer_names_both_lines(self):
        endret = endre(filer(), "users.csv", "{Fnr:17841651820}", "{Fnr:03821651076}")
        assert feil(endret) == [
            f"users.csv, linje {linje('users.csv', 'stud-02')}: Fødselsnummeret 03821651076 "
            f"står også på eleven på linje {linje('users.csv', 'stud-01')}."
        ]

    def test_unknown_class_and_user_in_enrollments(self):
        endret = endre(filer(), "enrollments.csv", "class-5b,", "class-5x,")
        endret = endre(endret, "enrollments.csv", "stud-09,", "stud-99,")
        assert feil(endret) == [
            "enrollments.csv, linje 3: Klassen «class-5x» (classSourcedId) finnes ikke i "
            "classes.csv.",
            f"enrollments.csv, linje {linje('enrollments.csv', 'enr-012')}: Brukeren «stud-99» "
            "(userSourcedId) finnes ikke i users.csv.",
        ]

    def test_unknown_guardian_reference(self):
        endret = endre(filer(), "users.csv", '"guard-01,guard-02"', '"guard-01,guard-77"')
        assert feil(endret) == [
            f"users.csv, linje {linje('users.csv', 'stud-01')}: agentSourcedIds viser til "
            "«guard-77», som ikke finnes i users.csv."
        ]

    def test_missing_column(self):
        endret = filer() | {
            "users.csv": filer()["users.csv"].replace(b",familyName,", b",etternavn,")
        }
        assert feil(endret) == ["users.csv, linje 1: Filen mangler disse kolonnene: familyName."]

    def test_missing_file(self):
        endret = filer()
        del endret["enrollments.csv"]
        assert feil(endret) == [
            "enrollments.csv: Filen mangler. OneRoster-eksporten må ha den med."
        ]

    def test_latin_1(self):
        tekst = filer()["users.csv"].decode()
        endret = filer() | {"users.csv": tekst.encode("latin-1")}
        assert feil(endret) == [
            "users.csv: Filen er ikke lagret som UTF-8. Lagre den som «CSV UTF-8» i Excel og "
            "prøv igjen."
        ]

    def test_delta_manifest(self):
        endret = endre(filer(), "manifest.csv", "file.users,bulk", "file.users,delta")
        assert feil(endret) == [
            f"manifest.csv, linje {linje('manifest.csv', 'file.users')}: Bare fullstendige "
            "(bulk) OneRoster-filer støttes, ikke delta."
        ]

    @pytest.mark.parametrize("grades", ["11", "", "KG", "5A"])
    def test_bad_trinn(self, grades):
        endret = endre(filer(), "classes.csv", "class-5b,,,5B,05,", f"class-5b,,,5B,{grades},")
        assert feil(endret) == [
            f"classes.csv, linje 3: Trinnet «{grades}» (grades) er ugyldig: en klasse må ha "
            "trinn 1–10."
        ]

    def test_school_not_in_orgs(self):
        assert feil(endre(filer(), "orgs.csv", "NO974557746", "NO974557747")) == [
            "orgs.csv: Fant ingen skole med organisasjonsnummer 974557746 i orgs.csv (identifier)."
        ]

    def test_every_problem_in_every_file_is_listed(self):
        endret = endre(filer(), "users.csv", ",09861652510,", ",09861652511,")
        endret = endre(endret, "enrollments.csv", "class-5b,", "class-5x,")
        endret = endre(endret, "classes.csv", "class-5b,,,5B,05,", "class-5b,,,5B,13,")
        meldinger = feil(endret)
        assert [m.split(":")[0] for m in meldinger] == [
            "classes.csv, linje 3",
            "enrollments.csv, linje 3",
            f"users.csv, linje {linje('users.csv', 'stud-03')}",
        ]

    def test_a_synthetic_number_without_the_flag(self):
        with pytest.raises(Importfeil) as exc:
            les_oneroster(filer(), skole_orgnr=ORGNR, syntetisk_tillatt=False)
        assert len(exc.value.feil) == 12 + 4  # every pupil, and the guardians with a number


class TestUploads:
    def test_a_single_oneroster_file_is_refused(self):
        with pytest.raises(Importfeil, match="Last opp hele eksporten"):
            les_skolefil(
                filer()["users.csv"], filnavn="users.csv", skole_orgnr=ORGNR, syntetisk_tillatt=True
            )

    def test_a_broken_zip(self):
        with pytest.raises(Importfeil, match="Zip-filen kan ikke åpnes"):
            les_skolefil(
                b"PK\x03\x04 ikke en zip",
                filnavn="eksport.zip",
                skole_orgnr=ORGNR,
                syntetisk_tillatt=True,
            )

    def test_too_many_files(self):
        innhold = lag_zip({f"f{i}.txt": b"" for i in range(51)})
        with pytest.raises(Importfeil, match="51 filer"):
            les_skolefil(innhold, filnavn="eksport.zip", skole_orgnr=ORGNR, syntetisk_tillatt=True)

    def test_a_member_that_unpacks_too_large_is_named_with_the_limit_per_file(self, monkeypatch):
        monkeypatch.setattr(skolefil, "MAKS_FILSTORRELSE", 2 * MB)
        innhold = lag_zip(filer() | {"users.csv": b"sourcedId\n" + b"x" * 3 * MB})
        with pytest.raises(Importfeil) as avvist:
            les_skolefil(innhold, filnavn="eksport.zip", skole_orgnr=ORGNR, syntetisk_tillatt=True)
        assert str(avvist.value) == (
            "eksport.zip: users.csv blir for stor pakket ut: over 2 MB, som er grensen per fil."
        )

    def test_members_too_large_together_are_refused_with_the_limit_for_all(self, monkeypatch):
        monkeypatch.setattr(skolefil, "MAKS_TOTAL", 5 * MB)
        store = {"users.csv": b"x" * 3 * MB, "enrollments.csv": b"y" * 3 * MB}
        innhold = lag_zip(filer() | store)
        with pytest.raises(Importfeil) as avvist:
            les_skolefil(innhold, filnavn="eksport.zip", skole_orgnr=ORGNR, syntetisk_tillatt=True)
        assert str(avvist.value) == (
            "eksport.zip: OneRoster-filene blir for store pakket ut: over 5 MB til sammen."
        )

    def test_two_exports_in_one_zip(self):
        innhold = {f"a/{n}": d for n, d in filer().items()} | {"b/users.csv": b"x"}
        with pytest.raises(Importfeil, match=r"users\.csv finnes i flere mapper"):
            les_skolefil(
                lag_zip(innhold), filnavn="eksport.zip", skole_orgnr=ORGNR, syntetisk_tillatt=True
            )

    def test_something_else(self):
        with pytest.raises(Importfeil, match="zip-fil med OneRoster-filer eller en CSV-fil"):
            les_skolefil(
                b"%PDF-1.7", filnavn="elever.pdf", skole_orgnr=ORGNR, syntetisk_tillatt=True
            )


def test_sample_numbers_are_synthetic():
    """Every fødselsnummer in the sample set has month + 80: none can be a real person's."""
    data = les()
    numre = [e.fodselsnummer for e in data.elever] + [
        f.fodselsnummer for f in data.foresatte if f.fodselsnummer
    ]
    assert all(int(n[2:4]) > 80 for n in numre)
