"""Absence entries and class-register confirmations (DESIGN §3).

The database refuses what can never be true: two entries for the same lesson, a whole-day
entry beside anything else that day, minutes on a whole day. Every change keeps history
through django-pghistory's triggers, which also catch bulk updates.
"""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from elever.models import Elev, Faggruppe, Klasse
from fravaer import regler


class Omfang(models.TextChoices):
    HELE_DAGEN = "hele_dagen", _("Hele dagen")
    TIME = "time", _("Timer")
    FOR_SENT = "for_sent", _("For sent")
    TILSTEDE = "tilstede", _("Til stede på skolen, men fraværende fra undervisning")


class Gyldighet(models.TextChoices):
    UKJENT = "ukjent", _("Ukjent")
    GYLDIG = "gyldig", _("Gyldig")
    UGYLDIG = "ugyldig", _("Ugyldig")
    PERMISJON = regler.PERMISJON, _("Permisjon")


class Arsak(models.TextChoices):
    """A fixed list, never free text: free text invites health details (DESIGN §8)."""

    SYKDOM = "sykdom", _("Sykdom")
    HELSETIME = "helsetime", _("Time hos lege, tannlege eller lignende")
    FAMILIE = "familie", _("Familiære forhold")
    PERMISJON = "permisjon", _("Innvilget permisjon")
    ANNET = "annet", _("Annet")


class Meldemaate(models.TextChoices):
    TELEFON = "telefon", _("Telefon")
    MELDING = "melding", _("Melding")
    EPOST = "epost", _("E-post")
    MUNTLIG = "muntlig", _("Muntlig")
    SKRIFTLIG = "skriftlig", _("Skriftlig")


# Away from all of the day's teaching: the whole day, or at school but in no lesson.
HEL_DAG = Q(omfang=Omfang.HELE_DAGEN) | Q(omfang=Omfang.TILSTEDE, time__isnull=True)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Fravaer(models.Model):
    """One absence: a whole day, one lesson, a late arrival, or present at school but not in
    the teaching (for a lesson, or the whole day when ``time`` is empty)."""

    elev = models.ForeignKey(
        Elev, on_delete=models.PROTECT, related_name="fravaer", verbose_name=_("elev")
    )
    dato = models.DateField(_("dato"))
    omfang = models.CharField(_("omfang"), max_length=12, choices=Omfang.choices)
    time = models.PositiveSmallIntegerField(_("time"), null=True, blank=True)
    minutter = models.PositiveSmallIntegerField(_("minutter"), null=True, blank=True)
    gyldighet = models.CharField(
        _("gyldighet"), max_length=10, choices=Gyldighet.choices, default=Gyldighet.UKJENT
    )
    arsak = models.CharField(_("årsak"), max_length=12, choices=Arsak.choices, blank=True)
    meldt_av_foresatte = models.BooleanField(_("meldt av foresatte"), default=False)
    meldt_tidspunkt = models.DateTimeField(_("meldt"), null=True, blank=True)
    meldt_maate = models.CharField(
        _("meldt via"), max_length=10, choices=Meldemaate.choices, blank=True
    )
    registrert_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registrert = models.DateTimeField(_("registrert"), auto_now_add=True)
    endret = models.DateTimeField(_("endret"), auto_now=True)
    # The granted application a leave day comes from; every leave day has one (DESIGN §3).
    permisjonssoknad = models.ForeignKey(
        "Permisjonssoknad",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="permisjonsdager",
        verbose_name=_("søknad om permisjon"),
    )

    class Meta:
        ordering = ["dato", "elev", "time"]
        verbose_name = _("fravær")
        verbose_name_plural = _("fravær")
        indexes = [models.Index(fields=["elev", "dato"], name="fravaer_elev_dato")]
        constraints = [
            models.CheckConstraint(
                name="fravaer_omfang_felt",
                condition=(
                    Q(omfang=Omfang.HELE_DAGEN, time__isnull=True, minutter__isnull=True)
                    | Q(omfang=Omfang.TIME, time__isnull=False, minutter__isnull=True)
                    | Q(omfang=Omfang.FOR_SENT, minutter__isnull=False, minutter__gt=0)
                    | Q(omfang=Omfang.TILSTEDE, minutter__isnull=True)
                ),
                violation_error_message=_(
                    "Hele dagen har verken time eller minutter, en time har et timenummer, "
                    "og for sent har minutter over 0."
                ),
            ),
            models.CheckConstraint(
                name="fravaer_time_1_12",
                condition=Q(time__isnull=True) | Q(time__gte=1, time__lte=12),
            ),
            models.CheckConstraint(
                name="fravaer_meldt_med_tidspunkt",
                condition=Q(meldt_av_foresatte=False) | Q(meldt_tidspunkt__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["elev", "dato", "omfang", "time"],
                nulls_distinct=False,
                name="fravaer_unik",
                violation_error_message=_("Dette fraværet er allerede registrert."),
            ),
            # A whole day (away, or at school but in no lesson) excludes every other entry for
            # the pupil that day, and there is at most one.
            ExclusionConstraint(
                name="fravaer_hel_dag_alene",
                expressions=[
                    ("elev", RangeOperators.EQUAL),
                    ("dato", RangeOperators.EQUAL),
                    (
                        models.ExpressionWrapper(HEL_DAG, output_field=models.BooleanField()),
                        RangeOperators.NOT_EQUAL,
                    ),
                ],
                violation_error_message=_(
                    "Eleven er registrert borte hele dagen; det kan ikke stå annet fravær samme "
                    "dag i tillegg."
                ),
            ),
            models.UniqueConstraint(
                fields=["elev", "dato"],
                condition=HEL_DAG,
                name="fravaer_en_hel_dag",
                violation_error_message=_(
                    "Eleven er registrert borte hele dagen; det kan ikke stå annet fravær samme "
                    "dag i tillegg."
                ),
            ),
            # Leave is a whole day from a granted application, and only that (the trigger
            # below checks the application itself).
            models.CheckConstraint(
                name="fravaer_permisjon_fra_soknad",
                condition=Q(
                    gyldighet=regler.PERMISJON,
                    arsak=regler.PERMISJON,
                    omfang=Omfang.HELE_DAGEN,
                    permisjonssoknad__isnull=False,
                )
                | (
                    ~Q(gyldighet=regler.PERMISJON)
                    & ~Q(arsak=regler.PERMISJON)
                    & Q(permisjonssoknad__isnull=True)
                ),
                violation_error_message=_(
                    "Permisjon registreres bare ved å innvilge en søknad om permisjon."
                ),
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="permisjon_fra_innvilget_soknad",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                condition=pgtrigger.Q(new__permisjonssoknad__isnull=False),
                func="""
                    IF NOT EXISTS (
                        SELECT 1 FROM fravaer_permisjonssoknad s
                        WHERE s.id = NEW.permisjonssoknad_id AND s.elev_id = NEW.elev_id
                          AND s.status = 'innvilget' AND NEW.dato BETWEEN s.fra AND s.til
                    ) THEN
                        RAISE EXCEPTION 'Permisjon kommer bare fra en innvilget søknad for '
                            'eleven og dagen.' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.elev} {self.dato:%d.%m.%Y} {self.get_omfang_display()}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Registrering(models.Model):
    """A class (or a teaching group's lesson) confirmed as registered for a date, even with
    nobody absent; leadership sees the classes that are not."""

    klasse = models.ForeignKey(
        Klasse, on_delete=models.CASCADE, null=True, blank=True, related_name="registreringer"
    )
    faggruppe = models.ForeignKey(
        Faggruppe, on_delete=models.CASCADE, null=True, blank=True, related_name="registreringer"
    )
    time = models.PositiveSmallIntegerField(null=True, blank=True)
    dato = models.DateField(_("dato"))
    bekreftet_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    bekreftet = models.DateTimeField(_("bekreftet"), auto_now=True)

    class Meta:
        verbose_name = _("bekreftet registrering")
        verbose_name_plural = _("bekreftede registreringer")
        constraints = [
            models.CheckConstraint(
                name="registrering_klasse_eller_time",
                condition=Q(klasse__isnull=False, faggruppe__isnull=True, time__isnull=True)
                | Q(klasse__isnull=True, faggruppe__isnull=False, time__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["klasse", "faggruppe", "time", "dato"],
                nulls_distinct=False,
                name="registrering_unik",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.klasse or self.faggruppe} {self.dato:%d.%m.%Y}"


class Permisjonsarsak(models.TextChoices):
    """A fixed list: leave reasons are no place for health details either (DESIGN §8)."""

    REISE = "reise", _("Reise eller familiebesøk")
    HOYTID = "hoytid", _("Religiøs høytid")
    IDRETT_KULTUR = "idrett_kultur", _("Idrett, kultur eller konkurranse")
    FAMILIEHENDELSE = "familiehendelse", _("Bryllup, begravelse eller annen familiehendelse")
    ANNET = "annet", _("Annet")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Permisjonssoknad(models.Model):
    """A guardian's application for leave (opplæringslova § 2-2 fourth paragraph), registered
    by staff until the parent portal exists. Granting it creates ``permisjon`` entries for
    its school days. The answer is an enkeltvedtak: it keeps its grounds, who decided and
    when, and why leave was granted after it had started."""

    class Status(models.TextChoices):
        VENTER = "venter", _("Venter på svar")
        INNVILGET = "innvilget", _("Innvilget")
        AVSLATT = "avslatt", _("Avslått")

    elev = models.ForeignKey(
        Elev, on_delete=models.PROTECT, related_name="permisjonssoknader", verbose_name=_("elev")
    )
    fra = models.DateField(_("fra og med"))
    til = models.DateField(_("til og med"))
    arsak = models.CharField(_("årsak"), max_length=20, choices=Permisjonsarsak.choices)
    skoledager = models.PositiveSmallIntegerField(_("skoledager"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VENTER
    )
    registrert_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registrert = models.DateTimeField(_("registrert"), auto_now_add=True)
    behandlet_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    behandlet = models.DateTimeField(_("behandlet"), null=True, blank=True)
    begrunnelse = models.TextField(_("begrunnelse"), blank=True)
    grunn_etter_start = models.TextField(_("hvorfor innvilget etter start"), blank=True)

    class Meta:
        ordering = ["-fra"]
        verbose_name = _("søknad om permisjon")
        verbose_name_plural = _("søknader om permisjon")
        constraints = [
            models.CheckConstraint(
                name="permisjon_periode",
                condition=Q(til__gte=models.F("fra")),
                violation_error_message=_("Sluttdatoen kan ikke være før startdatoen."),
            ),
            models.CheckConstraint(
                name="permisjon_behandlet",
                condition=Q(status="venter", behandlet__isnull=True)
                | Q(~Q(status="venter"), behandlet__isnull=False, behandlet_av__isnull=False),
            ),
            models.CheckConstraint(
                name="permisjon_vedtak_begrunnet",
                condition=Q(status="venter", begrunnelse="", grunn_etter_start="")
                | (~Q(status="venter") & Q(begrunnelse__regex=r"\S")),
                violation_error_message=_("Skriv begrunnelsen for vedtaket."),
            ),
        ]
        triggers = [
            # A decision stands as made: changed afterwards, its leave days and the pupil's
            # year total would no longer agree with it. (Deleting it is the history's and
            # the leave days' PROTECT's business.)
            pgtrigger.Trigger(
                name="vedtak_staar",
                when=pgtrigger.Before,
                operation=pgtrigger.Update,
                condition=pgtrigger.Condition(
                    "(OLD.status <> 'venter' AND (OLD.elev_id, OLD.fra, OLD.til, OLD.arsak, "
                    "OLD.status, OLD.behandlet_av_id, OLD.behandlet, OLD.begrunnelse, "
                    "OLD.grunn_etter_start) IS DISTINCT FROM (NEW.elev_id, NEW.fra, NEW.til, "
                    "NEW.arsak, NEW.status, NEW.behandlet_av_id, NEW.behandlet, "
                    "NEW.begrunnelse, NEW.grunn_etter_start))"
                ),
                func="""
                    RAISE EXCEPTION 'Et vedtak om permisjon kan ikke endres.'
                        USING ERRCODE = 'check_violation';
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.elev} {self.periode}"

    @property
    def periode(self) -> str:
        """ "07.12.2026", or "07.12.2026–11.12.2026"."""
        if self.fra == self.til:
            return f"{self.fra:%d.%m.%Y}"
        return f"{self.fra:%d.%m.%Y}–{self.til:%d.%m.%Y}"


class Fravaeropplasting(models.Model):
    """An uploaded absence file waiting for confirmation, then a record of what it wrote.
    The file itself is deleted once imported or abandoned, as with the roster imports."""

    lastet_opp_av = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filnavn = models.CharField(max_length=255)
    innhold = models.BinaryField(editable=False)
    opprettet = models.DateTimeField(auto_now_add=True)
    importert = models.DateTimeField(null=True, blank=True)
    resultat = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-opprettet"]
        verbose_name = _("opplastet fraværsfil")
        verbose_name_plural = _("opplastede fraværsfiler")

    def __str__(self) -> str:
        return self.filnavn
