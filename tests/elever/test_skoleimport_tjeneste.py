"""Writing an imported roster: update in place, never duplicate, mark leavers, refuse whole."""

import datetime

import pytest

from elever import importdata as d
from elever.models import (
    Adressesperre,
    Elev,
    Foresattrelasjon,
    Klasse,
    Klassemedlemskap,
    Rolle,
    Rolletildeling,
    Skolemedlemskap,
    User,
)
from elever.services import skoledata_importer
from tests.factories import SkolearFactory, SkoleFactory, UserFactory, gi_rolle, syntetisk_fnr

DATO = datetime.date(2026, 9, 1)
K = d.Kilde("users.csv", 2)


def fnr(n: int) -> str:
    return syntetisk_fnr(datetime.date(2015, 3, 1) + datetime.timedelta(days=n))


def skoledata(skole, elever=("a", "b", "c"), klasse_for=None, foresatt_ansvar=True) -> d.Skoledata:
    klasse_for = klasse_for or {}
    data = d.Skoledata(
        format="oneroster",
        skole_orgnr=skole.organisasjonsnummer,
        skole_kilde_id="org-1",
        skolear=d.Periode(
            "sy", "2026-2027", datetime.date(2026, 8, 17), datetime.date(2027, 6, 18)
        ),
        klasser=[d.Klasse("k-5a", "5A", 5, K), d.Klasse("k-5b", "5B", 5, K)],
        faggrupper=[d.Faggruppe("g-mat", "5 Matematikk", "MAT01-05", "Matematikk", K)],
        ansatte=[
            d.Ansatt("t-1", "lærer.lise@skole.example", "Lise", "Lærer", "lise@example.org", K)
        ],
    )
    for kilde_id in elever:
        nummer = fnr(ord(kilde_id) - ord("a"))
        data.elever.append(d.Elev(kilde_id, f"Elev{kilde_id}", "Testesen", K, fodselsnummer=nummer))
        data.medlemskap.append(d.Medlemskap(klasse_for.get(kilde_id, "k-5a"), kilde_id, "elev", K))
        data.medlemskap.append(d.Medlemskap("g-mat", kilde_id, "elev", K))
    data.foresatte.append(d.Foresatt("p-1", "Per", "Testesen", K, telefon="40000001"))
    data.foresattrelasjoner.append(d.Foresattrelasjon(elever[0], "p-1", foresatt_ansvar, K))
    data.medlemskap.append(d.Medlemskap("k-5a", "t-1", "laerer", K))
    data.medlemskap.append(d.Medlemskap("g-mat", "t-1", "laerer", K))
    return data


@pytest.fixture
def skole(db):
    skole = SkoleFactory(kommune__brukernavndomener=["skole.example"])
    SkolearFactory(kommune=skole.kommune)
    return skole


def antall():
    return (
        Elev.objects.count(),
        Klasse.objects.count(),
        Klassemedlemskap.objects.count(),
        Skolemedlemskap.objects.count(),
        Foresattrelasjon.objects.count(),
        Rolletildeling.objects.count(),
    )


def test_importing_twice_gives_the_same_rows(skole):
    forste = skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    assert forste.antall["elever"]["nye"] == 3
    etter_forste = antall()
    andre = skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    assert antall() == etter_forste == (3, 2, 3, 3, 1, 2)
    assert andre.ingen_endringer
    assert andre.antall["elever"]["uendret"] == 3


def test_new_pupils_are_members_from_the_start_of_the_school_year(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    medlemskap = Klassemedlemskap.objects.first()
    assert medlemskap.fra == datetime.date(2026, 8, 1) and medlemskap.til is None


def test_teachers_get_their_roles(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    lise = Rolletildeling.objects.filter(bruker__username="lærer.lise@skole.example")
    assert set(lise.values_list("rolle", flat=True)) == {Rolle.KONTAKTLAERER, Rolle.FAGLAERER}
    assert not lise.first().bruker.has_usable_password()


def test_a_pupil_missing_from_a_new_file_has_left_and_is_kept(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    resultat = skoledata_importer(
        skole=skole, data=skoledata(skole, elever=("a", "b")), dato=datetime.date(2026, 10, 1)
    )
    assert resultat.antall["elever"]["sluttet"] == 1
    elev = Elev.objects.get(fornavn="Elevc")
    assert elev.skolemedlemskap.get().til == datetime.date(2026, 9, 30)
    assert elev.klassemedlemskap.get().til == datetime.date(2026, 9, 30)
    assert elev.faggruppemedlemskap.get().til == datetime.date(2026, 9, 30)


def test_moving_class_keeps_the_history(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    resultat = skoledata_importer(
        skole=skole,
        data=skoledata(skole, klasse_for={"b": "k-5b"}),
        dato=datetime.date(2026, 10, 1),
    )
    elev = Elev.objects.get(fornavn="Elevb")
    assert list(
        elev.klassemedlemskap.order_by("fra").values_list("klasse__navn", "fra", "til")
    ) == [
        ("5A", datetime.date(2026, 8, 1), datetime.date(2026, 9, 30)),
        ("5B", datetime.date(2026, 10, 1), None),
    ]
    assert resultat.klassebytter == ["Elevb Testesen: 5A → 5B"]


def test_moving_school_ends_the_old_enrolment(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    ny_skole = SkoleFactory(kommune=skole.kommune)
    data = skoledata(ny_skole, elever=("x",))
    data.elever[0].fodselsnummer = fnr(0)  # the same child as "a" at the first school
    skoledata_importer(skole=ny_skole, data=data, dato=datetime.date(2026, 10, 1))
    elev = Elev.objects.get(fodselsnummer=fnr(0))
    assert list(elev.skolemedlemskap.order_by("fra").values_list("skole", "til")) == [
        (skole.pk, datetime.date(2026, 9, 30)),
        (ny_skole.pk, None),
    ]
    assert elev.klassemedlemskap.filter(til__isnull=True).get().klasse.skole == ny_skole
    assert Elev.objects.count() == 3


def test_a_changed_fodselsnummer_for_the_same_source_id_is_refused_whole(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    for_ = antall()
    data = skoledata(skole, elever=("a", "b", "c", "d"))
    data.elever[0].fodselsnummer = fnr(50)
    with pytest.raises(d.Importfeil) as feil:
        skoledata_importer(skole=skole, data=data, dato=DATO)
    assert "users.csv, linje 2" in str(feil.value)
    assert antall() == for_


def test_a_flag_set_by_hand_is_kept_when_the_file_says_nothing(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    Elev.objects.filter(fornavn="Eleva").update(adressesperre=Adressesperre.FORTROLIG)
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    assert Elev.objects.get(fornavn="Eleva").adressesperre == Adressesperre.FORTROLIG


def test_losing_parental_responsibility_also_stops_documents(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    relasjon = Foresattrelasjon.objects.get()
    assert relasjon.foreldreansvar and relasjon.kan_motta_dokumenter
    skoledata_importer(skole=skole, data=skoledata(skole, foresatt_ansvar=False), dato=DATO)
    relasjon.refresh_from_db()
    assert not relasjon.foreldreansvar and not relasjon.kan_motta_dokumenter


def test_preview_writes_nothing(skole):
    resultat = skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO, forhandsvis=True)
    assert resultat.antall["elever"]["nye"] == 3
    assert antall() == (0, 0, 0, 0, 0, 0)


def test_a_file_for_another_school_is_refused(skole):
    annen = SkoleFactory(kommune=skole.kommune)
    with pytest.raises(d.Importfeil, match="annen skole"):
        skoledata_importer(skole=skole, data=skoledata(annen), dato=DATO)


def test_a_school_year_the_kommune_lacks_is_refused_without_one_in_the_file(db):
    skole = SkoleFactory()
    data = skoledata(skole)
    data.skolear = None
    with pytest.raises(d.Importfeil, match="skoleruten"):
        skoledata_importer(skole=skole, data=data, dato=DATO)
    assert antall() == (0, 0, 0, 0, 0, 0)


def test_the_simple_csv_leaves_teaching_groups_and_teachers_alone(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    enkel = skoledata(skole)
    enkel.format, enkel.faggrupper, enkel.ansatte = "enkel", [], []
    enkel.medlemskap = [
        m for m in enkel.medlemskap if m.rolle == "elev" and m.gruppe_kilde_id != "g-mat"
    ]
    skoledata_importer(skole=skole, data=enkel, dato=datetime.date(2026, 10, 1))
    assert Rolletildeling.objects.count() == 2
    assert not Elev.objects.filter(faggruppemedlemskap__til__isnull=False).exists()


def test_a_pupil_arriving_later_is_a_member_from_the_import_date(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    skoledata_importer(
        skole=skole,
        data=skoledata(skole, elever=("a", "b", "c", "d")),
        dato=datetime.date(2027, 1, 11),
    )
    ny = Elev.objects.get(fornavn="Elevd")
    assert ny.skolemedlemskap.get().fra == datetime.date(2027, 1, 11)
    assert ny.klassemedlemskap.get().fra == datetime.date(2027, 1, 11)


def importfeil(skole, brukernavn: str) -> str:
    """The import's refusal of a file whose teacher has ``brukernavn``, with the name
    itself taken out."""
    data = skoledata(skole)
    data.ansatte[0].brukernavn = brukernavn
    with pytest.raises(d.Importfeil) as feil:
        skoledata_importer(skole=skole, data=data, dato=DATO)
    assert not Elev.objects.exists()
    return str(feil.value).replace(brukernavn, "NAVN")


def test_a_teacher_name_outside_the_kommunes_domain_gets_one_answer_held_elsewhere_or_not(skole):
    annen = SkoleFactory(kommune__brukernavndomener=["annen.example"])
    utenfor = UserFactory(
        username="lise@annen.example", email="lise@annen.example", kommune=annen.kommune
    )
    gi_rolle(utenfor, Rolle.REKTOR, annen)

    svar = {
        navn: importfeil(skole, navn)
        for navn in ("lise@annen.example", "ingen@annen.example", "lise", "lise@skole.example.org")
    }

    assert len(set(svar.values())) == 1, svar
    assert svar["lise"] == (
        "users.csv, linje 2: Brukernavnet NAVN kan ikke brukes for en ansatt i Nærvær. "
        "Brukernavnet må slutte på @skole.example."
    )
    utenfor.refresh_from_db()
    assert utenfor.email == "lise@annen.example" and utenfor.rolletildelinger.count() == 1
    assert utenfor.kommune == annen.kommune


@pytest.mark.parametrize("drift", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_an_import_never_takes_over_an_operator_or_staff_account(skole, drift):
    """Even one placed in the kommune, with a name in its domain: refused like any name
    that cannot be used, and left as it was."""
    konto = UserFactory(
        username="marte@skole.example",
        kommune=skole.kommune,
        email="drift@operator.example",
        **drift,
    )
    assert importfeil(skole, "marte@skole.example") == importfeil(skole, "lise@annen.example")
    konto.refresh_from_db()
    assert (konto.first_name, konto.email) == ("Ola", "drift@operator.example")
    assert not konto.rolletildelinger.exists()


def test_a_teacher_is_found_whatever_the_case_of_the_name(skole):
    lise = UserFactory(username="Lærer.Lise@Skole.Example", kommune=skole.kommune)
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    lise.refresh_from_db()
    assert lise.first_name == "Lise" and lise.rolletildelinger.count() == 2
    assert User.objects.filter(kommune=skole.kommune).count() == 1


def test_a_kommune_without_a_domain_is_told_to_have_the_operator_set_it(db):
    skole = SkoleFactory()
    SkolearFactory(kommune=skole.kommune)
    with pytest.raises(d.Importfeil) as feil:
        skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    assert "Driftsansvarlig må legge inn kommunens domene" in str(feil.value)
    assert not User.objects.exists()


def test_a_pupil_moving_school_leaves_the_old_class_and_groups(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    ny_skole = SkoleFactory(kommune=skole.kommune)
    data = skoledata(ny_skole, elever=("x",))
    data.elever[0].fodselsnummer = fnr(0)
    data.medlemskap = [
        m for m in data.medlemskap if m.rolle == "elev" and m.gruppe_kilde_id != "k-5a"
    ]
    skoledata_importer(skole=ny_skole, data=data, dato=datetime.date(2026, 10, 1))
    elev = Elev.objects.get(fodselsnummer=fnr(0))
    assert not elev.klassemedlemskap.filter(til__isnull=True, klasse__skole=skole).exists()
    assert not elev.faggruppemedlemskap.filter(til__isnull=True, faggruppe__skole=skole).exists()


def test_a_first_import_starts_after_an_earlier_school_this_year(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    skoledata_importer(
        skole=skole, data=skoledata(skole, elever=("b", "c")), dato=datetime.date(2026, 10, 1)
    )
    ny_skole = SkoleFactory(kommune=skole.kommune)
    data = skoledata(ny_skole, elever=("x",))
    data.elever[0].fodselsnummer = fnr(0)  # "a", who left the first school on 30.09
    skoledata_importer(skole=ny_skole, data=data, dato=datetime.date(2026, 11, 2))
    elev = Elev.objects.get(fodselsnummer=fnr(0))
    assert elev.skolemedlemskap.get(skole=ny_skole).fra == datetime.date(2026, 10, 1)


def test_roles_given_by_hand_and_a_file_without_teachers_keep_roles(skole):
    from tests.factories import UserFactory, gi_rolle

    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    klasse_5b = Klasse.objects.get(navn="5B")
    for_haand = gi_rolle(UserFactory(username="vikar"), Rolle.KONTAKTLAERER, klasse_5b)
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    assert Rolletildeling.objects.filter(pk=for_haand.pk).exists()
    uten_laerere = skoledata(skole)
    uten_laerere.medlemskap = [m for m in uten_laerere.medlemskap if m.rolle == "elev"]
    skoledata_importer(skole=skole, data=uten_laerere, dato=DATO)
    assert Rolletildeling.objects.count() == 3


def test_a_file_without_guardians_keeps_the_guardian_links(skole):
    skoledata_importer(skole=skole, data=skoledata(skole), dato=DATO)
    uten = skoledata(skole)
    uten.foresatte, uten.foresattrelasjoner = [], []
    skoledata_importer(skole=skole, data=uten, dato=DATO)
    assert Foresattrelasjon.objects.count() == 1
