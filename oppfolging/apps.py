from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OppfolgingConfig(AppConfig):
    name = "oppfolging"
    verbose_name = _("Oppfølging")
