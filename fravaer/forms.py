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
