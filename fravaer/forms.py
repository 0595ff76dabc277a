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
