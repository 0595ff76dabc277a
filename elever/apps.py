from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EleverConfig(AppConfig):
    name = "elever"
    verbose_name = _("Elever og organisasjon")
