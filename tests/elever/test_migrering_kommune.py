"""Migration 0005 gives existing people a kommune: a guardian of children in two kommuner
becomes one record per kommune, each with that kommune's links, and a protected household's
address is cleared on the way (0008) in every copy, but kept in the history. 0010 stops,
naming them, on usernames that differ only in case."""

import uuid

import psycopg
import pytest
from django.db import connection

from tests.conftest import run_manage

DATA = """
INSERT INTO elever_kommune (navn, kommunenummer, organisasjonsnummer)
VALUES ('Fjordvik', '9901', '940800013'), ('Nabo', '9902', '974557746');
INSERT INTO elever_skole (kommune_id, navn, organisasjonsnummer, kilde_id)
SELECT id, navn || ' skole', organisasjonsnummer, '' FROM elever_kommune;
INSERT INTO elever_elev (fornavn, etternavn, fodselsnummer, adressesperre, gateadresse,
                         postnummer, poststed)
VALUES ('Ada', 'Berg', '03821651076', 'fortrolig', 'Skjulestien 4', '9990', 'Fjordvik'),
       ('Bo', 'Berg', '17841651820', '', 'Nabovegen 1', '9991', 'Nabo');
INSERT INTO elever_skolemedlemskap (elev_id, skole_id, fra)
SELECT e.id, s.id, '2026-08-17' FROM elever_elev e JOIN elever_skole s
  ON s.navn = CASE e.fornavn WHEN 'Ada' THEN 'Fjordvik skole' ELSE 'Nabo skole' END;
INSERT INTO elever_foresatt (fornavn, etternavn, fodselsnummer, telefon, epost, gateadresse,
                             postnummer, poststed)
VALUES ('Mona', 'Berg', '09861652510', '41234567', '', 'Skjulestien 4', '9990', 'Fjordvik');
INSERT INTO elever_foresattrelasjon (elev_id, foresatt_id, foreldreansvar, kan_motta_dokumenter)
SELECT e.id, f.id, true, true FROM elever_elev e, elever_foresatt f;
"""


@pytest.fixture
def database(test_database_url):
    navn = f"{connection.settings_dict['NAME']}_migr_{uuid.uuid4().hex[:6]}"
    server = test_database_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{navn}"')
    yield f"{server}/{navn}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{navn}" WITH (FORCE)')


def test_a_guardian_of_children_in_two_kommuner_becomes_one_record_in_each(database):
    env = {"NAERVAER_ENV": "test", "DATABASE_URL": database}
    forrige = run_manage("migrate", "elever", "0004", env=env, timeout=120)
    assert forrige.returncode == 0, forrige.stderr
    with psycopg.connect(database, autocommit=True) as db:
        db.execute(DATA)
    svar = run_manage("migrate", env=env, timeout=180)
    assert svar.returncode == 0, svar.stderr
    with psycopg.connect(database) as db:
        foresatte = db.execute(
            "SELECT k.navn, f.fodselsnummer, f.telefon, f.gateadresse, e.fornavn "
            "FROM elever_foresatt f JOIN elever_kommune k ON k.id = f.kommune_id "
            "JOIN elever_foresattrelasjon r ON r.foresatt_id = f.id "
            "JOIN elever_elev e ON e.id = r.elev_id AND e.kommune_id = f.kommune_id "
            "ORDER BY k.navn"
        ).fetchall()
        elever = db.execute(
            "SELECT fornavn, gateadresse FROM elever_elev ORDER BY fornavn"
        ).fetchall()
        historikk = db.execute(
            "SELECT gateadresse FROM elever_foresattevent WHERE pgh_label = 'adressevern'"
        ).fetchall()
    # Fjordvik's copy is Ada's, Nabo's is Bo's; both are the protected household's guardian,
    # so neither keeps the address, nor does Bo; the history has what each had.
    assert foresatte == [
        ("Fjordvik", "09861652510", "41234567", "", "Ada"),
        ("Nabo", "09861652510", "41234567", "", "Bo"),
    ]
    assert historikk == [("Skjulestien 4",), ("Skjulestien 4",)]
    assert elever == [("Ada", ""), ("Bo", "")]


def test_usernames_that_differ_only_in_case_stop_the_migration_by_name(database):
    env = {"NAERVAER_ENV": "test", "DATABASE_URL": database}
    assert run_manage("migrate", "elever", "0009", env=env, timeout=120).returncode == 0
    with psycopg.connect(database, autocommit=True) as db:
        for navn in ("laerer@fjordvik.no", "Laerer@fjordvik.no"):
            db.execute(
                "INSERT INTO elever_user (username, password, is_superuser, is_staff, is_active,"
                " first_name, last_name, email, date_joined, innloggingsgenerasjon)"
                " VALUES (%s, '', false, false, true, '', '', '', now(), 0)",
                [navn],
            )
    svar = run_manage("migrate", env=env, timeout=180)
    assert svar.returncode != 0
    assert "laerer@fjordvik.no" in svar.stderr and "store og små bokstaver" in svar.stderr
