"""The history an auditor reads (DESIGN §8): every insert, update and delete of domain data —
pupils, guardians, their links, memberships, roles, accounts, the organisation, the calendar
and the timetable — with who and from which page or command, and history rows that nobody can
change or delete afterwards."""

import datetime
import json
import sys
from pathlib import Path

import pghistory
import pghistory.models
import pytest
import time_machine
from django.apps import apps
from django.db import connection, transaction
from django.db.utils import DatabaseError

import manage
from elever.models import (
    Adressesperre,
    Elev,
    Faggruppemedlemskap,
    Foresattrelasjon,
    Kildekobling,
    Klassemedlemskap,
    Rolle,
    Skolemedlemskap,
    Skoleruteunntak,
    Skoletime,
    Termin,
    User,
)
from fravaer.models import Fravaer, Omfang
from tests.factories import (
    ElevFactory,
    FaggruppeFactory,
    ForesattFactory,
    KlasseFactory,
    KommuneFactory,
    SkolearFactory,
    SkoleFactory,
    UserFactory,
    elev_i_klasse,
    gi_rolle,
)

pytestmark = pytest.mark.django_db
D = datetime.date
DATA = Path(__file__).resolve().parents[1] / "data"


def hendelser(objekt) -> list[pghistory.models.Events]:
    return list(pghistory.models.Events.objects.tracks(objekt).order_by("pgh_created_at"))


def etiketter(modell, pk) -> list[str]:
    return list(
        pghistory.models.Events.objects.filter(pgh_obj_model=modell._meta.label, pgh_obj_id=pk)
        .order_by("pgh_created_at")
        .values_list("pgh_label", flat=True)
    )


def test_a_protected_address_cleared_by_a_bulk_update_remains_in_the_history_only():
    elev = ElevFactory(fornavn="Siri", gateadresse="Sjøgata 4", postnummer="9008")
    with pghistory.context(user=None, url="/test/"):
        Elev.objects.filter(pk=elev.pk).update(
            adressesperre=Adressesperre.STRENGT_FORTROLIG, gateadresse="", postnummer=""
        )
    elev.refresh_from_db()
    assert (elev.gateadresse, elev.postnummer) == ("", "")
    opprettet, endret = hendelser(elev)
    assert opprettet.pgh_data["gateadresse"] == "Sjøgata 4"
    assert endret.pgh_diff == {
        "adressesperre": ["", "strengt_fortrolig"],
        "gateadresse": ["Sjøgata 4", ""],
        "postnummer": ["9008", ""],
    }
    assert endret.pgh_context == {"user": None, "url": "/test/"}


def test_guardians_contact_data_and_parental_responsibility_keep_their_history():
    elev = ElevFactory()
    foresatt = ForesattFactory(kommune=elev.kommune, telefon="40000000")
    relasjon = Foresattrelasjon.objects.create(elev=elev, foresatt=foresatt, foreldreansvar=True)
    bruker = UserFactory()
    with pghistory.context(user=bruker.pk, url="/admin/"):
        foresatt.telefon, foresatt.gateadresse = "41111111", "Nyveien 2"
        foresatt.save()
        Foresattrelasjon.objects.filter(pk=relasjon.pk).update(kan_motta_dokumenter=True)
        Foresattrelasjon.objects.filter(pk=relasjon.pk).update(
            kan_motta_dokumenter=False, foreldreansvar=False
        )
    _, kontakt = hendelser(foresatt)
    assert kontakt.pgh_diff == {
        "telefon": ["40000000", "41111111"],
        "gateadresse": ["", "Nyveien 2"],
    }
    assert kontakt.pgh_context["user"] == bruker.pk
    assert [h.pgh_diff for h in hendelser(relasjon)[1:]] == [
        {"kan_motta_dokumenter": [False, True]},
        {"kan_motta_dokumenter": [True, False], "foreldreansvar": [True, False]},
    ]


def _medlemskap_og_roller():
    """One of each tracked kind besides people: (row, a field to change, its new value)."""
    klasse = KlasseFactory()
    elev = elev_i_klasse(klasse)
    gruppe = FaggruppeFactory(skole=klasse.skole)
    return [
        (Skolemedlemskap.objects.get(elev=elev), "til", D(2026, 12, 31)),
        (Klassemedlemskap.objects.get(elev=elev), "til", D(2026, 12, 31)),
        (
            Faggruppemedlemskap.objects.create(elev=elev, faggruppe=gruppe, fra=D(2026, 8, 17)),
            "til",
            D(2026, 12, 31),
        ),
        (gi_rolle(UserFactory(), Rolle.KONTAKTLAERER, klasse), "fra_import", True),
        (
            Skoleruteunntak.objects.create(
                kommune=klasse.skole.kommune,
                type=Skoleruteunntak.Type.PLANLEGGINGSDAG,
                navn="Planleggingsdag",
                fra=D(2026, 11, 13),
                til=D(2026, 11, 13),
            ),
            "navn",
            "Fagdag",
        ),
    ]


def test_memberships_roles_and_calendar_exceptions_keep_insert_update_and_delete():
    rader = _medlemskap_og_roller()
    for rad, felt, verdi in rader:
        type(rad).objects.filter(pk=rad.pk).update(**{felt: verdi})
        type(rad).objects.filter(pk=rad.pk).delete()
    for rad, felt, verdi in rader:
        assert etiketter(type(rad), rad.pk) == ["insert", "update", "delete"], type(rad)
        oppdatert = hendelser(rad)[1]
        assert oppdatert.pgh_diff[felt][1] == (
            verdi.isoformat() if isinstance(verdi, D) else verdi
        ), type(rad)


def _kildekobling():
    skole = SkoleFactory()
    return Kildekobling.objects.create(
        skole=skole, kilde_id="elev-1", elev=ElevFactory(kommune=skole.kommune)
    )


# Accounts, the organisation, the calendar and the timetable: (make a row, a field, new value).
ORGANISASJON = {
    "User": (lambda: UserFactory(), "is_active", False),
    "Kommune": (lambda: KommuneFactory(), "permisjon_maks_dager", 15),
    "Skole": (lambda: SkoleFactory(), "navn", "Nytt navn skole"),
    "Skolear": (lambda: SkolearFactory(), "siste_skoledag", D(2027, 6, 22)),
    "Termin": (
        lambda: Termin.objects.create(
            skolear=SkolearFactory(), navn="host", start=D(2026, 8, 17), slutt=D(2026, 12, 18)
        ),
        "slutt",
        D(2026, 12, 21),
    ),
    "Klasse": (lambda: KlasseFactory(), "trinn", 6),
    "Faggruppe": (lambda: FaggruppeFactory(), "fagkode", "MAT01-06"),
    "Skoletime": (
        lambda: Skoletime.objects.create(
            klasse=KlasseFactory(), ukedag=1, nummer=1, fagnavn="Norsk"
        ),
        "fagnavn",
        "Matematikk",
    ),
    "Kildekobling": (_kildekobling, "kilde_id", "elev-2"),
}


@pytest.mark.parametrize("modell", ORGANISASJON)
def test_accounts_organisation_calendar_and_timetable_keep_insert_update_and_delete(modell):
    lag, felt, verdi = ORGANISASJON[modell]
    rad = lag()
    gammel = getattr(rad, felt)
    with pghistory.context(user=None, url="/admin/"):
        type(rad).objects.filter(pk=rad.pk).update(**{felt: verdi})  # bulk, no signal
    type(rad).objects.filter(pk=rad.pk).delete()
    assert etiketter(type(rad), rad.pk) == ["insert", "update", "delete"]
    oppdatert = hendelser(rad)[1]
    tekst = [v.isoformat() if isinstance(v, D) else v for v in (gammel, verdi)]
    assert oppdatert.pgh_diff[felt] == tekst
    assert oppdatert.pgh_context == {"user": None, "url": "/admin/"}


def test_an_accounts_history_never_holds_its_password_hash_or_its_logins(client):
    bruker = UserFactory(username="kari", first_name="Kari", email="kari@example.org")
    bruker.set_password("et-helt-nytt-passord")
    bruker.save()
    client.force_login(bruker)  # sets last_login
    bruker.refresh_from_db()
    assert bruker.last_login is not None
    User.objects.filter(pk=bruker.pk).update(is_active=False, email="kari@example.net")
    assert etiketter(User, bruker.pk) == ["insert", "update"]  # no event for those two
    endret = hendelser(bruker)[1]
    assert endret.pgh_diff == {
        "is_active": [True, False],
        "email": ["kari@example.org", "kari@example.net"],
        "innloggingsgenerasjon": [0, 1],  # the deactivation ended the sessions
    }
    for hendelse in hendelser(bruker):
        assert "password" not in hendelse.pgh_data and "last_login" not in hendelse.pgh_data
        assert bruker.password not in json.dumps(hendelse.pgh_data)
    kolonner = {f.column for f in apps.get_model("elever", "UserEvent")._meta.fields}
    assert "password" not in kolonner and "last_login" not in kolonner


def test_deleting_a_pupil_still_works_and_every_cascaded_row_leaves_a_delete_event():
    elev = elev_i_klasse(KlasseFactory())
    foresatt = ForesattFactory(kommune=elev.kommune)
    relasjon = Foresattrelasjon.objects.create(elev=elev, foresatt=foresatt)
    rader = [elev, relasjon, *elev.skolemedlemskap.all(), *elev.klassemedlemskap.all()]
    slettet = [(type(rad), rad.pk) for rad in rader]
    elev.delete()
    assert not Elev.objects.filter(pk=slettet[0][1]).exists()
    for modell, pk in slettet:
        assert etiketter(modell, pk) == ["insert", "delete"], modell
    assert etiketter(type(foresatt), foresatt.pk) == ["insert"]  # the guardian stays


def test_an_admin_change_keeps_the_administrator_and_the_admin_page(client):
    klasse = KlasseFactory()
    elev = elev_i_klasse(klasse, fornavn="Siri", etternavn="Fjell")
    admin = UserFactory(username="admin")
    gi_rolle(admin, Rolle.ADMINISTRATOR, klasse.skole.kommune)
    client.force_login(admin)
    url = f"/admin/elever/elev/{elev.pk}/change/"
    svar = client.post(
        url,
        {
            "fornavn": "Siri",
            "etternavn": "Fjell",
            "adressesperre": Adressesperre.FORTROLIG,
            "gateadresse": "",
            "postnummer": "",
            "poststed": "",
            "foresattrelasjoner-TOTAL_FORMS": "0",
            "foresattrelasjoner-INITIAL_FORMS": "0",
        },
    )
    assert svar.status_code == 302
    endring = hendelser(elev)[-1]
    assert endring.pgh_diff == {"adressesperre": ["", "fortrolig"]}
    assert endring.pgh_context == {"user": admin.pk, "url": url}


# manage.py closes the database connection when the command ends: the rows must be committed.
@pytest.mark.django_db(transaction=True)
@time_machine.travel(datetime.datetime(2026, 9, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_an_import_command_keeps_its_name_in_the_history(monkeypatch, capsys):
    kommune = KommuneFactory(brukernavndomener=["fjordvik.example"])
    SkoleFactory(kommune=kommune, organisasjonsnummer="974557746")
    argv = ["manage.py", "import_oneroster", str(DATA / "oneroster"), "--skole", "974557746"]
    monkeypatch.setattr(sys, "argv", argv)
    manage.main()
    assert "Importert" in capsys.readouterr().out
    nye = pghistory.models.Events.objects.filter(
        pgh_model__in=["elever.ElevEvent", "elever.ForesattEvent", "elever.RolletildelingEvent"]
    )
    assert nye.count() >= 10
    assert {tuple(h.pgh_context.items()) for h in nye} == {(("command", "import_oneroster"),)}


# --- Append-only ---------------------------------------------------------------------------


def hendelsesmodeller():
    return [
        m
        for m in apps.get_models()
        if issubclass(m, pghistory.models.Event) and m._meta.managed and not m._meta.proxy
    ]


def test_every_history_table_has_a_trigger_refusing_update_and_delete():
    """Every event table, today's and any added later, the absence ones included."""
    tabeller = {m._meta.db_table for m in hendelsesmodeller()}
    assert {
        "elever_elevevent",
        "elever_foresattevent",
        "fravaer_fravaerevent",
        *(f"elever_{navn.lower()}event" for navn in ORGANISASJON),
    } <= tabeller
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND t.tgenabled = 'O'
              AND t.tgname LIKE 'pgtrigger_append_only_%%'
              -- BEFORE (2), ROW (1), DELETE (8), UPDATE (16)
              AND t.tgtype & (1 | 2 | 8 | 16) = (1 | 2 | 8 | 16)
            """
        )
        vernet = {rad[0] for rad in cursor.fetchall()}
    assert tabeller <= vernet
    for modell in hendelsesmodeller():
        assert modell._meta.get_field("pgh_context").get_internal_type() == "JSONField", modell


def _med_historikk():
    elev = ElevFactory()
    Elev.objects.filter(pk=elev.pk).update(fornavn="Endret")
    bruker = UserFactory()
    User.objects.filter(pk=bruker.pk).update(is_active=False)
    Fravaer.objects.create(
        elev=elev, dato=D(2026, 11, 23), omfang=Omfang.HELE_DAGEN, registrert_av=bruker
    )
    return [
        apps.get_model("elever", "ElevEvent"),
        apps.get_model("elever", "UserEvent"),
        apps.get_model("fravaer", "FravaerEvent"),
    ]


@pytest.mark.parametrize(
    "forsok",
    [
        lambda m: m.objects.update(pgh_label="insert"),
        lambda m: m.objects.all().delete(),
        lambda m: _sql(f"UPDATE {m._meta.db_table} SET pgh_context = NULL"),  # noqa: S608
        lambda m: _sql(f"DELETE FROM {m._meta.db_table}"),  # noqa: S608
    ],
    ids=["orm-update", "orm-delete", "sql-update", "sql-delete"],
)
def test_history_rows_cannot_be_changed_or_deleted(forsok):
    for modell in _med_historikk():
        for_ = list(modell.objects.values())
        with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
            forsok(modell)
        assert list(modell.objects.values()) == for_


def _sql(sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)
