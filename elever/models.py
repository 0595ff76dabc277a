"""Organisation and people: kommune, skole, skoleår, klasse, faggruppe, elev, foresatt, ansatt
with role assignments, the school calendar and the timetable.

The database holds what must always be true (DESIGN §2): unique fødselsnummer, one school
and one class at a time per pupil (exclusion constraints over date ranges), a role scoped to
exactly the kind of object it belongs to. Writes go through ``elever.services``.

Every table of domain data is marked ``@pghistory.track()`` and keeps every insert, update and
delete, with who and from which page or command, in append-only event tables (settings
``PGHISTORY_*``, docs/privacy.md); triggers, so bulk writes and imports are kept too. Not
tracked: an import's uploaded file (``Skoleimport``, deleted once used) and the read log
(itself append-only).
"""

import datetime

import pghistory
import pgtrigger
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from elever import adressevern, fodselsnummer
from elever import kommunegrense as grense
from elever.leselogg import Lesing  # noqa: F401 – the read log's table, in its own module

ELLEVE_SIFRE = RegexValidator(r"^\d{11}$", _("Et fødselsnummer har 11 sifre."))
NI_SIFRE = RegexValidator(r"^\d{9}$", _("Et organisasjonsnummer har 9 sifre."))
DOMENE = RegexValidator(
    r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$",
    _("Skriv et domene som fjordvik.kommune.no, uten @ og med små bokstaver."),
)


class DateRange(models.Func):
    """PostgreSQL ``daterange(fra, til, '[]')``: both ends inclusive, an open end unbounded."""

    function = "DATERANGE"
    output_field = DateRangeField()

    def __init__(self, fra, til):
        super().__init__(fra, til, RangeBoundary(inclusive_lower=True, inclusive_upper=True))


def ikke_overlappende(navn: str, *felt: str) -> ExclusionConstraint:
    """No two rows with the same ``felt`` whose periods (fra–til) overlap."""
    return ExclusionConstraint(
        name=navn,
        expressions=[*((f, RangeOperators.EQUAL) for f in felt), (DateRange("fra", "til"), "&&")],
        violation_error_message=_("Perioden overlapper en annen periode for samme elev."),
    )


def periode_gyldig(navn: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=navn,
        condition=Q(til__isnull=True) | Q(til__gte=F("fra")),
        violation_error_message=_("Sluttdatoen kan ikke være før startdatoen."),
    )


def brukernavn_nokkel(navn: str) -> str:
    """A username as accounts are told apart, whatever its case: ``Kari@…`` is ``kari@…``.
    Lowered here, in Python, for the login and the lockout alike: a letter PostgreSQL lowers
    otherwise than Python (``İ``) must not reach an account past its lock."""
    return navn.lower()


class Brukermanager(UserManager):
    def get_by_natural_key(self, username):
        """Usernames are unique regardless of case: ``Kari@…`` logs in as ``kari@…``."""
        return self.alias(brukernavn_sm=Lower("username")).get(
            brukernavn_sm=brukernavn_nokkel(username)
        )


# Not the password hash, nor the time of the last login (which changes at every login and is
# no change of the account): an update of only those writes no event.
@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    """Everyone who logs in: staff now, guardians (ID-porten) later. What a user may see and
    do comes from role assignments (``Rolletildeling``), never from this row alone.

    An account belongs to one kommune (DESIGN §10): the one whose administrator or import
    created it, or that the operator assigned. Only accounts without a kommune — the
    operator's — span kommuner, and they hold no roles."""

    kommune = models.ForeignKey(
        "Kommune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="brukere",
        verbose_name=_("kommune"),
        help_text=_("Kommunen kontoen hører til. Tom bare for driftsansvarlige."),
    )
    innloggingsgenerasjon = models.PositiveIntegerField(default=0, editable=False)

    objects = Brukermanager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="bruker_unikt_brukernavn",
                violation_error_message=_("Det finnes allerede en bruker med dette brukernavnet."),
            ),
        ]
        triggers = [
            # Deactivating an account ends its sessions for good: the session hash includes
            # this number, so reactivating the account does not bring old sessions back.
            pgtrigger.Trigger(
                name="deaktivering_avslutter_okter",
                when=pgtrigger.Before,
                operation=pgtrigger.Update,
                # Only the database moves the number: a save of a copy read before the
                # deactivation cannot write the old number back.
                func="""
                    NEW.innloggingsgenerasjon := OLD.innloggingsgenerasjon
                        + (OLD.is_active AND NOT NEW.is_active)::int;
                    RETURN NEW;
                """,
            ),
            # Roles lie in the account's kommune (Rolletildeling's trigger); moving an
            # account that holds roles would carry them across.
            pgtrigger.Trigger(
                name="kommune_fast_med_roller",
                when=pgtrigger.Before,
                operation=pgtrigger.Update,
                condition=pgtrigger.Q(old__kommune__df=pgtrigger.F("new__kommune")),
                func="""
                    IF EXISTS (SELECT 1 FROM elever_rolletildeling WHERE bruker_id = NEW.id)
                    THEN
                        RAISE EXCEPTION 'En bruker med roller kan ikke bytte kommune.'
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                """,
            ),
            grense.brukernavn_i_egen_kommune("brukernavn_i_domenets_kommune"),
        ]

    def get_session_auth_hash(self) -> str:
        """Django's hash of the password, salted with the deactivation count."""
        return f"{super().get_session_auth_hash()}:{self.innloggingsgenerasjon}"

    def get_session_auth_fallback_hash(self):
        """The same for each old secret key, so rotating the key logs nobody out."""
        for hash_ in super().get_session_auth_fallback_hash():
            yield f"{hash_}:{self.innloggingsgenerasjon}"

    @property
    def rolletekst(self) -> str:
        """The roles named in the page header, most senior first; read from the roles the
        access rules already loaded for this request."""
        from elever.tilgang import roller  # here, because tilgang imports this module

        mine = roller(self)
        navn = [str(label) for verdi, label in Rolle.choices if getattr(mine, verdi)]
        if navn:
            return ", ".join(navn)
        if self.is_superuser:
            return str(_("Driftsansvarlig"))
        return str(_("Ansatt"))


@pghistory.track()
class Kommune(models.Model):
    navn = models.CharField(_("navn"), max_length=100)
    kommunenummer = models.CharField(
        _("kommunenummer"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Et kommunenummer har 4 sifre."))],
    )
    organisasjonsnummer = models.CharField(
        _("organisasjonsnummer"), max_length=9, unique=True, validators=[NI_SIFRE]
    )
    # Leave under the kommune's own forskrift (opplæringslova § 2-2 fourth paragraph).
    permisjon_kontaktlaerer_dager = models.PositiveSmallIntegerField(
        _("kontaktlærer kan innvilge (skoledager)"),
        default=1,
        help_text=_("Hvor mange skoledager permisjon i skoleåret kontaktlæreren kan innvilge."),
    )
    permisjon_maks_dager = models.PositiveSmallIntegerField(
        _("permisjon per skoleår (skoledager)"),
        default=10,
        validators=[MinValueValidator(1)],
        help_text=_("Mest permisjon en elev kan få innvilget i et skoleår; rektor innvilger."),
    )

    class Meta:
        ordering = ["navn"]
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        constraints = [
            models.CheckConstraint(
                name="kommune_permisjonsgrenser",
                condition=Q(permisjon_maks_dager__gte=1)
                & Q(permisjon_kontaktlaerer_dager__lte=F("permisjon_maks_dager")),
                violation_error_message=_(
                    "Kontaktlæreren kan ikke innvilge mer permisjon enn kommunens grense."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.navn


@pghistory.track()
class Brukernavndomene(models.Model):
    """A domain (Feide realm) whose usernames, ``navn@domene``, belong to one kommune: its
    administrator and imports may only use names in it, and the database gives no account
    of another kommune (nor the operator) a name in it (``elever.kommunegrense``)."""

    kommune = models.ForeignKey(
        Kommune,
        on_delete=models.CASCADE,
        related_name="brukernavndomener",
        verbose_name=_("kommune"),
    )
    domene = models.CharField(
        _("domene"),
        max_length=253,
        unique=True,
        validators=[DOMENE],
        help_text=_("Feide-realm eller e-postdomene, for eksempel fjordvik.kommune.no."),
    )

    class Meta:
        ordering = ["domene"]
        verbose_name = _("brukernavndomene")
        verbose_name_plural = _("brukernavndomener")
        constraints = [
            models.CheckConstraint(
                name="brukernavndomene_sma_bokstaver",
                condition=Q(domene=Lower("domene")),
                violation_error_message=_("Skriv domenet med små bokstaver."),
            ),
        ]
        triggers = [grense.domene_uten_andres_brukere("domene_uten_andre_kommuners_brukere")]

    def __str__(self) -> str:
        return self.domene


@pghistory.track()
class Skole(models.Model):
    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="skoler", verbose_name=_("kommune")
    )
    navn = models.CharField(_("navn"), max_length=150)
    organisasjonsnummer = models.CharField(
        _("organisasjonsnummer"), max_length=9, unique=True, validators=[NI_SIFRE]
    )
    kilde_id = models.CharField(
        _("kilde-id"), max_length=255, blank=True, help_text=_("Skolens id i importfilene.")
    )

    class Meta:
        ordering = ["navn"]
        verbose_name = _("skole")
        verbose_name_plural = _("skoler")
        constraints = [
            models.UniqueConstraint(fields=["kommune", "navn"], name="skole_unikt_navn"),
        ]
        triggers = [grense.i_samme_kommune("skole_fast_kommune", "kommune")]

    def __str__(self) -> str:
        return self.navn


@pghistory.track()
class Skolear(models.Model):
    """A school year (1 August – 31 July) of a kommune, with its first and last school day."""

    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="skolear", verbose_name=_("kommune")
    )
    start = models.DateField(_("start"))
    slutt = models.DateField(_("slutt"))
    forste_skoledag = models.DateField(_("første skoledag"))
    siste_skoledag = models.DateField(_("siste skoledag"))

    class Meta:
        ordering = ["kommune", "-start"]
        verbose_name = _("skoleår")
        verbose_name_plural = _("skoleår")
        constraints = [
            models.UniqueConstraint(fields=["kommune", "start"], name="skolear_unik_start"),
            models.CheckConstraint(
                name="skolear_skoledager_innenfor",
                condition=Q(start__lte=F("forste_skoledag"))
                & Q(forste_skoledag__lte=F("siste_skoledag"))
                & Q(siste_skoledag__lte=F("slutt")),
                violation_error_message=_(
                    "Første og siste skoledag må ligge i skoleåret, og første før siste."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.navn

    @property
    def navn(self) -> str:
        return f"{self.start.year}/{self.start.year + 1}"

    @staticmethod
    def grenser(startaar: int) -> tuple[datetime.date, datetime.date]:
        return datetime.date(startaar, 8, 1), datetime.date(startaar + 1, 7, 31)


@pghistory.track()
class Termin(models.Model):
    class Navn(models.TextChoices):
        HOST = "host", _("Høst")
        VAR = "var", _("Vår")

    skolear = models.ForeignKey(
        Skolear, on_delete=models.CASCADE, related_name="terminer", verbose_name=_("skoleår")
    )
    navn = models.CharField(_("termin"), max_length=4, choices=Navn.choices)
    start = models.DateField(_("start"))
    slutt = models.DateField(_("slutt"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("termin")
        verbose_name_plural = _("terminer")
        constraints = [
            models.UniqueConstraint(fields=["skolear", "navn"], name="termin_unik"),
            models.CheckConstraint(name="termin_periode", condition=Q(start__lte=F("slutt"))),
        ]

    def __str__(self) -> str:
        return f"{self.get_navn_display()} {self.start.year}"


@pghistory.track()
class Skoleruteunntak(models.Model):
    """A day or period that departs from "Monday–Friday between first and last school day,
    except public holidays": holidays, planning days, other days off, or an extra school day
    (e.g. a Saturday). Without ``skole`` it applies to every school of the kommune."""

    class Type(models.TextChoices):
        FERIE = "ferie", _("Ferie")
        PLANLEGGINGSDAG = "planleggingsdag", _("Planleggingsdag")
        FRIDAG = "fridag", _("Fridag")
        SKOLEDAG = "skoledag", _("Ekstra skoledag")

    kommune = models.ForeignKey(
        Kommune, on_delete=models.CASCADE, related_name="skoleruteunntak", verbose_name=_("kommune")
    )
    skole = models.ForeignKey(
        Skole,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="skoleruteunntak",
        verbose_name=_("skole"),
        help_text=_("Tom: gjelder alle skolene i kommunen."),
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    navn = models.CharField(_("navn"), max_length=100, help_text=_("For eksempel «Høstferie»."))
    fra = models.DateField(_("fra og med"))
    til = models.DateField(_("til og med"))

    class Meta:
        ordering = ["fra", "skole"]
        verbose_name = _("unntak i skoleruten")
        verbose_name_plural = _("unntak i skoleruten")
        constraints = [
            models.CheckConstraint(
                name="skoleruteunntak_periode",
                condition=Q(til__gte=F("fra")),
                violation_error_message=_("Sluttdatoen kan ikke være før startdatoen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.navn} ({self.fra:%d.%m.%Y}–{self.til:%d.%m.%Y})"


@pghistory.track()
class Klasse(models.Model):
    """A class (basisgruppe) in one school year; kontaktlærere are role assignments."""

    skole = models.ForeignKey(
        Skole, on_delete=models.PROTECT, related_name="klasser", verbose_name=_("skole")
    )
    skolear = models.ForeignKey(
        Skolear, on_delete=models.PROTECT, related_name="klasser", verbose_name=_("skoleår")
    )
    navn = models.CharField(_("navn"), max_length=50)
    trinn = models.PositiveSmallIntegerField(
        _("trinn"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    kilde_id = models.CharField(_("kilde-id"), max_length=255, blank=True)

    class Meta:
        ordering = ["trinn", "navn"]
        verbose_name = _("klasse")
        verbose_name_plural = _("klasser")
        constraints = [
            models.UniqueConstraint(fields=["skole", "skolear", "navn"], name="klasse_unikt_navn"),
            models.UniqueConstraint(
                fields=["skole", "kilde_id"], condition=~Q(kilde_id=""), name="klasse_unik_kilde"
            ),
            models.CheckConstraint(
                name="klasse_trinn_1_10",
                condition=Q(trinn__gte=1, trinn__lte=10),
                violation_error_message=_("Trinn må være fra 1 til 10."),
            ),
        ]
        triggers = [grense.i_samme_kommune("klasse_fast_kommune", "skole")]

    def __str__(self) -> str:
        return self.navn


@pghistory.track()
class Faggruppe(models.Model):
    """A subject taught to a set of pupils (teaching group), with its Udir subject code."""

    skole = models.ForeignKey(
        Skole, on_delete=models.PROTECT, related_name="faggrupper", verbose_name=_("skole")
    )
    skolear = models.ForeignKey(
        Skolear, on_delete=models.PROTECT, related_name="faggrupper", verbose_name=_("skoleår")
    )
    navn = models.CharField(_("navn"), max_length=100)
    fagkode = models.CharField(_("fagkode"), max_length=20, blank=True)
    fagnavn = models.CharField(_("fag"), max_length=100, blank=True)
    kilde_id = models.CharField(_("kilde-id"), max_length=255, blank=True)

    class Meta:
        ordering = ["navn"]
        verbose_name = _("faggruppe")
        verbose_name_plural = _("faggrupper")
        constraints = [
            models.UniqueConstraint(
                fields=["skole", "skolear", "navn"], name="faggruppe_unikt_navn"
            ),
            models.UniqueConstraint(
                fields=["skole", "kilde_id"],
                condition=~Q(kilde_id=""),
                name="faggruppe_unik_kilde",
            ),
        ]
        triggers = [grense.i_samme_kommune("faggruppe_fast_kommune", "skole")]

    def __str__(self) -> str:
        return self.navn


class Adressesperre(models.TextChoices):
    INGEN = "", _("Ingen")
    FORTROLIG = "fortrolig", _("Fortrolig adresse")
    STRENGT_FORTROLIG = "strengt_fortrolig", _("Strengt fortrolig adresse")


def unikt_fodselsnummer(navn: str, melding) -> models.UniqueConstraint:
    """A fødselsnummer names one person per kommune: the same child in two kommuner is two
    records, one per data controller (DESIGN §10)."""
    return models.UniqueConstraint(
        fields=["kommune", "fodselsnummer"], name=navn, violation_error_message=melding
    )


@pghistory.track()
class Elev(models.Model):
    """A pupil as one kommune knows them; never matched or shown across kommuner."""

    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="elever", verbose_name=_("kommune")
    )
    fornavn = models.CharField(_("fornavn"), max_length=100)
    etternavn = models.CharField(_("etternavn"), max_length=100)
    # NULL, not "", so pupils without a number do not clash in the unique constraint.
    fodselsnummer = models.CharField(  # noqa: DJ001
        _("fødselsnummer"), max_length=11, null=True, blank=True, validators=[ELLEVE_SIFRE]
    )
    fodselsdato = models.DateField(_("fødselsdato"), null=True, blank=True)
    adressesperre = models.CharField(
        _("adressesperre"),
        max_length=20,
        choices=Adressesperre.choices,
        blank=True,
        default=Adressesperre.INGEN,
        help_text=_("Elever med adressesperre får aldri adressen vist eller skrevet ut."),
    )
    gateadresse = models.CharField(_("adresse"), max_length=200, blank=True)
    postnummer = models.CharField(_("postnummer"), max_length=4, blank=True)
    poststed = models.CharField(_("poststed"), max_length=100, blank=True)

    class Meta:
        ordering = ["fornavn", "etternavn"]
        verbose_name = _("elev")
        verbose_name_plural = _("elever")
        constraints = [
            models.CheckConstraint(
                name="elev_fnr_11_sifre",
                condition=Q(fodselsnummer__isnull=True) | Q(fodselsnummer__regex=r"^[0-9]{11}$"),
            ),
            unikt_fodselsnummer(
                "elev_unikt_fnr_i_kommunen",
                _("Det finnes allerede en elev med dette fødselsnummeret."),
            ),
        ]
        triggers = [grense.fast_kommune("elev_fast_kommune"), *adressevern.ELEV]

    def __str__(self) -> str:
        return self.navn

    @property
    def navn(self) -> str:
        return f"{self.fornavn} {self.etternavn}"

    @property
    def har_adressesperre(self) -> bool:
        return self.adressesperre != Adressesperre.INGEN

    @property
    def fodselsnummer_maskert(self) -> str:
        return fodselsnummer.masker(self.fodselsnummer) if self.fodselsnummer else ""


class Medlemskap(models.Model):
    """A pupil's belonging to a school, class or teaching group from ``fra`` to ``til``
    (both included; ``til`` empty while it lasts). Ending one keeps the history."""

    fra = models.DateField(_("fra og med"))
    til = models.DateField(_("til og med"), null=True, blank=True)
    gruppefelt: str

    class Meta:
        abstract = True
        ordering = ["fra"]

    def __str__(self) -> str:
        slutt = f"{self.til:%d.%m.%Y}" if self.til else "…"
        return f"{self.elev} – {getattr(self, self.gruppefelt)} ({self.fra:%d.%m.%Y}–{slutt})"


@pghistory.track()
class Skolemedlemskap(Medlemskap):
    """Enrolment at a school; ``til`` is set when the pupil left."""

    elev = models.ForeignKey(Elev, on_delete=models.CASCADE, related_name="skolemedlemskap")
    skole = models.ForeignKey(Skole, on_delete=models.PROTECT, related_name="elevmedlemskap")
    gruppefelt = "skole"

    class Meta(Medlemskap.Meta):
        verbose_name = _("skoletilhørighet")
        verbose_name_plural = _("skoletilhørigheter")
        constraints = [
            periode_gyldig("skolemedlemskap_periode"),
            ikke_overlappende("skolemedlemskap_en_skole_om_gangen", "elev"),
        ]
        triggers = [
            grense.samme_kommune(
                "skolemedlemskap_kommune",
                grense.ELEV.format("NEW.elev_id"),
                grense.SKOLE.format("NEW.skole_id"),
            )
        ]


@pghistory.track()
class Klassemedlemskap(Medlemskap):
    """Membership of a class: moving class ends one and starts another."""

    elev = models.ForeignKey(Elev, on_delete=models.CASCADE, related_name="klassemedlemskap")
    klasse = models.ForeignKey(Klasse, on_delete=models.PROTECT, related_name="medlemskap")
    gruppefelt = "klasse"

    class Meta(Medlemskap.Meta):
        verbose_name = _("klassetilhørighet")
        verbose_name_plural = _("klassetilhørigheter")
        constraints = [
            periode_gyldig("klassemedlemskap_periode"),
            ikke_overlappende("klassemedlemskap_en_klasse_om_gangen", "elev"),
        ]
        triggers = [
            grense.samme_kommune(
                "klassemedlemskap_kommune",
                grense.ELEV.format("NEW.elev_id"),
                grense.KLASSE.format("NEW.klasse_id"),
            )
        ]


@pghistory.track()
class Faggruppemedlemskap(Medlemskap):
    elev = models.ForeignKey(Elev, on_delete=models.CASCADE, related_name="faggruppemedlemskap")
    faggruppe = models.ForeignKey(Faggruppe, on_delete=models.CASCADE, related_name="medlemskap")
    gruppefelt = "faggruppe"

    class Meta(Medlemskap.Meta):
        verbose_name = _("faggruppetilhørighet")
        verbose_name_plural = _("faggruppetilhørigheter")
        constraints = [
            periode_gyldig("faggruppemedlemskap_periode"),
            ikke_overlappende("faggruppemedlemskap_ikke_dobbelt", "elev", "faggruppe"),
        ]
        triggers = [
            grense.samme_kommune(
                "faggruppemedlemskap_kommune",
                grense.ELEV.format("NEW.elev_id"),
                grense.FAGGRUPPE.format("NEW.faggruppe_id"),
            )
        ]


@pghistory.track()
class Foresatt(models.Model):
    """A guardian as one kommune knows them: a parent of children in two kommuner is two
    records, and neither kommune's data changes the other's."""

    kommune = models.ForeignKey(
        Kommune, on_delete=models.PROTECT, related_name="foresatte", verbose_name=_("kommune")
    )
    fornavn = models.CharField(_("fornavn"), max_length=100)
    etternavn = models.CharField(_("etternavn"), max_length=100)
    fodselsnummer = models.CharField(  # noqa: DJ001 (NULL: see Elev)
        _("fødselsnummer"),
        max_length=11,
        null=True,
        blank=True,
        validators=[ELLEVE_SIFRE],
        help_text=_("Brukes til å kjenne igjen foresatte som logger inn med ID-porten."),
    )
    telefon = models.CharField(_("telefon"), max_length=30, blank=True)
    epost = models.EmailField(_("e-post"), blank=True)
    gateadresse = models.CharField(_("adresse"), max_length=200, blank=True)
    postnummer = models.CharField(_("postnummer"), max_length=4, blank=True)
    poststed = models.CharField(_("poststed"), max_length=100, blank=True)

    class Meta:
        ordering = ["fornavn", "etternavn"]
        verbose_name = _("foresatt")
        verbose_name_plural = _("foresatte")
        constraints = [
            unikt_fodselsnummer(
                "foresatt_unikt_fnr_i_kommunen",
                _("Det finnes allerede en foresatt med dette fødselsnummeret."),
            ),
        ]
        triggers = [grense.fast_kommune("foresatt_fast_kommune"), *adressevern.FORESATT]

    def __str__(self) -> str:
        return self.navn

    @property
    def navn(self) -> str:
        return f"{self.fornavn} {self.etternavn}"


@pghistory.track()
class Foresattrelasjon(models.Model):
    """A guardian of a pupil. Only guardians with parental responsibility *and* the right to
    documents may receive anything (DESIGN §8, the Bergen Vigilo case)."""

    elev = models.ForeignKey(Elev, on_delete=models.CASCADE, related_name="foresattrelasjoner")
    foresatt = models.ForeignKey(Foresatt, on_delete=models.CASCADE, related_name="relasjoner")
    foreldreansvar = models.BooleanField(_("foreldreansvar"), default=False)
    kan_motta_dokumenter = models.BooleanField(
        _("kan motta dokumenter"),
        default=False,
        help_text=_("Bare foresatte med foreldreansvar kan motta brev og avtaler om eleven."),
    )

    class Meta:
        verbose_name = _("foresatt til elev")
        verbose_name_plural = _("foresatte til elev")
        constraints = [
            models.UniqueConstraint(fields=["elev", "foresatt"], name="foresattrelasjon_unik"),
            models.CheckConstraint(
                name="dokumenter_krever_foreldreansvar",
                condition=Q(kan_motta_dokumenter=False) | Q(foreldreansvar=True),
                violation_error_message=_(
                    "Bare foresatte med foreldreansvar kan motta dokumenter."
                ),
            ),
        ]
        triggers = [
            grense.samme_kommune(
                "foresattrelasjon_kommune",
                grense.ELEV.format("NEW.elev_id"),
                grense.FORESATT.format("NEW.foresatt_id"),
            ),
            *adressevern.FORESATTRELASJON,
        ]

    def __str__(self) -> str:
        return f"{self.foresatt} – {self.elev}"


class Rolle(models.TextChoices):
    """DESIGN §1. External participants are given access per case, not by role."""

    ADMINISTRATOR = "administrator", _("Administrator")
    SKOLEKONTOR = "skolekontor", _("Skolekontor")
    REKTOR = "rektor", _("Rektor / skoleledelse")
    RESSURSTEAM = "ressursteam", _("Ressursteam")
    KONTAKTLAERER = "kontaktlaerer", _("Kontaktlærer")
    FAGLAERER = "faglaerer", _("Faglærer")


# Which scope each role has: exactly this one of kommune, skole, klasse, faggruppe is set.
ROLLE_OMFANG = {
    Rolle.ADMINISTRATOR: "kommune",
    Rolle.SKOLEKONTOR: "kommune",
    Rolle.REKTOR: "skole",
    Rolle.RESSURSTEAM: "skole",
    Rolle.KONTAKTLAERER: "klasse",
    Rolle.FAGLAERER: "faggruppe",
}
OMFANG_FELT = ("kommune", "skole", "klasse", "faggruppe")


def _omfang_stemmer() -> Q:
    condition = Q()
    for rolle, felt in ROLLE_OMFANG.items():
        satt = Q(**{f"{felt}__isnull": False})
        for annet in OMFANG_FELT:
            if annet != felt:
                satt &= Q(**{f"{annet}__isnull": True})
        condition |= Q(rolle=rolle) & satt
    return condition


@pghistory.track()
class Rolletildeling(models.Model):
    """A role held by a user over one kommune, school, class or teaching group."""

    bruker = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="rolletildelinger", verbose_name=_("bruker")
    )
    rolle = models.CharField(_("rolle"), max_length=20, choices=Rolle.choices)
    kommune = models.ForeignKey(
        Kommune, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("kommune")
    )
    skole = models.ForeignKey(
        Skole, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("skole")
    )
    klasse = models.ForeignKey(
        Klasse,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rolletildelinger",
        verbose_name=_("klasse"),
    )
    faggruppe = models.ForeignKey(
        Faggruppe,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rolletildelinger",
        verbose_name=_("faggruppe"),
    )
    fra_import = models.BooleanField(
        _("fra import"),
        default=False,
        help_text=_(
            "Gitt av en import; en senere import kan ta den bort, men aldri roller gitt for hånd."
        ),
    )

    class Meta:
        verbose_name = _("rolletildeling")
        verbose_name_plural = _("rolletildelinger")
        constraints = [
            models.CheckConstraint(
                name="rolletildeling_omfang",
                condition=_omfang_stemmer(),
                violation_error_message=_(
                    "Administrator og skolekontor gjelder en kommune, rektor og ressursteam en "
                    "skole, kontaktlærer en klasse og faglærer en faggruppe."
                ),
            ),
            models.UniqueConstraint(
                fields=["bruker", "rolle", *OMFANG_FELT],
                nulls_distinct=False,
                name="rolletildeling_unik",
                violation_error_message=_("Brukeren har allerede denne rollen her."),
            ),
        ]
        triggers = [
            grense.samme_kommune(
                "rolletildeling_kommune",
                grense.BRUKER.format("NEW.bruker_id"),
                grense.ROLLENS_KOMMUNE,
            )
        ]

    def __str__(self) -> str:
        return f"{self.bruker}: {self.get_rolle_display()} – {self.omfang}"

    @property
    def omfang(self):
        return getattr(self, ROLLE_OMFANG[self.rolle])

    def clean(self) -> None:
        """Say in words what the database refuses: a role outside the account's kommune."""
        felt_ = ROLLE_OMFANG.get(self.rolle)
        if self.bruker_id is None or felt_ is None or getattr(self, f"{felt_}_id") is None:
            return
        omfang = self.omfang
        kommune_id = (
            omfang.pk
            if isinstance(omfang, Kommune)
            else getattr(omfang, "kommune_id", None) or omfang.skole.kommune_id
        )
        if self.bruker.kommune_id != kommune_id:
            raise ValidationError(
                _("Brukeren hører ikke til kommunen rollen gjelder. Velg en bruker i kommunen.")
            )


@pghistory.track()
class Skoletime(models.Model):
    """One lesson of a class's weekly timetable. A lesson with a teaching group is for that
    group's pupils only (e.g. language choices taught at the same time)."""

    klasse = models.ForeignKey(
        Klasse, on_delete=models.CASCADE, related_name="timeplan", verbose_name=_("klasse")
    )
    ukedag = models.PositiveSmallIntegerField(
        _("ukedag"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    nummer = models.PositiveSmallIntegerField(
        _("time"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    fagkode = models.CharField(_("fagkode"), max_length=20, blank=True)
    fagnavn = models.CharField(_("fag"), max_length=100)
    faggruppe = models.ForeignKey(
        Faggruppe,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="timer",
        verbose_name=_("faggruppe"),
    )
    laerer = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="timer",
        verbose_name=_("lærer"),
    )
    start = models.TimeField(_("start"), null=True, blank=True)
    slutt = models.TimeField(_("slutt"), null=True, blank=True)

    class Meta:
        ordering = ["ukedag", "nummer"]
        verbose_name = _("time i timeplanen")
        verbose_name_plural = _("timeplan")
        constraints = [
            models.UniqueConstraint(
                fields=["klasse", "ukedag", "nummer", "faggruppe"],
                nulls_distinct=False,
                name="skoletime_unik",
                violation_error_message=_("Klassen har allerede denne timen."),
            ),
            models.CheckConstraint(
                name="skoletime_ukedag_nummer",
                condition=Q(ukedag__gte=1, ukedag__lte=5, nummer__gte=1, nummer__lte=12),
            ),
            models.CheckConstraint(
                name="skoletime_klokkeslett",
                condition=Q(start__isnull=True) | Q(slutt__isnull=True) | Q(start__lt=F("slutt")),
            ),
        ]
        triggers = [
            grense.samme_kommune(
                "skoletime_laerer_kommune",
                grense.KLASSE.format("NEW.klasse_id"),
                grense.BRUKER.format("NEW.laerer_id"),
                naar="(NEW.laerer_id IS NOT NULL)",
            ),
            grense.samme_kommune(
                "skoletime_faggruppe_kommune",
                grense.KLASSE.format("NEW.klasse_id"),
                grense.FAGGRUPPE.format("NEW.faggruppe_id"),
                naar="(NEW.faggruppe_id IS NOT NULL)",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.klasse} {self.get_ukedag_display()} {self.nummer}. {self.fagnavn}"

    def get_ukedag_display(self) -> str:
        return str(UKEDAGER[self.ukedag - 1])


UKEDAGER = (_("mandag"), _("tirsdag"), _("onsdag"), _("torsdag"), _("fredag"))


@pghistory.track()
class Kildekobling(models.Model):
    """A person's id in a school's roster system, so re-imports and a later Feide sync find
    the same row. Scoped by school: two schools' systems may reuse each other's ids."""

    skole = models.ForeignKey(Skole, on_delete=models.CASCADE, related_name="kildekoblinger")
    kilde_id = models.CharField(max_length=255)
    elev = models.ForeignKey(Elev, on_delete=models.CASCADE, null=True, blank=True)
    foresatt = models.ForeignKey(Foresatt, on_delete=models.CASCADE, null=True, blank=True)
    ansatt = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        verbose_name = _("kilde-id")
        verbose_name_plural = _("kilde-id-er")
        constraints = [
            models.UniqueConstraint(fields=["skole", "kilde_id"], name="kildekobling_unik"),
            models.CheckConstraint(
                name="kildekobling_ett_mal",
                condition=Q(elev__isnull=False, foresatt__isnull=True, ansatt__isnull=True)
                | Q(elev__isnull=True, foresatt__isnull=False, ansatt__isnull=True)
                | Q(elev__isnull=True, foresatt__isnull=True, ansatt__isnull=False),
            ),
        ]
        triggers = [
            grense.samme_kommune(
                "kildekobling_kommune",
                grense.SKOLE.format("NEW.skole_id"),
                grense.KOBLINGENS_MAL,
            )
        ]

    def __str__(self) -> str:
        return f"{self.skole}: {self.kilde_id}"


class Skoleimport(models.Model):
    """An uploaded roster file waiting for confirmation, then a record of what it changed.
    The file itself is deleted once imported or abandoned."""

    skole = models.ForeignKey(Skole, on_delete=models.CASCADE, related_name="importer")
    lastet_opp_av = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    filnavn = models.CharField(max_length=255)
    innhold = models.BinaryField(editable=False)
    opprettet = models.DateTimeField(auto_now_add=True)
    importert = models.DateTimeField(null=True, blank=True)
    resultat = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-opprettet"]
        verbose_name = _("import")
        verbose_name_plural = _("importer")

    def __str__(self) -> str:
        return f"{self.skole}: {self.filnavn}"
