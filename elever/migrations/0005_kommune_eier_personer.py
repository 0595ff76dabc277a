"""Each kommune owns its pupils, guardians and staff accounts (DESIGN §10).

Existing rows get the kommune of the schools they belong to. A guardian of children in two
kommuner becomes one record per kommune (the copies keep the same data, the links of each
kommune move to its copy). A pupil enrolled in two kommuner, or an account with roles in
two, cannot be split automatically: the migration stops and names them, so the operator
decides (an account is then one per kommune).
"""

from collections import defaultdict

import django.core.validators
import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


def _fyll_kommune(apps, schema_editor):
    Elev = apps.get_model("elever", "Elev")
    Foresatt = apps.get_model("elever", "Foresatt")
    Foresattrelasjon = apps.get_model("elever", "Foresattrelasjon")
    Kildekobling = apps.get_model("elever", "Kildekobling")
    Skolemedlemskap = apps.get_model("elever", "Skolemedlemskap")
    Rolletildeling = apps.get_model("elever", "Rolletildeling")
    User = apps.get_model("elever", "User")

    elevens = defaultdict(set)
    for elev_id, kommune_id in Skolemedlemskap.objects.values_list("elev_id", "skole__kommune_id"):
        elevens[elev_id].add(kommune_id)
    for elev_id, kommune_id in Kildekobling.objects.filter(elev__isnull=False).values_list(
        "elev_id", "skole__kommune_id"
    ):
        elevens[elev_id].add(kommune_id)
    uten = list(Elev.objects.exclude(pk__in=list(elevens)).values_list("pk", flat=True))
    flere = [e for e, k in elevens.items() if len(k) > 1]
    if uten or flere:
        raise RuntimeError(
            f"Elever uten skole: {uten}; elever i flere kommuner: {flere}. Del dem i én elev "
            "per kommune før migreringen."
        )
    for elev_id, (kommune_id,) in elevens.items():
        Elev.objects.filter(pk=elev_id).update(kommune_id=kommune_id)

    for foresatt in Foresatt.objects.all():
        relasjoner = list(Foresattrelasjon.objects.filter(foresatt=foresatt).select_related("elev"))
        kommuner = sorted({r.elev.kommune_id for r in relasjoner}) or sorted(
            set(
                Kildekobling.objects.filter(foresatt=foresatt).values_list(
                    "skole__kommune_id", flat=True
                )
            )
        )
        if not kommuner:
            raise RuntimeError(f"Foresatt {foresatt.pk} hører ikke til noen kommune.")
        foresatt.kommune_id = kommuner[0]
        foresatt.save(update_fields=["kommune"])
        for kommune_id in kommuner[1:]:
            kopi = Foresatt.objects.get(pk=foresatt.pk)
            kopi.pk = None
            kopi.kommune_id = kommune_id
            kopi.save()
            Foresattrelasjon.objects.filter(foresatt=foresatt, elev__kommune_id=kommune_id).update(
                foresatt=kopi
            )
            Kildekobling.objects.filter(foresatt=foresatt, skole__kommune_id=kommune_id).update(
                foresatt=kopi
            )

    roller = defaultdict(set)
    for t in Rolletildeling.objects.select_related("skole", "klasse__skole", "faggruppe__skole"):
        omfang = t.kommune_id or (
            t.skole.kommune_id
            if t.skole_id
            else t.klasse.skole.kommune_id
            if t.klasse_id
            else t.faggruppe.skole.kommune_id
        )
        roller[t.bruker_id].add(omfang)
    for bruker_id, kommune_id in Kildekobling.objects.filter(ansatt__isnull=False).values_list(
        "ansatt_id", "skole__kommune_id"
    ):
        roller[bruker_id].add(kommune_id)
    flere = [b for b, k in roller.items() if len(k) > 1]
    if flere:
        raise RuntimeError(
            f"Brukere med roller i flere kommuner: {flere}. Gi dem én konto per kommune før "
            "migreringen."
        )
    for bruker_id, (kommune_id,) in roller.items():
        User.objects.filter(pk=bruker_id).update(kommune_id=kommune_id)


class Migration(migrations.Migration):
    dependencies = [
        ("elever", "0004_organisasjonsversjon"),
    ]

    operations = [
        migrations.AddField(
            model_name="elev",
            name="kommune",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="elever",
                to="elever.kommune",
                verbose_name="kommune",
            ),
        ),
        migrations.AddField(
            model_name="foresatt",
            name="kommune",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="foresatte",
                to="elever.kommune",
                verbose_name="kommune",
            ),
        ),
        migrations.AddField(
            model_name="kommune",
            name="permisjon_kontaktlaerer_dager",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="Hvor mange skoledager permisjon i skoleåret kontaktlæreren kan innvilge.",
                verbose_name="kontaktlærer kan innvilge (skoledager)",
            ),
        ),
        migrations.AddField(
            model_name="kommune",
            name="permisjon_maks_dager",
            field=models.PositiveSmallIntegerField(
                default=10,
                help_text="Mest permisjon en elev kan få innvilget i et skoleår; rektor innvilger.",
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="permisjon per skoleår (skoledager)",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="innloggingsgenerasjon",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="user",
            name="kommune",
            field=models.ForeignKey(
                blank=True,
                help_text="Kommunen kontoen hører til. Tom bare for driftsansvarlige.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="brukere",
                to="elever.kommune",
                verbose_name="kommune",
            ),
        ),
        # The global uniqueness of fødselsnumre goes before guardians are split per kommune.
        migrations.AlterField(
            model_name="elev",
            name="fodselsnummer",
            field=models.CharField(
                blank=True,
                max_length=11,
                null=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\d{11}$", "Et fødselsnummer har 11 sifre."
                    )
                ],
                verbose_name="fødselsnummer",
            ),
        ),
        migrations.AlterField(
            model_name="foresatt",
            name="fodselsnummer",
            field=models.CharField(
                blank=True,
                help_text="Brukes til å kjenne igjen foresatte som logger inn med ID-porten.",
                max_length=11,
                null=True,
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\d{11}$", "Et fødselsnummer har 11 sifre."
                    )
                ],
                verbose_name="fødselsnummer",
            ),
        ),
        migrations.RunPython(_fyll_kommune, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="elev",
            name="kommune",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="elever",
                to="elever.kommune",
                verbose_name="kommune",
            ),
        ),
        migrations.AlterField(
            model_name="foresatt",
            name="kommune",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="foresatte",
                to="elever.kommune",
                verbose_name="kommune",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="elev",
            trigger=pgtrigger.compiler.Trigger(
                name="elev_fast_kommune",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."kommune_id" IS DISTINCT FROM (NEW."kommune_id"))',
                    func="\n            RAISE EXCEPTION 'En person kan ikke flyttes til en annen kommune (%).', TG_TABLE_NAME\n                USING ERRCODE = 'check_violation';\n        ",
                    hash="237ce5e66f5bf715830c8da1ba7e4f49a8cddcf9",
                    operation="UPDATE",
                    pgid="pgtrigger_elev_fast_kommune_7ad29",
                    table="elever_elev",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="faggruppemedlemskap",
            trigger=pgtrigger.compiler.Trigger(
                name="faggruppemedlemskap_kommune",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\n            IF ((SELECT kommune_id FROM elever_elev WHERE id = NEW.elev_id)) IS DISTINCT FROM ((SELECT s.kommune_id FROM elever_faggruppe g JOIN elever_skole s ON s.id = g.skole_id WHERE g.id = NEW.faggruppe_id)) THEN\n                RAISE EXCEPTION 'Raden kobler sammen to kommuner (%).', TG_TABLE_NAME\n                    USING ERRCODE = 'check_violation';\n            END IF;\n            RETURN NEW;\n        ",
                    hash="e7690fbfb1d9b4b208dea91759314992cbcae5cb",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_faggruppemedlemskap_kommune_e6adc",
                    table="elever_faggruppemedlemskap",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="foresatt",
            trigger=pgtrigger.compiler.Trigger(
                name="foresatt_fast_kommune",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."kommune_id" IS DISTINCT FROM (NEW."kommune_id"))',
                    func="\n            RAISE EXCEPTION 'En person kan ikke flyttes til en annen kommune (%).', TG_TABLE_NAME\n                USING ERRCODE = 'check_violation';\n        ",
                    hash="0287c4766ec31be90628500f112ed1a89862f12f",
                    operation="UPDATE",
                    pgid="pgtrigger_foresatt_fast_kommune_2fcbf",
                    table="elever_foresatt",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="foresattrelasjon",
            trigger=pgtrigger.compiler.Trigger(
                name="foresattrelasjon_kommune",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\n            IF ((SELECT kommune_id FROM elever_elev WHERE id = NEW.elev_id)) IS DISTINCT FROM ((SELECT kommune_id FROM elever_foresatt WHERE id = NEW.foresatt_id)) THEN\n                RAISE EXCEPTION 'Raden kobler sammen to kommuner (%).', TG_TABLE_NAME\n                    USING ERRCODE = 'check_violation';\n            END IF;\n            RETURN NEW;\n        ",
                    hash="5df764c764aba3364df0573e655d969b0323c317",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_foresattrelasjon_kommune_b1f10",
                    table="elever_foresattrelasjon",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="kildekobling",
            trigger=pgtrigger.compiler.Trigger(
                name="kildekobling_kommune",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\n            IF ((SELECT kommune_id FROM elever_skole WHERE id = NEW.skole_id)) IS DISTINCT FROM (COALESCE((SELECT kommune_id FROM elever_elev WHERE id = NEW.elev_id), (SELECT kommune_id FROM elever_foresatt WHERE id = NEW.foresatt_id), (SELECT kommune_id FROM elever_user WHERE id = NEW.ansatt_id))) THEN\n                RAISE EXCEPTION 'Raden kobler sammen to kommuner (%).', TG_TABLE_NAME\n                    USING ERRCODE = 'check_violation';\n            END IF;\n            RETURN NEW;\n        ",
                    hash="b197017d92e03c9d1f0567956603b21d85007577",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_kildekobling_kommune_1fca2",
                    table="elever_kildekobling",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="klassemedlemskap",
            trigger=pgtrigger.compiler.Trigger(
                name="klassemedlemskap_kommune",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\n            IF ((SELECT kommune_id FROM elever_elev WHERE id = NEW.elev_id)) IS DISTINCT FROM ((SELECT s.kommune_id FROM elever_klasse k JOIN elever_skole s ON s.id = k.skole_id WHERE k.id = NEW.klasse_id)) THEN\n                RAISE EXCEPTION 'Raden kobler sammen to kommuner (%).', TG_TABLE_NAME\n                    USING ERRCODE = 'check_violation';\n            END IF;\n            RETURN NEW;\n        ",
                    hash="d4ed3746d3fbcbd3a34a5701fd8b4bd95aa65f4e",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_klassemedlemskap_kommune_01811",
                    table="elever_klassemedlemskap",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="rolletildeling",
            trigger=pgtrigger.compiler.Trigger(
                name="rolletildeling_kommune",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\n            IF ((SELECT kommune_id FROM elever_user WHERE id = NEW.bruker_id)) IS DISTINCT FROM (COALESCE(NEW.kommune_id, (SELECT kommune_id FROM elever_skole WHERE id = NEW.skole_id), (SELECT s.kommune_id FROM elever_klasse k JOIN elever_skole s ON s.id = k.skole_id WHERE k.id = NEW.klasse_id), (SELECT s.kommune_id FROM elever_faggruppe g JOIN elever_skole s ON s.id = g.skole_id WHERE g.id = NEW.faggruppe_id))) THEN\n                RAISE EXCEPTION 'Raden kobler sammen to kommuner (%).', TG_TABLE_NAME\n                    USING ERRCODE = 'check_violation';\n            END IF;\n            RETURN NEW;\n        ",
                    hash="c9452b4111357f6bbf461e59a5441521a03a1a2c",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_rolletildeling_kommune_d8a78",
                    table="elever_rolletildeling",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="skolemedlemskap",
            trigger=pgtrigger.compiler.Trigger(
                name="skolemedlemskap_kommune",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\n            IF ((SELECT kommune_id FROM elever_elev WHERE id = NEW.elev_id)) IS DISTINCT FROM ((SELECT kommune_id FROM elever_skole WHERE id = NEW.skole_id)) THEN\n                RAISE EXCEPTION 'Raden kobler sammen to kommuner (%).', TG_TABLE_NAME\n                    USING ERRCODE = 'check_violation';\n            END IF;\n            RETURN NEW;\n        ",
                    hash="eabfdc302d31e39b49ac512d61c773584d98cbaf",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_skolemedlemskap_kommune_6d166",
                    table="elever_skolemedlemskap",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="user",
            trigger=pgtrigger.compiler.Trigger(
                name="deaktivering_avslutter_okter",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (NEW."is_active" = false AND OLD."is_active" = true)',
                    func="NEW.innloggingsgenerasjon := OLD.innloggingsgenerasjon + 1; RETURN NEW;",
                    hash="1d575d398ff3f339f98da38d6f718159490f9024",
                    operation="UPDATE",
                    pgid="pgtrigger_deaktivering_avslutter_okter_666aa",
                    table="elever_user",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="user",
            trigger=pgtrigger.compiler.Trigger(
                name="kommune_fast_med_roller",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."kommune_id" IS DISTINCT FROM (NEW."kommune_id"))',
                    func="\n                    IF EXISTS (SELECT 1 FROM elever_rolletildeling WHERE bruker_id = NEW.id)\n                    THEN\n                        RAISE EXCEPTION 'En bruker med roller kan ikke bytte kommune.'\n                            USING ERRCODE = 'check_violation';\n                    END IF;\n                    RETURN NEW;\n                ",
                    hash="0dfc2b3be9c3d7b92c13f44df3b68e56a71bad2e",
                    operation="UPDATE",
                    pgid="pgtrigger_kommune_fast_med_roller_63efc",
                    table="elever_user",
                    when="BEFORE",
                ),
            ),
        ),
        migrations.AddConstraint(
            model_name="elev",
            constraint=models.UniqueConstraint(
                fields=("kommune", "fodselsnummer"),
                name="elev_unikt_fnr_i_kommunen",
                violation_error_message="Det finnes allerede en elev med dette fødselsnummeret.",
            ),
        ),
        migrations.AddConstraint(
            model_name="foresatt",
            constraint=models.UniqueConstraint(
                fields=("kommune", "fodselsnummer"),
                name="foresatt_unikt_fnr_i_kommunen",
                violation_error_message="Det finnes allerede en foresatt med dette fødselsnummeret.",
            ),
        ),
        migrations.AddConstraint(
            model_name="kommune",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("permisjon_maks_dager__gte", 1),
                    ("permisjon_kontaktlaerer_dager__lte", models.F("permisjon_maks_dager")),
                ),
                name="kommune_permisjonsgrenser",
                violation_error_message="Kontaktlæreren kan ikke innvilge mer permisjon enn kommunens grense.",
            ),
        ),
    ]
