"""Django admin for administration only (schools, school years, roles, users), behind the
same access rules as the pages: an administrator sees and changes only their own kommune.

A Django superuser is the installation's operator (driftsansvarlig): they create kommuner and
their first administrators, and see no pupils unless a role gives them some.
"""

from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from elever import tilgang
from elever.models import (
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


@admin.register(Kommune)
class KommuneModelAdmin(admin.ModelAdmin):
    list_display = ["navn", "kommunenummer", "organisasjonsnummer"]

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


@admin.register(User)
class BrukerAdmin(UserAdmin):
    """Staff accounts. Administrators manage users without superuser powers; only the
    operator can make another operator."""

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
            axes_reset(username=navn)
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
