from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FravaerConfig(AppConfig):
    name = "fravaer"
    verbose_name = _("Fravær")
