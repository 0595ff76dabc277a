"""A protected address stays unknown (DESIGN §8): no address of the protected household — the
pupil, the pupil's guardians, their other children — is stored, shown or printed, also on a
sibling's page."""

import datetime

import pytest
import time_machine
from django.db import connection

from elever import importdata as d
from elever.adressevern import husstand
from elever.models import Adressesperre, Elev, Foresatt, Foresattrelasjon, Rolle
from elever.services import skoledata_importer
from tests.elever.test_skoleimport_tjeneste import K, skoledata
from tests.factories import (
    ForesattFactory,
    KlasseFactory,
    SkolearFactory,
    SkoleFactory,
    UserFactory,
    elev_i_klasse,
    gi_rolle,
)

ADRESSE = {"gateadresse": "Skjulestien 4", "postnummer": "9990", "poststed": "Fjordvik"}


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def familie(db):
    """Two siblings at home with their mother, in two classes of one school; a half-brother
    who shares their father only lives elsewhere."""
    skole = SkoleFactory()
    eldste = elev_i_klasse(KlasseFactory(skole=skole, navn="7A"), fornavn="Eldste", **ADRESSE)
    yngste = elev_i_klasse(KlasseFactory(skole=skole, navn="3A"), fornavn="Yngste", **ADRESSE)
    mor = ForesattFactory(kommune=skole.kommune, fornavn="Mor", **ADRESSE)
    for elev in (eldste, yngste):
        Foresattrelasjon.objects.create(
            elev=elev, foresatt=mor, foreldreansvar=True, kan_motta_dokumenter=True
        )
    return {"skole": skole, "eldste": eldste, "yngste": yngste, "mor": mor}


def adresse(objekt) -> tuple[str, str, str]:
    objekt.refresh_from_db()
    return (objekt.gateadresse, objekt.postnummer, objekt.poststed)


def test_protecting_one_sibling_keeps_the_household_address_off_the_others_page(client, familie):
    kontakt = UserFactory()
    gi_rolle(kontakt, Rolle.KONTAKTLAERER, familie["yngste"].klassemedlemskap.get().klasse)
    client.force_login(kontakt)
    assert "Skjulestien" in client.get(f"/elever/{familie['yngste'].pk}/").content.decode()

    familie["eldste"].adressesperre = Adressesperre.STRENGT_FORTROLIG
    familie["eldste"].save()

    html = client.get(f"/elever/{familie['yngste'].pk}/").content.decode()
    assert "Mor" in html and "Skjulestien" not in html and "9990" not in html
    assert adresse(familie["mor"]) == adresse(familie["yngste"]) == ("", "", "")


def test_the_admin_setting_a_protection_clears_the_stored_addresses(client, familie):
    eldste = familie["eldste"]
    for felt, verdi in ADRESSE.items():
        setattr(eldste, felt, verdi)
    eldste.save()
    admin = UserFactory()
    gi_rolle(admin, Rolle.ADMINISTRATOR, familie["skole"].kommune)
    client.force_login(admin)
    svar = client.post(
        f"/admin/elever/elev/{eldste.pk}/change/",
        {
            "fornavn": eldste.fornavn,
            "etternavn": eldste.etternavn,
            "adressesperre": Adressesperre.FORTROLIG,
            **ADRESSE,
            "foresattrelasjoner-TOTAL_FORMS": "0",
            "foresattrelasjoner-INITIAL_FORMS": "0",
        },
    )
    assert svar.status_code == 302, svar.content.decode()[:2000]
    assert adresse(eldste) == ("", "", "")
    assert adresse(familie["mor"]) == ("", "", "")


def test_no_writer_can_store_the_address_of_a_protected_household(familie):
    familie["eldste"].adressesperre = Adressesperre.FORTROLIG
    familie["eldste"].save()
    with connection.cursor() as cursor:  # raw SQL, as a careless script would
        for tabell, objekt in [("foresatt", "mor"), ("elev", "eldste"), ("elev", "yngste")]:
            cursor.execute(
                f"UPDATE elever_{tabell} SET gateadresse = 'Ny vei 1' WHERE id = %s",  # noqa: S608
                [familie[objekt].pk],
            )
    assert adresse(familie["mor"]) == adresse(familie["eldste"]) == ("", "", "")
    assert adresse(familie["yngste"]) == ("", "", "")
    # A new guardian of the protected pupil loses the address, and so does a new child of
    # the protected pupil's mother.
    far = ForesattFactory(kommune=familie["skole"].kommune, **ADRESSE)
    Foresattrelasjon.objects.create(elev=familie["eldste"], foresatt=far)
    assert adresse(far) == ("", "", "")
    klasse = familie["yngste"].klassemedlemskap.get().klasse
    nyfodt = elev_i_klasse(klasse, fornavn="Ny", **ADRESSE)
    Foresattrelasjon.objects.create(elev=nyfodt, foresatt=familie["mor"])
    assert adresse(nyfodt) == ("", "", "")
    # A classmate of another family keeps theirs.
    nabo = elev_i_klasse(klasse, fornavn="Nabo", **ADRESSE)
    nabo.gateadresse = "Åpen vei 2"
    nabo.save()
    assert adresse(nabo)[0] == "Åpen vei 2"


def test_the_household_is_the_protected_pupils_guardians_and_all_their_children():
    relasjoner = [("ada", "mor"), ("bo", "mor"), ("bo", "far"), ("cai", "far"), ("dag", "x")]
    assert husstand({"ada"}, relasjoner) == ({"ada", "bo"}, {"mor"})
    assert husstand({"bo"}, relasjoner) == ({"ada", "bo", "cai"}, {"mor", "far"})
    assert husstand(set(), relasjoner) == (set(), set())


def test_a_file_with_the_protected_households_address_stores_none_and_reports_no_change(db):
    skole = SkoleFactory(kommune__brukernavndomener=["skole.example"])
    SkolearFactory(kommune=skole.kommune)
    data = skoledata(skole)
    data.elever[0].adressesperre = Adressesperre.FORTROLIG
    data.elever[0].adresse = d.Adresse("Skjulestien 4", "9990", "Fjordvik")
    data.foresatte[0].adresse = d.Adresse("Skjulestien 4", "9990", "Fjordvik")
    data.elever[1].adresse = d.Adresse("Skjulestien 4", "9990", "Fjordvik")  # a sibling
    data.foresattrelasjoner.append(d.Foresattrelasjon("b", "p-1", True, K))
    data.elever[2].adresse = d.Adresse("Åpen vei 2", "9990", "Fjordvik")  # another family
    data.foresatte.append(d.Foresatt("p-2", "Åse", "Testesen", K))
    data.foresattrelasjoner.append(d.Foresattrelasjon("c", "p-2", True, K))
    dato = datetime.date(2026, 9, 1)
    skoledata_importer(skole=skole, data=data, dato=dato)
    per = Foresatt.objects.get(fornavn="Per")
    assert adresse(per) == ("", "", "")
    assert {adresse(r.elev) for r in per.relasjoner.all()} == {("", "", "")}
    assert adresse(Elev.objects.get(fornavn="Elevc"))[0] == "Åpen vei 2"
    igjen = skoledata_importer(skole=skole, data=data, dato=dato)
    assert igjen.ingen_endringer, igjen.antall
