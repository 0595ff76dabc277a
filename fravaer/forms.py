from django import forms
from django.utils.translation import gettext_lazy as _

from elever.forms import DatoInput
from fravaer.models import Permisjonsarsak


class PermisjonssoknadForm(forms.Form):
    """A guardian's application as staff register it; the reason is a fixed choice, never
    free text (DESIGN §8)."""

    fra = forms.DateField(label=_("Fra og med"), widget=DatoInput())
    til = forms.DateField(label=_("Til og med"), widget=DatoInput())
    arsak = forms.ChoiceField(
        label=_("Årsak"),
        choices=[("", _("Velg årsak")), *Permisjonsarsak.choices],
        widget=forms.Select(attrs={"class": "ds-input"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("fra") and data.get("til") and data["til"] < data["fra"]:
            self.add_error("til", _("Sluttdatoen kan ikke være før startdatoen."))
        return data


class PermisjonsvedtakForm(forms.Form):
    """The answer to an application: its grounds (the decision is an enkeltvedtak), and
    for leave that has started, why it is granted anyway. The service requires the reason
    when the leave has started, so both are checked in one place."""

    MAKS_TEGN = 2000
    begrunnelse = forms.CharField(
        label=_("Begrunnelse"),
        help_text=_(
            "Begrunnelsen står i vedtaket foresatte får. Skriv hva vedtaket bygger på, ikke "
            "helseopplysninger."
        ),
        max_length=MAKS_TEGN,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 4}),
        error_messages={"required": _("Skriv begrunnelsen for vedtaket.")},
    )
    grunn_etter_start = forms.CharField(
        label=_("Hvorfor innvilges permisjonen etter at den har begynt?"),
        max_length=MAKS_TEGN,
        required=False,
        widget=forms.Textarea(attrs={"class": "ds-input", "rows": 3}),
    )


class Fravaerfilform(forms.Form):
    """The absence CSV (docs/import.md). The size limit keeps a mistaken upload, say a whole
    export instead of the absence file, from tying up the server."""

    MAKS_BYTE = 2 * 1024 * 1024
    fil = forms.FileField(label=_("CSV-fil med fravær"))

    def clean_fil(self):
        fil = self.cleaned_data["fil"]
        if fil.size > self.MAKS_BYTE:
            raise forms.ValidationError(
                _("Filen er større enn 2 MB. Del den opp, for eksempel én fil per måned.")
            )
        return fil
