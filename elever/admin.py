"""Django admin for administration only (schools, school years, roles, users), behind the
same access rules as the pages: an administrator sees and changes only their own kommune.

A Django superuser is the installation's operator (driftsansvarlig): they create kommuner and
their first administrators, and see no pupils unless a role gives them some.
"""

from axes.utils import reset as axes_reset
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from elever import kommunegrense, tilgang
from elever.models import (
    Brukernavndomene,
    Elev,
    Faggruppe,
    Foresattrelasjon,
    Klasse,
    Kommune,
    Rolle,
    Rolletildeling,
    Skole,
    Skolear,
    Skoleruteunntak,
    Skoletime,
    Termin,
    User,
    brukernavn_nokkel,
)


def _har_tilgang(request) -> bool:
    return request.user.is_active and (
        request.user.is_superuser or tilgang.er_administrator(request.user)
    )


def synlige_brukere(bruker, qs):
    """Accounts an administrator may see and change: those of the administrator's
    kommuner (DESIGN §10). Never an operator, so no account can be taken over across
    kommuner; the operator sees all."""
    if bruker.is_superuser:
        return qs
    return qs.filter(kommune__in=tilgang.roller(bruker).administrator, is_superuser=False)


admin.site.has_permission = _har_tilgang
admin.site.site_header = _("Nærvær – administrasjon")
admin.site.site_title = _("Nærvær")


class KommuneAdmin(admin.ModelAdmin):
    """Rows are limited to the administrator's kommuner by ``kommune_felt``."""

    kommune_felt = "kommune"

    def kommuner(self, request) -> frozenset[int]:
        return tilgang.roller(request.user).administrator

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(**{f"{self.kommune_felt}__in": self.kommuner(request)})
        )

    def has_module_permission(self, request):
        return bool(self.kommuner(request))

    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: self.has_module_permission(request)
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kommuner = self.kommuner(request)
        avgrensning = {
            Kommune: Q(pk__in=kommuner),
            Skole: Q(kommune__in=kommuner),
            Skolear: Q(kommune__in=kommuner),
            Klasse: Q(skole__kommune__in=kommuner),
            Faggruppe: Q(skole__kommune__in=kommuner),
        }.get(db_field.related_model)
        if avgrensning is not None:
            kwargs["queryset"] = db_field.related_model.objects.filter(avgrensning)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BrukernavndomeneForm(forms.ModelForm):
    class Meta:
        model = Brukernavndomene
        fields = ["domene"]

    def clean_domene(self):
        return self.cleaned_data["domene"].strip().lstrip("@").lower()

    def clean(self):
        """The operator sees every kommune: saying that others hold names in the domain
        tells them nothing they may not know."""
        data = super().clean()
        domene = data.get("domene")
        if domene and (
            User.objects.filter(username__iendswith=f"@{domene}")
            .exclude(kommune_id=self.instance.kommune_id, kommune__isnull=False)
            .exists()
        ):
            self.add_error(
                "domene",
                _(
                    "Brukere som ikke hører til kommunen, har brukernavn i dette domenet. "
                    "Flytt dem til kommunen eller gi dem nye brukernavn først."
                ),
            )
        return data


class BrukernavndomeneInline(admin.TabularInline):
    """The domains whose usernames are the kommune's; set by the operator."""

    model = Brukernavndomene
    form = BrukernavndomeneForm
    extra = 1


@admin.register(Kommune)
class KommuneModelAdmin(admin.ModelAdmin):
    list_display = ["navn", "kommunenummer", "organisasjonsnummer"]
    inlines = [BrukernavndomeneInline]

    def has_module_permission(self, request):
        return request.user.is_superuser or tilgang.er_administrator(request.user)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(pk__in=tilgang.roller(request.user).administrator)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    has_delete_permission = has_change_permission


@admin.register(Skole)
class SkoleAdmin(KommuneAdmin):
    list_display = ["navn", "organisasjonsnummer", "kommune"]
    search_fields = ["navn", "organisasjonsnummer"]


class TerminInline(admin.TabularInline):
    model = Termin
    extra = 0


@admin.register(Skolear)
class SkolearAdmin(KommuneAdmin):
    list_display = ["__str__", "kommune", "forste_skoledag", "siste_skoledag"]
    inlines = [TerminInline]


@admin.register(Skoleruteunntak)
class SkoleruteunntakAdmin(KommuneAdmin):
    list_display = ["navn", "type", "fra", "til", "skole"]
    list_filter = ["type"]


class SkoletimeInline(admin.TabularInline):
    """A class's timetable, kept by the kommune's administrator: groups of the class's own
    school and school year, teachers of the class's kommune. Another kommune's group or
    account is neither offered nor accepted (DESIGN §10)."""

    model = Skoletime
    extra = 0
    fields = ["ukedag", "nummer", "fagkode", "fagnavn", "faggruppe", "laerer", "start", "slutt"]
    autocomplete_fields = ["laerer"]

    # Whoever may change the class may change its timetable (the class admin holds only the
    # administrator's kommuner).
    has_view_permission = has_add_permission = has_change_permission = has_delete_permission = (
        lambda self, request, obj=None: bool(tilgang.roller(request.user).administrator)
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kommuner = tilgang.roller(request.user).administrator
        if db_field.name == "faggruppe":
            kwargs["queryset"] = Faggruppe.objects.filter(skole__kommune__in=kommuner)
        elif db_field.name == "laerer":
            kwargs["queryset"] = User.objects.filter(kommune__in=kommuner)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None and obj.pk is not None:
            felt = formset.form.base_fields
            felt["faggruppe"].queryset = felt["faggruppe"].queryset.filter(
                skole=obj.skole_id, skolear=obj.skolear_id
            )
            felt["laerer"].queryset = felt["laerer"].queryset.filter(kommune=obj.skole.kommune_id)
        return formset


@admin.register(Klasse)
class KlasseAdmin(KommuneAdmin):
    kommune_felt = "skole__kommune"
    list_display = ["navn", "trinn", "skole", "skolear"]
    # Only the school years of the classes listed: all of them would show other kommuner's.
    list_filter = [("skolear", admin.RelatedOnlyFieldListFilter), "trinn"]
    search_fields = ["navn"]
    inlines = [SkoletimeInline]


@admin.register(Faggruppe)
class FaggruppeAdmin(KommuneAdmin):
    kommune_felt = "skole__kommune"
    list_display = ["navn", "fagkode", "skole", "skolear"]
    search_fields = ["navn", "fagkode"]


class ForesattrelasjonInline(admin.TabularInline):
    model = Foresattrelasjon
    extra = 0
    fields = ["foresatt", "foreldreansvar", "kan_motta_dokumenter"]
    readonly_fields = ["foresatt"]
    can_delete = False


@admin.register(Elev)
class ElevAdmin(KommuneAdmin):
    """Pupils come from imports; here the administrator corrects what the file cannot say:
    a protected address, and who may receive documents."""

    list_display = ["navn", "fodselsnummer_maskert", "adressesperre"]
    search_fields = ["fornavn", "etternavn"]
    fields = ["fornavn", "etternavn", "adressesperre", "gateadresse", "postnummer", "poststed"]
    inlines = [ForesattrelasjonInline]

    ADRESSE = ("gateadresse", "postnummer", "poststed")
    # Not shown in the list, so not to be found by filtering on it either: a query such as
    # ?fodselsnummer__startswith=0382 would read a number digit by digit, unlogged.
    SKJULT = ("fodselsnummer", "fodselsdato", *ADRESSE)

    def lookup_allowed(self, lookup, value, request=None):
        if any(felt in lookup.split("__") for felt in self.SKJULT):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_queryset(self, request):
        return admin.ModelAdmin.get_queryset(self, request).filter(
            pk__in=tilgang.elever(request.user).values("pk")
        )

    def get_fields(self, request, obj=None):
        """A protected address is never shown, not even here (DESIGN §8)."""
        if obj is not None and obj.har_adressesperre:
            return [f for f in self.fields if f not in self.ADRESSE]
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rolletildeling)
class RolletildelingAdmin(KommuneAdmin):
    list_display = ["bruker", "rolle", "omfang"]
    list_filter = ["rolle"]
    autocomplete_fields = ["bruker", "klasse", "faggruppe"]

    def get_queryset(self, request):
        kommuner = self.kommuner(request)
        qs = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs.filter(rolle=Rolle.ADMINISTRATOR) | qs.filter(
                Q(kommune__in=kommuner)
                | Q(skole__kommune__in=kommuner)
                | Q(klasse__skole__kommune__in=kommuner)
                | Q(faggruppe__skole__kommune__in=kommuner)
            )
        return qs.filter(
            Q(kommune__in=kommuner)
            | Q(skole__kommune__in=kommuner)
            | Q(klasse__skole__kommune__in=kommuner)
            | Q(faggruppe__skole__kommune__in=kommuner)
        )

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(self.kommuner(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "bruker":
            kwargs["queryset"] = synlige_brukere(request.user, User.objects.all())
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        if request.user.is_superuser and db_field.related_model is Kommune:
            kwargs["queryset"] = Kommune.objects.all()
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _Brukernavnregel:
    """An administrator names an account only ``navn@<one of the kommune's domains>``
    (DESIGN §10). Anything else is refused before Django looks the name up, with the same
    words whether or not the name exists, so no answer tells of another kommune's accounts.
    ``brukernavndomener`` is set per request; None for the operator."""

    brukernavndomener: tuple[str, ...] | None = None

    def clean_username(self):
        navn = self.cleaned_data.get("username")
        if (
            self.brukernavndomener is not None
            and navn
            and (self.instance.pk is None or "username" in self.changed_data)
            and kommunegrense.domene(navn) not in self.brukernavndomener
        ):
            raise ValidationError(kommunegrense.domenekrav(self.brukernavndomener))
        eget = getattr(super(), "clean_username", None)
        return eget() if eget else navn

    def clean(self):
        """A name in a kommune's domain is for that kommune's accounts (the database says so
        too): said here, so an operator, or an administrator of two kommuner, is told why."""
        data = super().clean()
        navn = data.get("username")
        endret = self.instance.pk is None or {"username", "kommune"} & set(self.changed_data)
        if not navn or not endret or {"username", "kommune"} & set(self.errors):
            return data
        kommune = data.get("kommune", self.instance.kommune)
        eier = (
            Brukernavndomene.objects.filter(domene=kommunegrense.domene(navn))
            .select_related("kommune")
            .first()
        )
        if eier is not None and eier.kommune != kommune:
            self.add_error(
                "username",
                _("Brukernavn som slutter på @%(domene)s, hører til %(kommune)s.")
                % {"domene": eier.domene, "kommune": eier.kommune},
            )
        return data


class BrukerOpprettelseForm(_Brukernavnregel, AdminUserCreationForm):
    pass


class BrukerEndringForm(_Brukernavnregel, UserChangeForm):
    pass


@admin.register(User)
class BrukerAdmin(UserAdmin):
    """Staff accounts. Administrators manage users without superuser powers; only the
    operator can make another operator."""

    form = BrukerEndringForm
    add_form = BrukerOpprettelseForm
    list_display = ["username", "first_name", "last_name", "email", "is_active", "kommune"]
    list_filter = ["is_active"]
    actions = ["laas_opp_innlogging"]
    fieldsets = (*UserAdmin.fieldsets, (_("Kommune"), {"fields": ["kommune"]}))
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "kommune", "usable_password", "password1", "password2"),
            },
        ),
    )

    def has_module_permission(self, request):
        return _har_tilgang(request)

    has_view_permission = has_add_permission = has_change_permission = (
        lambda self, request, obj=None: _har_tilgang(request)
    )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_queryset(self, request):
        return synlige_brukere(request.user, super().get_queryset(request))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (navn, {**valg, "fields": [f for f in valg["fields"] if f not in self.BARE_DRIFT]})
            for navn, valg in fieldsets
        ]

    BARE_DRIFT = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser:
            kommuner = [obj.kommune_id] if obj else tilgang.roller(request.user).administrator
            form.brukernavndomener = tuple(
                Brukernavndomene.objects.filter(kommune__in=kommuner).values_list(
                    "domene", flat=True
                )
            )
        if "kommune" in form.base_fields and not request.user.is_superuser:
            felt = form.base_fields["kommune"]
            felt.queryset = Kommune.objects.filter(
                pk__in=tilgang.roller(request.user).administrator
            )
            felt.required = True
            felt.empty_label = None
        return form

    def get_readonly_fields(self, request, obj=None):
        """An account keeps its kommune; only the operator may move one without roles."""
        if obj is not None and not request.user.is_superuser:
            return ["kommune"]
        return []

    @admin.action(description=_("Lås opp innlogging"), permissions=["change"])
    def laas_opp_innlogging(self, request, queryset):
        """Forget the failed logins of the chosen accounts, from every address, so a locked
        user can log in at once. ``queryset`` holds only accounts this administrator sees."""
        brukernavn = list(queryset.values_list("username", flat=True))
        for navn in brukernavn:
            axes_reset(username=brukernavn_nokkel(navn))  # as elever.views.sperrenavn counts it
        self.message_user(
            request,
            ngettext(
                "Innloggingen er låst opp for %(antall)d bruker.",
                "Innloggingen er låst opp for %(antall)d brukere.",
                len(brukernavn),
            )
            % {"antall": len(brukernavn)},
            messages.SUCCESS,
        )
