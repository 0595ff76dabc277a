"""History of absence entries, registrations and leave applications becomes append-only.

Each event row now carries its own context (who, which page or command) in a JSON column
instead of pointing to a row of ``pghistory_context``, which pghistory upserts and so can
change after the fact. The context of existing events is copied into them; the column
``pgh_context_id`` keeps its UUID. Then a trigger refuses UPDATE and DELETE on the event tables.
"""

import pghistory.utils
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

# Adds the context column, copies the old context rows into it, and drops the foreign key's
# index (the id stays, as a plain column).
KONTEKST_I_RADEN = """
ALTER TABLE {t} ADD COLUMN pgh_context jsonb NULL;
UPDATE {t} e SET pgh_context = c.metadata FROM pghistory_context c WHERE c.id = e.pgh_context_id;
DO $$
DECLARE indeks regclass;
BEGIN
    FOR indeks IN
        SELECT i.indexrelid::regclass FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
        WHERE i.indrelid = '{t}'::regclass AND i.indnatts = 1 AND a.attname = 'pgh_context_id'
    LOOP
        EXECUTE format('DROP INDEX %s', indeks);
    END LOOP;
END $$;
"""
TILBAKE = """
ALTER TABLE {t} DROP COLUMN pgh_context;
CREATE INDEX {t}_pgh_context_id ON {t} (pgh_context_id);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("fravaer", "0005_hel_dag_tilstede"),
        ("pghistory", "0007_auto_20250421_0444"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="fravaer",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="fravaer",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="fravaer",
            name="delete_delete",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="permisjonssoknad",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="permisjonssoknad",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="permisjonssoknad",
            name="delete_delete",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="registrering",
            name="insert_insert",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="registrering",
            name="update_update",
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name="registrering",
            name="delete_delete",
        ),
        *[
            migrations.SeparateDatabaseAndState(
                state_operations=[
                    migrations.AlterField(
                        model_name=modell,
                        name="pgh_context",
                        field=pghistory.utils.JSONField(null=True),
                    ),
                    migrations.AddField(
                        model_name=modell,
                        name="pgh_context_id",
                        field=models.UUIDField(null=True),
                    ),
                ],
                database_operations=[
                    migrations.RunSQL(
                        KONTEKST_I_RADEN.format(t=f"fravaer_{modell}"),
                        TILBAKE.format(t=f"fravaer_{modell}"),
                    )
                ],
            )
            for modell in ("fravaerevent", "permisjonssoknadevent", "registreringevent")
        ],
        pgtrigger.migrations.AddTrigger(
            model_name="fravaer",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "fravaer_fravaerevent" ("arsak", "dato", "elev_id", "endret", "gyldighet", "id", "meldt_av_foresatte", "meldt_maate", "meldt_tidspunkt", "minutter", "omfang", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "time") VALUES (NEW."arsak", NEW."dato", NEW."elev_id", NEW."endret", NEW."gyldighet", NEW."id", NEW."meldt_av_foresatte", NEW."meldt_maate", NEW."meldt_tidspunkt", NEW."minutter", NEW."omfang", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'insert\', NEW."id", NEW."registrert", NEW."registrert_av_id", NEW."time"); RETURN NULL;',
                    hash="0f7477f881215b223648c4c771f02e634954be05",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_fc940",
                    table="fravaer_fravaer",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="fravaer",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "fravaer_fravaerevent" ("arsak", "dato", "elev_id", "endret", "gyldighet", "id", "meldt_av_foresatte", "meldt_maate", "meldt_tidspunkt", "minutter", "omfang", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "time") VALUES (NEW."arsak", NEW."dato", NEW."elev_id", NEW."endret", NEW."gyldighet", NEW."id", NEW."meldt_av_foresatte", NEW."meldt_maate", NEW."meldt_tidspunkt", NEW."minutter", NEW."omfang", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'update\', NEW."id", NEW."registrert", NEW."registrert_av_id", NEW."time"); RETURN NULL;',
                    hash="ea7794140618fcff337674b4bfe72c376e0c629f",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_3c303",
                    table="fravaer_fravaer",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="fravaer",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "fravaer_fravaerevent" ("arsak", "dato", "elev_id", "endret", "gyldighet", "id", "meldt_av_foresatte", "meldt_maate", "meldt_tidspunkt", "minutter", "omfang", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "time") VALUES (OLD."arsak", OLD."dato", OLD."elev_id", OLD."endret", OLD."gyldighet", OLD."id", OLD."meldt_av_foresatte", OLD."meldt_maate", OLD."meldt_tidspunkt", OLD."minutter", OLD."omfang", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'delete\', OLD."id", OLD."registrert", OLD."registrert_av_id", OLD."time"); RETURN NULL;',
                    hash="8c4f9a9fcb07f749b9e208b6755dab2100c9a532",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_4622a",
                    table="fravaer_fravaer",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="fravaerevent",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="6261d1fece07c88952bf185f5d185b2d2394f682",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_cf9db",
                    table="fravaer_fravaerevent",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="permisjonssoknad",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "fravaer_permisjonssoknadevent" ("arsak", "behandlet", "behandlet_av_id", "elev_id", "fra", "id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "skoledager", "status", "til") VALUES (NEW."arsak", NEW."behandlet", NEW."behandlet_av_id", NEW."elev_id", NEW."fra", NEW."id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'insert\', NEW."id", NEW."registrert", NEW."registrert_av_id", NEW."skoledager", NEW."status", NEW."til"); RETURN NULL;',
                    hash="1ddba10a914a3e1d11e5071601936fdee332f4e0",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_d793c",
                    table="fravaer_permisjonssoknad",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="permisjonssoknad",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "fravaer_permisjonssoknadevent" ("arsak", "behandlet", "behandlet_av_id", "elev_id", "fra", "id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "skoledager", "status", "til") VALUES (NEW."arsak", NEW."behandlet", NEW."behandlet_av_id", NEW."elev_id", NEW."fra", NEW."id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'update\', NEW."id", NEW."registrert", NEW."registrert_av_id", NEW."skoledager", NEW."status", NEW."til"); RETURN NULL;',
                    hash="b09dddfe67d17247ac06fea5ede2fee348af1d45",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_db1d8",
                    table="fravaer_permisjonssoknad",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="permisjonssoknad",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "fravaer_permisjonssoknadevent" ("arsak", "behandlet", "behandlet_av_id", "elev_id", "fra", "id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "skoledager", "status", "til") VALUES (OLD."arsak", OLD."behandlet", OLD."behandlet_av_id", OLD."elev_id", OLD."fra", OLD."id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'delete\', OLD."id", OLD."registrert", OLD."registrert_av_id", OLD."skoledager", OLD."status", OLD."til"); RETURN NULL;',
                    hash="031d56646ad8e88d222424b4acd2c4a95ee9f0f2",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_5d445",
                    table="fravaer_permisjonssoknad",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="permisjonssoknadevent",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="15c2c9422dc649a49d89e94e9750cc6a9d6092b5",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_60490",
                    table="fravaer_permisjonssoknadevent",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="registrering",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "fravaer_registreringevent" ("bekreftet", "bekreftet_av_id", "dato", "faggruppe_id", "id", "klasse_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "time") VALUES (NEW."bekreftet", NEW."bekreftet_av_id", NEW."dato", NEW."faggruppe_id", NEW."id", NEW."klasse_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'insert\', NEW."id", NEW."time"); RETURN NULL;',
                    hash="935f97d201a5e44de9fe087ee18673b9e04f0277",
                    operation="INSERT",
                    pgid="pgtrigger_insert_insert_cfdf2",
                    table="fravaer_registrering",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="registrering",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.* IS DISTINCT FROM NEW.*)",
                    func='INSERT INTO "fravaer_registreringevent" ("bekreftet", "bekreftet_av_id", "dato", "faggruppe_id", "id", "klasse_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "time") VALUES (NEW."bekreftet", NEW."bekreftet_av_id", NEW."dato", NEW."faggruppe_id", NEW."id", NEW."klasse_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'update\', NEW."id", NEW."time"); RETURN NULL;',
                    hash="a11f9771f06fe17997a8ba747a3e2e1963bd4b78",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_a0618",
                    table="fravaer_registrering",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="registrering",
            trigger=pgtrigger.compiler.Trigger(
                name="delete_delete",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "fravaer_registreringevent" ("bekreftet", "bekreftet_av_id", "dato", "faggruppe_id", "id", "klasse_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "time") VALUES (OLD."bekreftet", OLD."bekreftet_av_id", OLD."dato", OLD."faggruppe_id", OLD."id", OLD."klasse_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'delete\', OLD."id", OLD."time"); RETURN NULL;',
                    hash="d63d012d40c46a329a296df48732f88fbc5fec8d",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_96814",
                    table="fravaer_registrering",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="registreringevent",
            trigger=pgtrigger.compiler.Trigger(
                name="append_only",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;",
                    hash="2d7e96a26bee9eb54600e55c3553382efe89ee3e",
                    operation="UPDATE OR DELETE",
                    pgid="pgtrigger_append_only_ff937",
                    table="fravaer_registreringevent",
                    when="BEFORE",
                ),
            ),
        ),
    ]
