"""A counter the database moves when a school's calendar, timetable, memberships or anyone's
roles change, so each process can keep what it computed from them until they do
(``elever.cache``).

Any change in a transaction marks it at once (a transaction-local setting, so what that
transaction reads is never taken from the cache), and moves the counter once when the
transaction commits: the counter and the rows become visible together, and its row is
locked only for the moment of the commit, so concurrent imports cannot deadlock on it.
Triggers, not Django signals, so bulk writes and raw SQL count too.
"""

from django.db import migrations

TABELLER = [
    "elever_skole",
    "elever_skolear",
    "elever_skoleruteunntak",
    "elever_skoletime",
    "elever_skolemedlemskap",
    "elever_klassemedlemskap",
    "elever_faggruppemedlemskap",
    "elever_rolletildeling",
]

FUNKSJONER = """
CREATE TABLE elever_organisasjonsversjon (
    id smallint PRIMARY KEY CHECK (id = 1),
    versjon bigint NOT NULL
);
INSERT INTO elever_organisasjonsversjon VALUES (1, 0);

CREATE FUNCTION elever_organisasjon_endret() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('naervaer.organisasjon_endret', 'ja', true);
    RETURN NULL;
END $$;

CREATE FUNCTION elever_organisasjon_tell() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('naervaer.organisasjon_talt', true) IS DISTINCT FROM 'ja' THEN
        UPDATE elever_organisasjonsversjon SET versjon = versjon + 1 WHERE id = 1;
        PERFORM set_config('naervaer.organisasjon_talt', 'ja', true);
    END IF;
    RETURN NULL;
END $$;
"""

# TRUNCATE has no rows to defer to; it locks the whole table anyway.
TRIGGERE = """
CREATE TRIGGER {t}_endret AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t}
    FOR EACH STATEMENT EXECUTE FUNCTION elever_organisasjon_endret();
CREATE CONSTRAINT TRIGGER {t}_tell AFTER INSERT OR UPDATE OR DELETE ON {t}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION elever_organisasjon_tell();
CREATE TRIGGER {t}_tomt AFTER TRUNCATE ON {t}
    FOR EACH STATEMENT EXECUTE FUNCTION elever_organisasjon_tell();
"""

FJERN = """
DROP TRIGGER {t}_endret ON {t};
DROP TRIGGER {t}_tell ON {t};
DROP TRIGGER {t}_tomt ON {t};
"""


class Migration(migrations.Migration):
    dependencies = [
        ("elever", "0003_rolle_fra_import"),
    ]

    operations = [
        migrations.RunSQL(
            FUNKSJONER + "".join(TRIGGERE.format(t=t) for t in TABELLER),
            "".join(FJERN.format(t=t) for t in TABELLER)
            + "DROP FUNCTION elever_organisasjon_tell(); DROP FUNCTION elever_organisasjon_endret();"
            + "DROP TABLE elever_organisasjonsversjon;",
        ),
    ]
