"""manage.py seed_demo: the fictional demo kommune, built once for this module."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from stdnum.no import orgnr

from elever import demodata, fodselsnummer, kalender, selectors, tilgang
from elever.kalender import Skolerute, Unntak
from elever.leselogg import Lesing
from elever.models import (
    Elev,
    Faggruppe,
    Faggruppemedlemskap,
    Foresatt,
    Foresattrelasjon,
    Klasse,
    Klassemedlemskap,
    Kommune,
    Rolle,
    Rolletildeling,
    Skole,
    Skolear,
    Skolemedlemskap,
    Skoletime,
    User,
)

PASSORD = "naervaer-demo"
NAVNGITTE = ("admin", "skolekontor", "rektor", "ressurs", "kontakt", "fag")


def _slett_demo():
    with transaction.atomic():
        demodata.slett()
        User.objects.filter(username__in=NAVNGITTE).delete()


@pytest.fixture(scope="module")
def utskrift(django_db_setup, django_db_blocker):
    """The default demo (2 schools, seed 1), committed once for the module's tests (each
    test's own changes roll back) and deleted afterwards."""
    out = io.StringIO()
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        _slett_demo()


@pytest.fixture
def kommune(utskrift, db):
    return Kommune.objects.get(kommunenummer="9901")


def _bruker(username: str) -> User:
    return User.objects.get(username=username)  # fresh: roles are cached per user object


def _skoler(kommune) -> list[Skole]:
    return list(kommune.skoler.order_by("pk"))


def _antall() -> dict[str, int]:
    return {
        modell.__name__: modell.objects.count()
        for modell in (
            Kommune,
            Skole,
            Skolear,
            Klasse,
            Faggruppe,
            Elev,
            Foresatt,
            Foresattrelasjon,
            Skolemedlemskap,
            Klassemedlemskap,
            Faggruppemedlemskap,
            Rolletildeling,
            Skoletime,
            User,
        )
    }


# --- Structure ---------------------------------------------------------------------------


def test_kommune_and_schools_are_fictional_with_valid_organisation_numbers(kommune):
    assert kommune.navn == "Fjordvik kommune"
    skoler = _skoler(kommune)
    assert [s.navn for s in skoler] == ["Fjordvik skole", "Nordli skole"]
    for nummer in [kommune.organisasjonsnummer, *(s.organisasjonsnummer for s in skoler)]:
        assert orgnr.is_valid(nummer) and nummer.startswith("9")


def test_classes_on_every_trinn_with_22_to_28_pupils(kommune):
    skolear = selectors.skolear_for(kommune, timezone.localdate())
    for skole in _skoler(kommune):
        klasser = list(skole.klasser.annotate(n=Count("medlemskap")))
        assert all(k.skolear == skolear for k in klasser)
        per_trinn = Counter(k.trinn for k in klasser)
        assert sorted(per_trinn) == list(range(1, 11))
        assert set(per_trinn.values()) <= {1, 2}
        assert {k.navn for k in klasser} == {
            f"{t}{b}" for t, n in per_trinn.items() for b in "AB"[:n]
        }
        assert all(22 <= k.n <= 28 for k in klasser), [(k.navn, k.n) for k in klasser]
    elever = Elev.objects.filter(skolemedlemskap__skole__kommune=kommune)
    for medlemskap in (
        Skolemedlemskap.objects.filter(elev__in=elever),
        Klassemedlemskap.objects.filter(elev__in=elever),
    ):
        assert medlemskap.count() == elever.count()
        assert set(medlemskap.values_list("fra", "til")) == {(skolear.start, None)}


def test_pupils_have_synthetic_valid_unique_fodselsnumre_matching_trinn(kommune):
    startaar = kalender.startaar(timezone.localdate())
    elever = Elev.objects.filter(skolemedlemskap__skole__kommune=kommune).values_list(
        "fodselsnummer", "fodselsdato", "klassemedlemskap__klasse__trinn"
    )
    assert len({fnr for fnr, _, _ in elever}) == len(elever) > 0
    for fnr, fodselsdato, trinn in elever:
        assert fodselsnummer.valider(fnr, syntetisk_tillatt=True) == fnr
        assert int(fnr[2:4]) > 80  # Skatteetaten's synthetic series, never a real person
        with pytest.raises(fodselsnummer.UgyldigFodselsnummer):
            fodselsnummer.valider(fnr)
        assert fodselsnummer.fodselsdato(fnr, i_dag=timezone.localdate()) == fodselsdato
        assert fodselsdato.year == startaar - 5 - trinn  # trinn 1: the year they turn 6
    for fnr in Foresatt.objects.values_list("fodselsnummer", flat=True):
        assert fodselsnummer.valider(fnr, syntetisk_tillatt=True) == fnr


def test_protected_addresses_are_rare_and_never_stored(kommune):
    elever = Elev.objects.filter(skolemedlemskap__skole__kommune=kommune)
    sperre = Counter(elever.values_list("adressesperre", flat=True))
    assert sperre["fortrolig"] >= 1 and sperre["strengt_fortrolig"] >= 1
    assert sperre["fortrolig"] + sperre["strengt_fortrolig"] <= elever.count() / 25
    assert not elever.exclude(adressesperre="").exclude(gateadresse="", postnummer="").exists()
    assert not elever.filter(adressesperre="", gateadresse="").exists()
    for relasjon in Foresattrelasjon.objects.filter(elev__adressesperre__gt=""):
        if relasjon.foreldreansvar:
            assert relasjon.foresatt.gateadresse == ""  # would give the pupil away
    i_5a = elever.filter(
        klassemedlemskap__klasse__navn="5A", klassemedlemskap__klasse__skole__navn="Fjordvik skole"
    )
    assert i_5a.filter(adressesperre="fortrolig").exists()  # for the kontaktlærer to see


def test_guardians(kommune):
    elever = Elev.objects.filter(skolemedlemskap__skole__kommune=kommune)
    relasjoner = Foresattrelasjon.objects.filter(elev__in=elever)
    assert not relasjoner.filter(foreldreansvar=False, kan_motta_dokumenter=True).exists()
    assert not relasjoner.filter(foreldreansvar=True, kan_motta_dokumenter=False).exists()
    med_ansvar = Counter(
        elever.filter(foresattrelasjoner__foreldreansvar=True)
        .annotate(n=Count("foresattrelasjoner"))
        .values_list("n", flat=True)
    )
    assert set(med_ansvar) == {1, 2}
    assert sum(med_ansvar.values()) == elever.count()  # everyone has someone responsible
    assert med_ansvar[2] > 0.6 * elever.count()
    assert 0.05 * elever.count() < med_ansvar[1] < 0.35 * elever.count()
    uten_ansvar = relasjoner.filter(foreldreansvar=False).count()
    assert 0.05 * elever.count() < uten_ansvar < 0.3 * elever.count()
    delte = Foresatt.objects.annotate(n=Count("relasjoner")).filter(n__gte=2)
    assert delte.exists()  # siblings share guardians
    for telefon, epost in Foresatt.objects.values_list("telefon", "epost"):
        assert re.fullmatch(r"[49]\d{7}", telefon)
        assert epost.split("@")[1] in {"example.org", "example.net", "epost.example"}


def test_staff_roles(kommune):
    roller = Rolletildeling.objects
    assert roller.filter(kommune=kommune, rolle=Rolle.ADMINISTRATOR).count() == 1
    assert roller.filter(kommune=kommune, rolle=Rolle.SKOLEKONTOR).count() == 1
    for skole in _skoler(kommune):
        assert roller.filter(skole=skole, rolle=Rolle.REKTOR).count() == 2
        assert roller.filter(skole=skole, rolle=Rolle.RESSURSTEAM).count() == 2
        for klasse in skole.klasser.all():
            assert klasse.rolletildelinger.filter(rolle=Rolle.KONTAKTLAERER).count() == 1
        for gruppe in skole.faggrupper.all():
            assert gruppe.rolletildelinger.filter(rolle=Rolle.FAGLAERER).count() == 1
            assert re.fullmatch(r"[A-Z]{3}\d\d-\d\d", gruppe.fagkode)
    ansatte = User.objects.filter(rolletildelinger__kommune=kommune) | User.objects.filter(
        rolletildelinger__skole__kommune=kommune
    )
    for bruker in ansatte.distinct():
        assert bruker.first_name and bruker.last_name and bruker.email
        assert bruker.check_password(PASSORD)


def test_language_choice_on_8_to_10(kommune):
    for klasse in Klasse.objects.filter(skole__kommune=kommune, trinn__gte=8):
        spraak = Faggruppe.objects.filter(skole=klasse.skole, navn__startswith=f"{klasse.navn} ")
        spansk, tysk = spraak.get(fagnavn="Spansk"), spraak.get(fagnavn="Tysk")
        elever = set(klasse.medlemskap.values_list("elev", flat=True))
        i_spansk = set(spansk.medlemskap.values_list("elev", flat=True))
        i_tysk = set(tysk.medlemskap.values_list("elev", flat=True))
        assert i_spansk | i_tysk == elever and not i_spansk & i_tysk
        # Both taught in the same lessons, each by its own teacher.
        timer = Counter((t.ukedag, t.nummer) for t in klasse.timeplan.filter(faggruppe=spansk))
        assert timer and timer == Counter(
            (t.ukedag, t.nummer) for t in klasse.timeplan.filter(faggruppe=tysk)
        )


def test_timetable(kommune):
    for klasse in Klasse.objects.filter(skole__kommune=kommune).prefetch_related(
        "rolletildelinger", "timeplan__faggruppe__rolletildelinger"
    ):
        kontaktlaerer = klasse.rolletildelinger.get(rolle=Rolle.KONTAKTLAERER).bruker_id
        timer = list(klasse.timeplan.all())
        per_dag = Counter(t.ukedag for t in {(t.ukedag, t.nummer): t for t in timer}.values())
        assert sorted(per_dag) == [1, 2, 3, 4, 5]
        assert set(per_dag.values()) <= {5, 6}
        assert min(t.start for t in timer) == datetime.time(8, 30)
        for t in timer:
            assert t.fagkode and t.fagnavn and t.start < t.slutt
            varighet = datetime.datetime.combine(datetime.date.min, t.slutt) - (
                datetime.datetime.combine(datetime.date.min, t.start)
            )
            assert datetime.timedelta(minutes=45) <= varighet <= datetime.timedelta(minutes=60)
            if t.faggruppe is None:
                assert t.laerer_id == kontaktlaerer
            else:
                faglaerer = t.faggruppe.rolletildelinger.get(rolle=Rolle.FAGLAERER).bruker_id
                assert t.laerer_id == faglaerer and t.fagkode == t.faggruppe.fagkode
    dobbeltbooket = (
        Skoletime.objects.filter(klasse__skole__kommune=kommune)
        .values("ukedag", "nummer", "laerer")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not dobbeltbooket.exists()


# --- Calendar ----------------------------------------------------------------------------


def test_this_school_year_has_about_190_school_days(kommune):
    i_dag = timezone.localdate()
    skolear = selectors.skolear_for(kommune, i_dag)
    assert skolear.start <= i_dag <= skolear.slutt
    assert skolear.forste_skoledag.month == 8 and skolear.forste_skoledag.weekday() <= 1
    assert 15 <= skolear.forste_skoledag.day <= 21
    assert skolear.siste_skoledag.month == 6 and 18 <= skolear.siste_skoledag.day <= 20
    assert {t.navn for t in skolear.terminer.all()} == {"host", "var"}
    navn = set(kommune.skoleruteunntak.values_list("navn", flat=True))
    assert {"Høstferie", "Juleferie", "Vinterferie", "Påskeferie", "Planleggingsdag"} <= navn
    for skole in _skoler(kommune):
        dager = selectors.skoledager(skole, skolear.forste_skoledag, skolear.siste_skoledag)
        assert 185 <= len(dager) <= 195
        assert dager[0] == skolear.forste_skoledag and dager[-1] == skolear.siste_skoledag


@pytest.mark.parametrize("startaar", range(2024, 2045))
def test_calendar_rule_gives_185_to_195_school_days_every_year(startaar):
    plan = demodata.skoleruteplan(startaar)
    rute = Skolerute(
        forste_skoledag=plan.forste_skoledag,
        siste_skoledag=plan.siste_skoledag,
        unntak=[Unntak(u.fra, u.til, u.navn) for u in plan.unntak],
    )
    assert 185 <= rute.antall_skoledager(plan.forste_skoledag, plan.siste_skoledag) <= 195
    hostferie = next(u for u in plan.unntak if u.navn == "Høstferie")
    assert hostferie.fra.isocalendar()[1] == 40 and hostferie.fra.weekday() == 0
    jul = next(u for u in plan.unntak if u.navn == "Juleferie")
    etter = jul.til + datetime.timedelta(days=1)
    assert etter.weekday() < 5 and etter.month == 1 and etter.day <= 5
    assert any(u.navn == "Planleggingsdag" and u.fra == etter for u in plan.unntak)


# --- Logins and what they see ------------------------------------------------------------


def test_named_logins_print_and_log_in(utskrift, kommune, client):
    assert PASSORD in utskrift
    for username in NAVNGITTE:
        assert re.search(rf"^  {username} ", utskrift, re.MULTILINE)
        assert (
            client.post("/logg-inn/", {"username": username, "password": PASSORD}).status_code
            == 302
        )
        client.logout()
    admin = _bruker("admin")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.filter(is_superuser=True).exclude(username="admin").exists()


def _roller(username: str) -> set[tuple[str, str]]:
    return {(t.rolle, str(t.omfang)) for t in _bruker(username).rolletildelinger.all()}


def test_named_logins_have_their_roles(kommune):
    assert _roller("admin") == {(Rolle.ADMINISTRATOR, "Fjordvik kommune")}
    assert _roller("skolekontor") == {(Rolle.SKOLEKONTOR, "Fjordvik kommune")}
    assert _roller("rektor") == {(Rolle.REKTOR, "Fjordvik skole")}
    assert _roller("ressurs") == {(Rolle.RESSURSTEAM, "Fjordvik skole")}
    assert (Rolle.KONTAKTLAERER, "5A") in _roller("kontakt")
    assert {r for r, _ in _roller("kontakt")} == {Rolle.KONTAKTLAERER, Rolle.FAGLAERER}
    assert _roller("fag") == {(Rolle.FAGLAERER, "8A Matematikk")}


def _ser(username: str) -> set[int]:
    return set(tilgang.elever(_bruker(username)).values_list("pk", flat=True))


def test_each_login_sees_exactly_what_its_role_may(kommune):
    forste, andre = _skoler(kommune)

    def pa(skole) -> set[int]:
        return set(Elev.objects.filter(skolemedlemskap__skole=skole).values_list("pk", flat=True))

    alle = pa(forste) | pa(andre)
    klasse_5a = Klasse.objects.get(skole=forste, navn="5A")
    i_5a = set(selectors.klasseliste(klasse_5a, timezone.localdate()).values_list("pk", flat=True))
    gruppe = Faggruppe.objects.get(skole=forste, navn="8A Matematikk")
    i_gruppen = set(gruppe.medlemskap.values_list("elev", flat=True))

    assert _ser("admin") == alle
    assert _ser("skolekontor") == set()
    assert _ser("rektor") == _ser("ressurs") == pa(forste)
    assert not _ser("rektor") & pa(andre)
    assert _ser("kontakt") == i_5a and 22 <= len(i_5a) <= 28
    i_8a = Klassemedlemskap.objects.filter(klasse__skole=forste, klasse__navn="8A")
    assert _ser("fag") == i_gruppen and i_gruppen <= set(i_8a.values_list("elev", flat=True))
    assert tilgang.klasser(_bruker("fag")).count() == 0
    assert not tilgang.kan(_bruker("fag"), "se_foresatte", Elev.objects.get(pk=min(i_gruppen)))
    elev_i_5a = Elev.objects.get(pk=min(i_5a))
    assert tilgang.kan(_bruker("kontakt"), "se_foresatte", elev_i_5a)
    assert tilgang.kan(_bruker("rektor"), "se_fodselsnummer", elev_i_5a)
    assert not tilgang.kan(_bruker("ressurs"), "se_fodselsnummer", elev_i_5a)
    sperret = Elev.objects.filter(pk__in=i_5a).exclude(adressesperre="").first()
    assert not tilgang.kan(_bruker("admin"), "se_adresse", sperret)


def test_nobody_outside_sees_the_demo_pupils(kommune):
    annen = Kommune.objects.create(
        navn="Annen kommune", kommunenummer="9902", organisasjonsnummer="100000001"
    )
    skole = Skole.objects.create(kommune=annen, navn="Annen skole", organisasjonsnummer="100000002")
    rektor = User.objects.create_user("annen-rektor", kommune=annen)
    Rolletildeling.objects.create(bruker=rektor, rolle=Rolle.REKTOR, skole=skole)
    admin = User.objects.create_user("annen-admin", kommune=annen)
    Rolletildeling.objects.create(bruker=admin, rolle=Rolle.ADMINISTRATOR, kommune=annen)
    uten_rolle = User.objects.create_user("uten-rolle")
    drift = User.objects.create_superuser("drift")
    for bruker in (rektor, admin, uten_rolle, drift):
        assert not tilgang.elever(bruker).exists()


# --- Running it again --------------------------------------------------------------------


def test_the_demo_staff_have_usernames_in_the_demo_kommunes_domain(kommune, client):
    """As Feide names them; the named logins stay short to type."""
    assert list(kommune.brukernavndomener.values_list("domene", flat=True)) == [
        "fjordvik.kommune.example"
    ]
    ansatte = User.objects.filter(kommune=kommune).exclude(username__in=NAVNGITTE)
    assert ansatte.exists()
    assert all(
        navn.endswith("@fjordvik.kommune.example")
        for navn in ansatte.values_list("username", flat=True)
    )
    laerer = ansatte.earliest("pk")
    assert laerer.email == laerer.username
    svar = client.post("/logg-inn/", {"username": laerer.username.upper(), "password": PASSORD})
    assert svar.status_code == 302


def test_second_run_changes_nothing_and_resets_the_passwords(kommune, client):
    annen = (
        User.objects.filter(email__endswith="@fjordvik.kommune.example")
        .exclude(username__in=NAVNGITTE)
        .earliest("pk")
    )
    User.objects.filter(username__in=["kontakt", annen.username]).update(password="!")
    foer = _antall()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert _antall() == foer
    assert out.getvalue().startswith("Fant Fjordvik kommune")
    assert re.search(r"^  kontakt ", out.getvalue(), re.MULTILINE)
    assert (
        client.post("/logg-inn/", {"username": "kontakt", "password": PASSORD}).status_code == 302
    )
    assert _bruker(annen.username).check_password(PASSORD)


def test_other_options_are_refused_without_nullstill(kommune):
    foer = _antall()
    with pytest.raises(CommandError, match=r"annen --seed enn 2.*--nullstill"):
        call_command("seed_demo", "--seed", "2", stdout=io.StringIO())
    with pytest.raises(CommandError, match=r"2 skoler, ikke 3.*--nullstill"):
        call_command("seed_demo", "--skoler", "3", stdout=io.StringIO())
    with pytest.raises(CommandError, match="fra 1 til 12"):
        call_command("seed_demo", "--skoler", "0", "--nullstill", stdout=io.StringIO())
    assert _antall() == foer


def _innhold() -> dict[str, list]:
    return {
        "kommune": list(Kommune.objects.values_list("navn", "organisasjonsnummer")),
        "skoler": list(Skole.objects.order_by("pk").values_list("navn", "organisasjonsnummer")),
        "klasser": list(Klasse.objects.order_by("pk").values_list("skole__navn", "navn")),
        "elever": list(
            Elev.objects.order_by("pk").values_list(
                "fornavn", "etternavn", "fodselsnummer", "fodselsdato", "adressesperre",
                "gateadresse", "klassemedlemskap__klasse__navn",
            )
        ),
        "foresatte": list(
            Foresatt.objects.order_by("pk").values_list(
                "fornavn", "etternavn", "fodselsnummer", "telefon", "epost", "gateadresse"
            )
        ),
        "relasjoner": list(
            Foresattrelasjon.objects.order_by("pk").values_list(
                "elev__fodselsnummer", "foresatt__fodselsnummer", "foreldreansvar"
            )
        ),
        "ansatte": list(
            User.objects.order_by("username").values_list("username", "first_name", "last_name")
        ),
        "roller": sorted(
            Rolletildeling.objects.values_list(
                "bruker__username", "rolle", "skole__navn", "klasse__navn", "faggruppe__navn"
            ),
            key=str,
        ),
        "timer": list(
            Skoletime.objects.order_by("pk").values_list(
                "klasse__navn", "ukedag", "nummer", "fagkode", "fagnavn", "laerer__username"
            )
        ),
    }  # fmt: skip


def test_nullstill_rebuilds_the_same_demo_for_the_same_seed(kommune):
    standard = _innhold()
    call_command("seed_demo", "--skoler", "1", "--seed", "7", "--nullstill", stdout=io.StringIO())
    forste = _innhold()
    call_command("seed_demo", "--skoler", "1", "--seed", "7", "--nullstill", stdout=io.StringIO())
    assert _innhold() == forste  # same names, numbers and structure, nothing left over
    assert len(forste["skoler"]) == 1 and len(forste["elever"]) >= 10 * 22
    assert forste["elever"] != standard["elever"][: len(forste["elever"])]  # seed 1 differs


def _en_laerer_leser_en_elev(client) -> tuple[User, list]:
    """An unnamed demo kontaktlærer opens a pupil's page, which logs the guardians' contact
    data it shows; the teacher, and the read log's rows."""
    klasse = Klasse.objects.get(skole__navn="Nordli skole", navn="5A")
    laerer = klasse.rolletildelinger.get(rolle=Rolle.KONTAKTLAERER).bruker
    assert laerer.username not in NAVNGITTE
    elev = selectors.klasseliste(klasse, timezone.localdate()).first()
    client.force_login(laerer)
    assert client.get(reverse("elever:elev", args=[elev.pk])).status_code == 200
    lest = list(Lesing.objects.filter(bruker=laerer).values_list("pk", "hva", "objekt_id"))
    assert lest
    return laerer, lest


def test_nullstill_keeps_the_read_log_and_deactivates_the_teacher_it_names(kommune, client):
    laerer, lest = _en_laerer_leser_en_elev(client)
    call_command("seed_demo", "--skoler", "1", "--seed", "7", "--nullstill", stdout=io.StringIO())
    assert list(Lesing.objects.values_list("pk", "hva", "objekt_id")) == lest  # intact
    beholdt = User.objects.get(pk=laerer.pk)
    assert beholdt.username == laerer.username  # the log still says who read
    assert not beholdt.is_active  # (it stays in the demo kommune, whose domain names it)
    assert not beholdt.rolletildelinger.exists()
    assert client.get("/").status_code == 302  # logged out
    assert (
        client.post("/logg-inn/", {"username": laerer.username, "password": PASSORD}).status_code
        == 200
    )  # refused
    assert demodata.antall(Kommune.objects.get(kommunenummer="9901"))["ansatte"] == (
        User.objects.filter(kommune__kommunenummer="9901").count()
    )
    valg = ["--skoler", "1", "--seed", "7"]
    call_command("seed_demo", *valg, stdout=io.StringIO(), stderr=io.StringIO())  # passwords
    assert not User.objects.get(pk=laerer.pk).is_active


def test_nullstill_with_the_same_seed_gives_the_teacher_the_read_log_names_back(kommune, client):
    for_ = _innhold()
    laerer, lest = _en_laerer_leser_en_elev(client)
    roller = _roller(laerer.username)
    call_command("seed_demo", "--nullstill", stdout=io.StringIO())
    assert _innhold() == for_  # the same usernames too: the account is taken up again
    assert list(Lesing.objects.values_list("pk", "hva", "objekt_id")) == lest
    igjen = User.objects.get(username=laerer.username)
    assert igjen.pk == laerer.pk and igjen.is_active and igjen.check_password(PASSORD)
    assert (Rolle.KONTAKTLAERER, "5A") in roller and _roller(laerer.username) == roller
    assert client.get("/").status_code == 302  # the old session ended all the same


def test_seed_demo_refuses_in_production(settings, db):
    settings.NAERVAER_ENV = "production"
    foer = _antall()
    with pytest.raises(CommandError, match="ikke i produksjon"):
        call_command("seed_demo", "--nullstill")
    assert _antall() == foer
