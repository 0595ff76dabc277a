"""Each kommune is its own data controller (DESIGN §10). Two kommuner; everyone acting for
the first — through every import path, every page and the admin — reads, changes and learns
nothing of the second's pupils, guardians and staff, previews included."""

import csv
import datetime
import re
import shutil
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import URLResolver, get_resolver, reverse

from elever import tilgang
from elever.models import (
    Adressesperre,
    Brukernavndomene,
    Elev,
    Faggruppe,
    Foresatt,
    Foresattrelasjon,
    Klasse,
    Klassemedlemskap,
    Rolle,
    Rolletildeling,
    Skole,
    Skoleimport,
    Skolemedlemskap,
    Skoleruteunntak,
    Skoletime,
    User,
)
from fravaer.models import Fravaer, Fravaeropplasting, Permisjonsarsak, Permisjonssoknad
from tests.factories import (
    KlasseFactory,
    KommuneFactory,
    SkolearFactory,
    SkoleFactory,
    gi_rolle,
    syntetisk_fnr,
)
from tests.factories import UserFactory as Bruker

DATA = Path(__file__).resolve().parents[1] / "data"
NABO_ORGNR = "974557746"  # the school of the OneRoster sample
AKSEL = "03821651076"  # a pupil of the sample, with guardians who have numbers
UKJENT = syntetisk_fnr(datetime.date(2016, 5, 5))  # a number no pupil has
ROLLER = {
    "admin": Rolle.ADMINISTRATOR,
    "skolekontor": Rolle.SKOLEKONTOR,
    "rektor": Rolle.REKTOR,
    "ressurs": Rolle.RESSURSTEAM,
    "kontakt": Rolle.KONTAKTLAERER,
    "fag": Rolle.FAGLAERER,
}


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def nabo(db):
    """The other kommune, filled by its own OneRoster import; one pupil protected, leave
    applied for and an upload waiting."""
    kommune = KommuneFactory(
        navn="Nabo kommune", organisasjonsnummer="940800013", brukernavndomener=["fjordvik.example"]
    )
    skole = SkoleFactory(kommune=kommune, navn="Nabo skole", organisasjonsnummer=NABO_ORGNR)
    call_command("import_oneroster", str(DATA / "oneroster"), "--skole", NABO_ORGNR)
    Elev.objects.filter(fodselsnummer=AKSEL).update(adressesperre=Adressesperre.FORTROLIG)
    aksel = Elev.objects.get(fodselsnummer=AKSEL)
    admin = Bruker(username="nabo.admin")
    gi_rolle(admin, Rolle.ADMINISTRATOR, kommune)
    soknad = Permisjonssoknad.objects.create(
        elev=aksel,
        fra=datetime.date(2026, 9, 10),
        til=datetime.date(2026, 9, 10),
        arsak=Permisjonsarsak.REISE,
        skoledager=1,
        registrert_av=admin,
    )
    Skoleruteunntak.objects.create(
        kommune=kommune,
        type=Skoleruteunntak.Type.PLANLEGGINGSDAG,
        navn="Plandag",
        fra=datetime.date(2026, 10, 5),
        til=datetime.date(2026, 10, 5),
    )
    return {
        "kommune": kommune,
        "skole": skole,
        "aksel": aksel,
        "klasse": Klasse.objects.filter(skole=skole).first(),
        "faggruppe": Faggruppe.objects.filter(skole=skole).first(),
        "laerer": User.objects.filter(kommune=kommune, last_login__isnull=True).first(),
        "soknad": soknad,
        "skoleimport": Skoleimport.objects.create(
            skole=skole, lastet_opp_av=admin, filnavn="x.csv", innhold=b"x"
        ),
        "fravaeropplasting": Fravaeropplasting.objects.create(
            lastet_opp_av=admin, filnavn="x.csv", innhold=b"x"
        ),
    }


@pytest.fixture
def hjem(db):
    """Fjordvik kommune, with a school, a class, a teaching group and a user per role."""
    skole = SkoleFactory(navn="Fjordvik skole", kommune__brukernavndomener=["fjordvik.kommune.no"])
    SkolearFactory(kommune=skole.kommune)
    klasse = KlasseFactory(skole=skole, navn="5A")
    faggruppe = Faggruppe.objects.create(
        skole=skole, skolear=klasse.skolear, navn="5 Mat", fagkode="MAT01-05"
    )
    brukere = {}
    for navn, rolle in ROLLER.items():
        omfang = {
            Rolle.ADMINISTRATOR: skole.kommune,
            Rolle.SKOLEKONTOR: skole.kommune,
            Rolle.KONTAKTLAERER: klasse,
            Rolle.FAGLAERER: faggruppe,
        }.get(rolle, skole)
        brukere[navn] = Bruker(username=f"fjordvik.{navn}")
        gi_rolle(brukere[navn], rolle, omfang)
    return {"kommune": skole.kommune, "skole": skole, "brukere": brukere}


def nabos_data(kommune) -> dict:
    """Everything of a kommune an import or page could change, as plain values."""
    elever = Elev.objects.filter(kommune=kommune)
    return {
        "elever": list(elever.order_by("pk").values()),
        "foresatte": list(Foresatt.objects.filter(kommune=kommune).order_by("pk").values()),
        "relasjoner": list(
            Foresattrelasjon.objects.filter(elev__in=elever).order_by("pk").values()
        ),
        "skolemedlemskap": list(
            Skolemedlemskap.objects.filter(elev__in=elever).order_by("pk").values()
        ),
        "klassemedlemskap": list(
            Klassemedlemskap.objects.filter(elev__in=elever).order_by("pk").values()
        ),
        "brukere": list(
            User.objects.filter(kommune=kommune)
            .order_by("pk")
            .values("pk", "username", "first_name", "last_name", "email", "password")
        ),
        "roller": list(Rolletildeling.objects.filter(bruker__kommune=kommune).values()),
        "fravaer": Fravaer.objects.filter(elev__in=elever).count(),
        "unntak": list(Skoleruteunntak.objects.filter(kommune=kommune).values()),
    }


def oneroster_for(skole: Skole, mappe: Path) -> Path:
    """The sample export as the other school would send it: its own organisation number and
    teachers, the same pupils' and guardians' fødselsnumre, other phone numbers."""
    kopi = shutil.copytree(DATA / "oneroster", mappe / "oneroster")
    orgs = (kopi / "orgs.csv").read_text(encoding="utf-8")
    (kopi / "orgs.csv").write_text(
        orgs.replace(f"NO{NABO_ORGNR}", f"NO{skole.organisasjonsnummer}"), encoding="utf-8"
    )
    with (kopi / "users.csv").open(encoding="utf-8") as fil:
        rader = list(csv.DictReader(fil))
    for rad in rader:
        if rad["role"] not in ("student", "guardian", "parent", "relative"):
            for felt in ("username", "userIds", "email"):
                rad[felt] = rad[felt].replace("fjordvik.example", "fjordvik.kommune.no")
        if rad["role"] in ("guardian", "parent", "relative"):
            rad["phone"], rad["email"] = "99999999", "overtatt@example.org"
    with (kopi / "users.csv").open("w", encoding="utf-8", newline="") as fil:
        skriver = csv.DictWriter(fil, fieldnames=list(rader[0]))
        skriver.writeheader()
        skriver.writerows(rader)
    return kopi


def test_a_oneroster_import_with_the_other_kommunes_people_makes_records_of_its_own(
    nabo, hjem, tmp_path
):
    for_import = nabos_data(nabo["kommune"])
    mappe = oneroster_for(hjem["skole"], tmp_path)
    call_command("import_oneroster", str(mappe), "--skole", hjem["skole"].organisasjonsnummer)

    assert nabos_data(nabo["kommune"]) == for_import  # names, enrolments, guardians' phones
    fjordviks = Elev.objects.get(kommune=hjem["kommune"], fodselsnummer=AKSEL)
    assert fjordviks.pk != nabo["aksel"].pk
    admin = hjem["brukere"]["admin"]
    assert set(tilgang.elever(admin)) == set(Elev.objects.filter(kommune=hjem["kommune"]))
    for relasjon in Foresattrelasjon.objects.filter(elev=fjordviks):
        assert relasjon.foresatt.kommune == hjem["kommune"]
        assert relasjon.foresatt.telefon == "99999999"


def test_a_oneroster_import_cannot_take_over_the_other_kommunes_staff(nabo, hjem, tmp_path):
    """A teacher named as the other kommune's teacher is refused with the very words a name
    nobody has gets: the answer says nothing of who holds it."""
    brukernavn = nabo["laerer"].username
    svar = {}
    for hvem, navn in [("nabo", brukernavn), ("ingen", "ingen.har.meg@fjordvik.example")]:
        mappe = oneroster_for(hjem["skole"], tmp_path / hvem)
        users = (mappe / "users.csv").read_text(encoding="utf-8")
        (mappe / "users.csv").write_text(
            users.replace(brukernavn.replace("fjordvik.example", "fjordvik.kommune.no"), navn),
            encoding="utf-8",
        )
        for_import = nabos_data(nabo["kommune"])
        with pytest.raises(CommandError) as feil:
            call_command(
                "import_oneroster", str(mappe), "--skole", hjem["skole"].organisasjonsnummer
            )
        svar[hvem] = str(feil.value).replace(navn, "NAVN")
        assert nabos_data(nabo["kommune"]) == for_import
        assert not Elev.objects.filter(kommune=hjem["kommune"]).exists()
    assert svar["nabo"] == svar["ingen"]
    assert "Brukernavnet NAVN kan ikke brukes" in svar["nabo"]
    assert "@fjordvik.kommune.no" in svar["nabo"] and "Nabo" not in svar["nabo"]


def enkel_csv(fnr: str, fornavn: str, etternavn: str) -> bytes:
    return (
        "fodselsnummer;fornavn;etternavn;klasse;trinn;adressesperre;foresatt1_fornavn;"
        "foresatt1_etternavn;foresatt1_telefon;foresatt1_epost;foresatt1_foreldreansvar\r\n"
        f"{fnr};{fornavn};{etternavn};5A;5;;Mor;{etternavn};41234567;mor@example.org;ja\r\n"
    ).encode()


def forhandsvis(client, skole, innhold: bytes) -> str:
    svar = client.post(
        reverse("elever:skoleimport", args=[skole.pk]),
        {"fil": SimpleUploadedFile("elever.csv", innhold, content_type="text/csv")},
    )
    assert svar.status_code == 200
    (hoved,) = re.findall(r"<main.*</main>", svar.content.decode(), re.DOTALL)
    return re.sub(r'/importer/\d+/|name="csrfmiddlewaretoken" value="[^"]+"', "", hoved)


def test_the_simple_csv_preview_tells_nothing_of_a_number_known_elsewhere(client, nabo, hjem):
    """The same preview for the other kommune's pupil under their own name, under a guessed
    name, and for a number nobody has: a new pupil here, nothing more."""
    client.force_login(hjem["brukere"]["admin"])
    aksel = nabo["aksel"]
    assert not Elev.objects.filter(fodselsnummer=UKJENT).exists()
    gjettet = forhandsvis(client, hjem["skole"], enkel_csv(AKSEL, "Gjett", "Navnesen"))
    ingen = forhandsvis(client, hjem["skole"], enkel_csv(UKJENT, aksel.fornavn, aksel.etternavn))
    riktig = forhandsvis(client, hjem["skole"], enkel_csv(AKSEL, aksel.fornavn, aksel.etternavn))
    assert riktig == ingen.replace(UKJENT, AKSEL)
    assert gjettet.replace("Gjett Navnesen", aksel.navn).replace("Navnesen", aksel.etternavn) == (
        riktig
    )
    assert '<th scope="row">Elever</th><td>1</td><td>0</td><td>0</td>' in riktig  # one new

    for_import = nabos_data(nabo["kommune"])
    opplasting = Skoleimport.objects.filter(skole=hjem["skole"]).latest("pk")
    svar = client.post(reverse("elever:skoleimport_bekreft", args=[opplasting.pk]))
    assert svar.status_code == 302
    assert nabos_data(nabo["kommune"]) == for_import
    ny = Elev.objects.get(kommune=hjem["kommune"])
    assert ny.fodselsnummer == AKSEL and ny.pk != aksel.pk
    # The new pupil's page shows only the guardian from this file.
    html = client.get(reverse("elever:elev", args=[ny.pk])).content.decode()
    for foresatt in Foresatt.objects.filter(kommune=nabo["kommune"]):
        assert foresatt.telefon not in html or foresatt.telefon == "41234567"


def fravaerfil(referanse: str) -> bytes:
    linjer = ["elev;dato;omfang;time;minutter;gyldighet;meldt", f"{referanse};2026-08-31;dag;;;;"]
    return "\r\n".join(linjer).encode()


def test_the_absence_import_answers_for_the_other_kommunes_pupil_as_for_nobody(client, nabo, hjem):
    client.force_login(hjem["brukere"]["admin"])
    svar = {}
    for hvem, referanse in [("nabo", AKSEL), ("ingen", UKJENT)]:
        side = client.post(
            reverse("fravaer:import"),
            {"fil": SimpleUploadedFile("f.csv", fravaerfil(referanse), content_type="text/csv")},
        )
        (hoved,) = re.findall(r"<main.*</main>", side.content.decode(), re.DOTALL)
        svar[hvem] = re.sub(r'value="[^"]{40,}"', "", hoved.replace(referanse, "NUMMER"))
    assert svar["nabo"] == svar["ingen"]
    assert "Fant ingen elev «NUMMER» blant elevene du har tilgang til" in svar["nabo"]
    assert not Fravaer.objects.exists()


def test_the_calendar_import_knows_no_school_of_another_kommune(client, nabo, hjem):
    client.force_login(hjem["brukere"]["admin"])
    for_import = nabos_data(nabo["kommune"])
    fil = (
        "dato,skole,elevdag,laererdag,sfodag,kommentar\r\n"
        f"2026-10-05,{NABO_ORGNR},Nei,Ja,Ja,Plan\r\n"
    )
    svar = client.post(
        reverse("elever:skolerute", args=[hjem["kommune"].pk]),
        {
            "handling": "import",
            "import-fil": SimpleUploadedFile("s.csv", fil.encode(), content_type="text/csv"),
        },
    )
    html = svar.content.decode()
    assert svar.status_code == 400
    assert f"Skolen «{NABO_ORGNR}» finnes ikke i {hjem['kommune'].navn}" in html
    assert "Nabo" not in html
    assert nabos_data(nabo["kommune"]) == for_import


def nabos_sider(nabo) -> dict[str, str]:
    """A URL of the other kommune's for every pattern that names an object."""
    a, k, g = nabo["aksel"], nabo["klasse"], nabo["faggruppe"]
    return {
        "elever:klasse": reverse("elever:klasse", args=[k.pk]),
        "elever:faggruppe": reverse("elever:faggruppe", args=[g.pk]),
        "elever:elev": reverse("elever:elev", args=[a.pk]),
        "elever:skole": reverse("elever:skole", args=[nabo["skole"].pk]),
        "elever:skoleimport": reverse("elever:skoleimport", args=[nabo["skole"].pk]),
        "elever:skoleimport_bekreft": reverse(
            "elever:skoleimport_bekreft", args=[nabo["skoleimport"].pk]
        ),
        "elever:skolerute": reverse("elever:skolerute", args=[nabo["kommune"].pk]),
        "elever:skoleruteunntak_slett": reverse(
            "elever:skoleruteunntak_slett",
            args=[Skoleruteunntak.objects.filter(kommune=nabo["kommune"]).first().pk],
        ),
        "fravaer:register": reverse("fravaer:register", args=[k.pk]),
        "fravaer:register_rad": reverse("fravaer:register_rad", args=[k.pk, a.pk]),
        "fravaer:register_bekreft": reverse("fravaer:register_bekreft", args=[k.pk]),
        "fravaer:timeregister": reverse("fravaer:timeregister", args=[g.pk]),
        "fravaer:timeregister_rad": reverse("fravaer:timeregister_rad", args=[g.pk, a.pk]),
        "fravaer:timeregister_bekreft": reverse("fravaer:timeregister_bekreft", args=[g.pk]),
        "fravaer:permisjon": reverse("fravaer:permisjon", args=[a.pk]),
        "fravaer:permisjonssoknad": reverse(
            "fravaer:permisjonssoknad", args=[a.pk, nabo["soknad"].pk]
        ),
        "fravaer:import_bekreft": reverse(
            "fravaer:import_bekreft", args=[nabo["fravaeropplasting"].pk]
        ),
    }


def _monstre(resolver, navnerom: str = ""):
    """(name, whether it takes an object) for every URL pattern below ``resolver``."""
    for monster in resolver.url_patterns:
        if isinstance(monster, URLResolver):
            yield from _monstre(monster, monster.namespace or navnerom)
        elif monster.name:
            yield f"{navnerom}:{monster.name}", bool(monster.pattern.converters)


def test_every_page_that_names_an_object_is_walked_below(nabo):
    """A new page with an object in its URL must join the walk (the admin has its own)."""
    med_objekt = {navn for navn, tar in _monstre(get_resolver()) if tar}
    med_objekt = {n for n in med_objekt if not n.startswith("admin:")}
    assert med_objekt == set(nabos_sider(nabo))


@pytest.mark.parametrize("rolle", [*ROLLER, "drift"])
def test_no_role_of_one_kommune_opens_anything_of_another(client, nabo, hjem, rolle):
    if rolle == "drift":
        bruker = Bruker(username="drift", is_superuser=True, is_staff=True)
    else:
        bruker = hjem["brukere"][rolle]
    client.force_login(bruker)
    for_besok = nabos_data(nabo["kommune"])
    navn = [nabo["aksel"].fornavn, nabo["aksel"].etternavn, AKSEL[:6]]
    for side, url in nabos_sider(nabo).items():
        for metode in (client.get, client.post):
            svar = metode(url)
            assert svar.status_code in (404, 405), (side, metode, svar.status_code)
            assert not any(n in svar.content.decode() for n in navn), side
    for url in ("/", reverse("elever:klasser"), reverse("fravaer:import")):
        html = client.get(url).content.decode()
        assert not any(n in html for n in navn) and "Nabo" not in html, url
    assert nabos_data(nabo["kommune"]) == for_besok


def test_the_admin_shows_and_changes_no_staff_or_pupil_of_another_kommune(client, nabo, hjem):
    client.force_login(hjem["brukere"]["admin"])
    laerer = nabo["laerer"]
    assert laerer.last_login is None  # an account nobody has used yet
    liste = client.get("/admin/elever/user/").content.decode()
    assert laerer.username not in liste and "fjordvik.admin" in liste
    for url in (
        f"/admin/elever/user/{laerer.pk}/change/",
        f"/admin/elever/user/{laerer.pk}/password/",
        f"/admin/elever/elev/{nabo['aksel'].pk}/change/",
        f"/admin/elever/skole/{nabo['skole'].pk}/change/",
    ):
        assert client.get(url).status_code in (302, 404), url
    for_besok = nabos_data(nabo["kommune"])
    client.post(
        f"/admin/elever/user/{laerer.pk}/password/",
        {"password1": "x" * 20, "password2": "x" * 20},
    )
    client.post(
        "/admin/elever/rolletildeling/add/",
        {"bruker": laerer.pk, "rolle": Rolle.REKTOR, "skole": hjem["skole"].pk},
    )
    assert nabos_data(nabo["kommune"]) == for_besok


def test_the_database_keeps_every_link_inside_one_kommune(nabo, hjem):
    """Whatever writes them — an import, the admin, a script — links stay in one kommune."""
    fjordviks = Elev.objects.create(kommune=hjem["kommune"], fornavn="Ny", etternavn="Elev")
    nabos_foresatt = Foresatt.objects.filter(kommune=nabo["kommune"]).first()
    klasse = Klasse.objects.filter(skole=hjem["skole"]).first()
    for lag in (
        lambda: Foresattrelasjon.objects.create(elev=fjordviks, foresatt=nabos_foresatt),
        lambda: Skolemedlemskap.objects.create(
            elev=nabo["aksel"], skole=hjem["skole"], fra=datetime.date(2026, 9, 1)
        ),
        lambda: Klassemedlemskap.objects.create(
            elev=nabo["aksel"], klasse=klasse, fra=datetime.date(2026, 9, 1)
        ),
        lambda: Rolletildeling.objects.create(
            bruker=nabo["laerer"], rolle=Rolle.REKTOR, skole=hjem["skole"]
        ),
        lambda: Elev.objects.filter(pk=nabo["aksel"].pk).update(kommune=hjem["kommune"]),
        lambda: Skoletime.objects.create(
            klasse=klasse, ukedag=1, nummer=1, fagnavn="Norsk", laerer=nabo["laerer"]
        ),
        lambda: Skoletime.objects.create(
            klasse=klasse, ukedag=1, nummer=2, fagnavn="Matte", faggruppe=nabo["faggruppe"]
        ),
        lambda: Skole.objects.filter(pk=hjem["skole"].pk).update(kommune=nabo["kommune"]),
        lambda: Klasse.objects.filter(pk=klasse.pk).update(skole=nabo["skole"]),
        lambda: Faggruppe.objects.filter(skole=hjem["skole"]).update(skole=nabo["skole"]),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            lag()
    # The same number in two kommuner is two people; twice in one kommune it is refused.
    Elev.objects.create(kommune=hjem["kommune"], fornavn="A", etternavn="B", fodselsnummer=AKSEL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Elev.objects.create(
            kommune=hjem["kommune"], fornavn="C", etternavn="D", fodselsnummer=AKSEL
        )


def test_the_operator_is_told_why_a_role_outside_the_accounts_kommune_is_refused(
    client, nabo, hjem
):
    client.force_login(Bruker(username="drift", is_superuser=True, is_staff=True))
    svar = client.post(
        "/admin/elever/rolletildeling/add/",
        {"bruker": nabo["laerer"].pk, "rolle": Rolle.ADMINISTRATOR, "kommune": hjem["kommune"].pk},
    )
    assert svar.status_code == 200
    assert "Brukeren hører ikke til kommunen rollen gjelder" in svar.content.decode()
    assert not nabo["laerer"].rolletildelinger.filter(kommune=hjem["kommune"]).exists()


def admin_feil(svar) -> list[str]:
    """The admin form's error messages, as the user reads them."""
    assert svar.status_code == 200, svar.status_code
    return [m for feil in svar.context["adminform"].form.errors.values() for m in feil]


def test_the_admin_answers_a_new_username_of_the_other_kommune_as_one_nobody_has(
    client, nabo, hjem
):
    client.force_login(hjem["brukere"]["admin"])
    kommune = hjem["kommune"].pk
    svar = {}
    for hvem, navn in [("nabo", nabo["laerer"].username), ("ingen", "ingen@fjordvik.example")]:
        side = client.post(
            "/admin/elever/user/add/",
            {"username": navn, "kommune": kommune, "usable_password": "false"},
        )
        svar[hvem] = admin_feil(side)
    assert svar["nabo"] == svar["ingen"] == ["Brukernavnet må slutte på @fjordvik.kommune.no."]
    assert not User.objects.filter(username="ingen@fjordvik.example").exists()

    side = client.post(
        "/admin/elever/user/add/",
        {
            "username": "ny.laerer@fjordvik.kommune.no",
            "kommune": kommune,
            "usable_password": "false",
        },
    )
    assert side.status_code == 302
    assert User.objects.get(username="ny.laerer@fjordvik.kommune.no").kommune_id == kommune
    # A name of the kommune's own, in other letters, is one it already has.
    side = client.post(
        "/admin/elever/user/add/",
        {
            "username": "Ny.Laerer@fjordvik.kommune.no",
            "kommune": kommune,
            "usable_password": "false",
        },
    )
    assert admin_feil(side) == ["Det eksisterer allerede en bruker med dette brukernavnet."]


def endre_brukernavn(client, bruker, navn: str):
    skjema = client.get(f"/admin/elever/user/{bruker.pk}/change/").context["adminform"].form
    data = {
        navn_: verdi
        for navn_, verdi in skjema.initial.items()
        if verdi is not None and navn_ in skjema.fields and navn_ != "password"
    }
    data |= {"username": navn, "is_active": "on", "date_joined_0": "01.09.2026"}
    data |= {"date_joined_1": "09:00:00", "last_login_0": "", "last_login_1": ""}
    return client.post(f"/admin/elever/user/{bruker.pk}/change/", data)


def test_renaming_an_account_in_the_admin_tells_nothing_of_the_other_kommunes_names(
    client, nabo, hjem
):
    client.force_login(hjem["brukere"]["admin"])
    kontakt = hjem["brukere"]["kontakt"]
    nabos = endre_brukernavn(client, kontakt, nabo["laerer"].username)
    ingens = endre_brukernavn(client, kontakt, "ingen@fjordvik.example")
    assert (
        admin_feil(nabos)
        == admin_feil(ingens)
        == ["Brukernavnet må slutte på @fjordvik.kommune.no."]
    )
    assert endre_brukernavn(client, kontakt, "kari@fjordvik.kommune.no").status_code == 302
    kontakt.refresh_from_db()
    assert kontakt.username == "kari@fjordvik.kommune.no"


def test_an_administrator_of_a_kommune_without_a_domain_is_sent_to_the_operator(client, nabo):
    skole = SkoleFactory(navn="Uten domene skole")
    admin = Bruker(username="uten.admin")
    gi_rolle(admin, Rolle.ADMINISTRATOR, skole.kommune)
    client.force_login(admin)
    for navn in (nabo["laerer"].username, "ingen@fjordvik.example", "ny"):
        side = client.post(
            "/admin/elever/user/add/",
            {"username": navn, "kommune": skole.kommune.pk, "usable_password": "false"},
        )
        (melding,) = admin_feil(side)
        assert "Driftsansvarlig må legge inn kommunens domene" in melding
    assert not User.objects.filter(username="ny").exists()


def test_the_database_keeps_each_kommunes_usernames_to_its_own_accounts(nabo, hjem):
    """Whatever writes it, a name in a kommune's domain is one of that kommune's accounts,
    and a name is one account whatever its letters' case."""
    laerer = nabo["laerer"]
    for lag in (
        lambda: User.objects.create(username="ny@fjordvik.example", kommune=hjem["kommune"]),
        lambda: User.objects.create(username="drift@FJORDVIK.example"),  # no kommune
        lambda: User.objects.filter(pk=hjem["brukere"]["kontakt"].pk).update(
            username="ny@fjordvik.example"
        ),
        lambda: User.objects.filter(pk=laerer.pk).update(kommune=hjem["kommune"]),
        lambda: User.objects.create(username=laerer.username.upper(), kommune=nabo["kommune"]),
        lambda: User.objects.create(username="FJORDVIK.admin", kommune=hjem["kommune"]),
        # Nor may a domain be registered while others hold names in it.
        lambda: Brukernavndomene.objects.create(kommune=hjem["kommune"], domene="fjordvik.example"),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            lag()
    User.objects.create(username="ny@fjordvik.kommune.no", kommune=hjem["kommune"])


def test_the_operator_sets_a_kommunes_domains_and_is_told_when_others_hold_names_in_it(
    client, nabo, hjem
):
    client.force_login(Bruker(username="drift", is_superuser=True, is_staff=True))
    kommune = hjem["kommune"]
    url = f"/admin/elever/kommune/{kommune.pk}/change/"
    skjema = client.get(url).context["adminform"].form
    data = {navn: verdi for navn, verdi in skjema.initial.items() if navn in skjema.fields}
    (eksisterende,) = kommune.brukernavndomener.all()
    data |= {
        "brukernavndomener-TOTAL_FORMS": "2",
        "brukernavndomener-INITIAL_FORMS": "1",
        "brukernavndomener-0-id": eksisterende.pk,
        "brukernavndomener-0-kommune": kommune.pk,
        "brukernavndomener-0-domene": eksisterende.domene,
        "brukernavndomener-1-kommune": kommune.pk,
        "brukernavndomener-1-domene": "@Fjordvik.Example",
    }
    svar = client.post(url, data)
    assert svar.status_code == 200
    assert "har brukernavn i dette domenet" in svar.content.decode()
    data["brukernavndomener-1-domene"] = "@Fjordvik.NO"
    assert client.post(url, data).status_code == 302
    assert set(kommune.brukernavndomener.values_list("domene", flat=True)) == {
        "fjordvik.kommune.no",
        "fjordvik.no",
    }
