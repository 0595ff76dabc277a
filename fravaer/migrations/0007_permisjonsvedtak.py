"""Leave comes only from a granted application (DESIGN §3), and a decision keeps its grounds.

Before the constraints: leave entries are linked to the granted application that covers
them; leave set by hand in a register, which no decision covers, becomes "ukjent" (to be
clarified) and stays in the history as it was. Decisions made before grounds were required
say so.
"""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("elever", "0005_kommune_eier_personer"),
        ("fravaer", "0006_historikk_kun_tillegg"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
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
        migrations.AddField(
            model_name="fravaer",
            name="permisjonssoknad",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="permisjonsdager",
                to="fravaer.permisjonssoknad",
                verbose_name="søknad om permisjon",
            ),
        ),
        migrations.AddField(
            model_name="fravaerevent",
            name="permisjonssoknad",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                related_query_name="+",
                to="fravaer.permisjonssoknad",
                verbose_name="søknad om permisjon",
            ),
        ),
        migrations.AddField(
            model_name="permisjonssoknad",
            name="begrunnelse",
            field=models.TextField(blank=True, verbose_name="begrunnelse"),
        ),
        migrations.AddField(
            model_name="permisjonssoknad",
            name="grunn_etter_start",
            field=models.TextField(blank=True, verbose_name="hvorfor innvilget etter start"),
        ),
        migrations.AddField(
            model_name="permisjonssoknadevent",
            name="begrunnelse",
            field=models.TextField(blank=True, verbose_name="begrunnelse"),
        ),
        migrations.AddField(
            model_name="permisjonssoknadevent",
            name="grunn_etter_start",
            field=models.TextField(blank=True, verbose_name="hvorfor innvilget etter start"),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="fravaer",
            trigger=pgtrigger.compiler.Trigger(
                name="permisjon_fra_innvilget_soknad",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (NEW."permisjonssoknad_id" IS NOT NULL)',
                    func="\n                    IF NOT EXISTS (\n                        SELECT 1 FROM fravaer_permisjonssoknad s\n                        WHERE s.id = NEW.permisjonssoknad_id AND s.elev_id = NEW.elev_id\n                          AND s.status = 'innvilget' AND NEW.dato BETWEEN s.fra AND s.til\n                    ) THEN\n                        RAISE EXCEPTION 'Permisjon kommer bare fra en innvilget søknad for '\n                            'eleven og dagen.' USING ERRCODE = 'check_violation';\n                    END IF;\n                    RETURN NEW;\n                ",
                    hash="89227d3b99727142b63b2160711003abcdac3b25",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_permisjon_fra_innvilget_soknad_603fd",
                    table="fravaer_fravaer",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="fravaer",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "fravaer_fravaerevent" ("arsak", "dato", "elev_id", "endret", "gyldighet", "id", "meldt_av_foresatte", "meldt_maate", "meldt_tidspunkt", "minutter", "omfang", "permisjonssoknad_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "time") VALUES (NEW."arsak", NEW."dato", NEW."elev_id", NEW."endret", NEW."gyldighet", NEW."id", NEW."meldt_av_foresatte", NEW."meldt_maate", NEW."meldt_tidspunkt", NEW."minutter", NEW."omfang", NEW."permisjonssoknad_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'insert\', NEW."id", NEW."registrert", NEW."registrert_av_id", NEW."time"); RETURN NULL;',
                    hash="0872ffa4c5b8b42992e34d53574d8f2aa6028f46",
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
                    func='INSERT INTO "fravaer_fravaerevent" ("arsak", "dato", "elev_id", "endret", "gyldighet", "id", "meldt_av_foresatte", "meldt_maate", "meldt_tidspunkt", "minutter", "omfang", "permisjonssoknad_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "time") VALUES (NEW."arsak", NEW."dato", NEW."elev_id", NEW."endret", NEW."gyldighet", NEW."id", NEW."meldt_av_foresatte", NEW."meldt_maate", NEW."meldt_tidspunkt", NEW."minutter", NEW."omfang", NEW."permisjonssoknad_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'update\', NEW."id", NEW."registrert", NEW."registrert_av_id", NEW."time"); RETURN NULL;',
                    hash="450b21892122ca770c60680f8373986903cd3cfa",
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
                    func='INSERT INTO "fravaer_fravaerevent" ("arsak", "dato", "elev_id", "endret", "gyldighet", "id", "meldt_av_foresatte", "meldt_maate", "meldt_tidspunkt", "minutter", "omfang", "permisjonssoknad_id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "time") VALUES (OLD."arsak", OLD."dato", OLD."elev_id", OLD."endret", OLD."gyldighet", OLD."id", OLD."meldt_av_foresatte", OLD."meldt_maate", OLD."meldt_tidspunkt", OLD."minutter", OLD."omfang", OLD."permisjonssoknad_id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'delete\', OLD."id", OLD."registrert", OLD."registrert_av_id", OLD."time"); RETURN NULL;',
                    hash="7697a62def3943eee84d193f35d72aef7610932c",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_4622a",
                    table="fravaer_fravaer",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="permisjonssoknad",
            trigger=pgtrigger.compiler.Trigger(
                name="insert_insert",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func='INSERT INTO "fravaer_permisjonssoknadevent" ("arsak", "begrunnelse", "behandlet", "behandlet_av_id", "elev_id", "fra", "grunn_etter_start", "id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "skoledager", "status", "til") VALUES (NEW."arsak", NEW."begrunnelse", NEW."behandlet", NEW."behandlet_av_id", NEW."elev_id", NEW."fra", NEW."grunn_etter_start", NEW."id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'insert\', NEW."id", NEW."registrert", NEW."registrert_av_id", NEW."skoledager", NEW."status", NEW."til"); RETURN NULL;',
                    hash="8037b723254d994e90b9b8549ad0e08d968bbbba",
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
                    func='INSERT INTO "fravaer_permisjonssoknadevent" ("arsak", "begrunnelse", "behandlet", "behandlet_av_id", "elev_id", "fra", "grunn_etter_start", "id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "skoledager", "status", "til") VALUES (NEW."arsak", NEW."begrunnelse", NEW."behandlet", NEW."behandlet_av_id", NEW."elev_id", NEW."fra", NEW."grunn_etter_start", NEW."id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'update\', NEW."id", NEW."registrert", NEW."registrert_av_id", NEW."skoledager", NEW."status", NEW."til"); RETURN NULL;',
                    hash="2925888519cb4a6504a1cda82541eefe53733b1a",
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
                    func='INSERT INTO "fravaer_permisjonssoknadevent" ("arsak", "begrunnelse", "behandlet", "behandlet_av_id", "elev_id", "fra", "grunn_etter_start", "id", "pgh_context", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "registrert", "registrert_av_id", "skoledager", "status", "til") VALUES (OLD."arsak", OLD."begrunnelse", OLD."behandlet", OLD."behandlet_av_id", OLD."elev_id", OLD."fra", OLD."grunn_etter_start", OLD."id", COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_metadata\', TRUE), \'\'), NULL)::JSONB, COALESCE(NULLIF(CURRENT_SETTING(\'pghistory.context_id\', TRUE), \'\'), NULL)::UUID, NOW(), \'delete\', OLD."id", OLD."registrert", OLD."registrert_av_id", OLD."skoledager", OLD."status", OLD."til"); RETURN NULL;',
                    hash="4dea5f4d6c57bd91d0e413dc7d86ac00d0ed29bd",
                    operation="DELETE",
                    pgid="pgtrigger_delete_delete_5d445",
                    table="fravaer_permisjonssoknad",
                    when="AFTER",
                ),
            ),
        ),
        migrations.RunSQL(
            sql=[
                """
                UPDATE fravaer_fravaer f SET permisjonssoknad_id = s.id
                FROM fravaer_permisjonssoknad s
                WHERE f.gyldighet = 'permisjon' AND f.omfang = 'hele_dagen'
                  AND f.permisjonssoknad_id IS NULL AND s.elev_id = f.elev_id
                  AND s.status = 'innvilget' AND f.dato BETWEEN s.fra AND s.til
                """,
                # Leave for single lessons inside a granted application: covered, so valid
                # absence (leave is whole days now); anything else set by hand is unknown.
                """
                UPDATE fravaer_fravaer f SET gyldighet = 'gyldig'
                FROM fravaer_permisjonssoknad s
                WHERE f.gyldighet = 'permisjon' AND f.permisjonssoknad_id IS NULL
                  AND s.elev_id = f.elev_id AND s.status = 'innvilget'
                  AND f.dato BETWEEN s.fra AND s.til
                """,
                """
                UPDATE fravaer_fravaer SET gyldighet = 'ukjent'
                WHERE gyldighet = 'permisjon' AND permisjonssoknad_id IS NULL
                """,
                # "Innvilget permisjon" as a reason is leave's alone.
                """
                UPDATE fravaer_fravaer SET arsak = 'permisjon'
                WHERE permisjonssoknad_id IS NOT NULL
                """,
                """
                UPDATE fravaer_fravaer SET arsak = ''
                WHERE arsak = 'permisjon' AND gyldighet <> 'permisjon'
                """,
                """
                UPDATE fravaer_permisjonssoknad
                SET begrunnelse = 'Ikke registrert: vedtatt før begrunnelse ble påkrevd.'
                WHERE status <> 'venter' AND begrunnelse !~ '\\S'
                """,
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name="fravaer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("arsak", "permisjon"),
                        ("gyldighet", "permisjon"),
                        ("omfang", "hele_dagen"),
                        ("permisjonssoknad__isnull", False),
                    ),
                    models.Q(
                        models.Q(("gyldighet", "permisjon"), _negated=True),
                        models.Q(("arsak", "permisjon"), _negated=True),
                        ("permisjonssoknad__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="fravaer_permisjon_fra_soknad",
                violation_error_message="Permisjon registreres bare ved å innvilge en søknad om permisjon.",
            ),
        ),
        migrations.AddConstraint(
            model_name="permisjonssoknad",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("begrunnelse", ""), ("grunn_etter_start", ""), ("status", "venter")),
                    models.Q(
                        models.Q(("status", "venter"), _negated=True), ("begrunnelse__regex", "\\S")
                    ),
                    _connector="OR",
                ),
                name="permisjon_vedtak_begrunnet",
                violation_error_message="Skriv begrunnelsen for vedtaket.",
            ),
        ),
    ]
