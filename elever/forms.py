from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class InnloggingForm(AuthenticationForm):
    """Django's login form with the refusal said plainly (klarspråk)."""

    error_messages = {
        "invalid_login": _(
            "Brukernavnet eller passordet er feil. Sjekk også store og små bokstaver."
        ),
        "inactive": _("Brukeren er deaktivert. Kontakt skolens administrator."),
    }
