from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from elever.models import Skole, Skolear, Skoleruteunntak


class InnloggingForm(AuthenticationForm):
    """Django's login form with the refusal said plainly (klarspråk)."""

    error_messages = {
        "invalid_login": _(
            "Brukernavnet eller passordet er feil. Sjekk også store og små bokstaver."
        ),
        "inactive": _("Brukeren er deaktivert. Kontakt skolens administrator."),
    }


class DatoInput(forms.DateInput):
    """A native date picker; the browser shows dd.mm.åååå in Norwegian locales."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "ds-input", **(attrs or {})}, format="%Y-%m-%d")


class SkolearForm(forms.Form):
    startaar = forms.IntegerField(
        label=_("Skoleåret starter høsten"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "ds-input"}),
    )
    forste_skoledag = forms.DateField(label=_("Første skoledag"), widget=DatoInput())
    siste_skoledag = forms.DateField(label=_("Siste skoledag"), widget=DatoInput())

    def clean(self):
        data = super().clean()
        aar, forste, siste = (
            data.get(f) for f in ("startaar", "forste_skoledag", "siste_skoledag")
        )
        if aar and forste and siste:
            start, slutt = Skolear.grenser(aar)
            if not start <= forste <= siste <= slutt:
                raise forms.ValidationError(
                    _(
                        "Første og siste skoledag må ligge mellom %(start)s og %(slutt)s, "
                        "og første skoledag før siste."
                    )
                    % {"start": f"{start:%d.%m.%Y}", "slutt": f"{slutt:%d.%m.%Y}"}
                )
        return data


class SkoleruteunntakForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type"),
        choices=Skoleruteunntak.Type.choices,
        widget=forms.Select(attrs={"class": "ds-input"}),
    )
    navn = forms.CharField(
        label=_("Navn"), max_length=100, widget=forms.TextInput(attrs={"class": "ds-input"})
    )
    fra = forms.DateField(label=_("Fra og med"), widget=DatoInput())
    til = forms.DateField(label=_("Til og med"), widget=DatoInput())
    skole = forms.ModelChoiceField(
        label=_("Skole"),
        queryset=Skole.objects.none(),
        required=False,
        empty_label=_("Alle skolene i kommunen"),
        widget=forms.Select(attrs={"class": "ds-input"}),
    )

    def __init__(self, *args, kommune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skole"].queryset = kommune.skoler.all()

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("til") and data["til"] < data["fra"]:
            self.add_error("til", _("Sluttdatoen kan ikke være før startdatoen."))
        return data


class Filopplasting(forms.Form):
    """One uploaded file with a size limit, so a mistaken upload cannot fill the server."""

    MAKS_BYTE = 20 * 1024 * 1024
    fil = forms.FileField(
        label=_("Fil"), widget=forms.ClearableFileInput(attrs={"class": "ds-input"})
    )

    def clean_fil(self):
        fil = self.cleaned_data["fil"]
        if fil.size > self.MAKS_BYTE:
            raise forms.ValidationError(_("Filen er større enn 20 MB."))
        return fil


class SkoleruteimportForm(Filopplasting):
    pass


class SkoleimportForm(Filopplasting):
    pass
