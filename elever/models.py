from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Everyone who logs in. Staff now; guardians (ID-porten) later. What a user may do comes
    from role assignments, never from this row alone."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")

    @property
    def rolletekst(self) -> str:
        """The role named in the page header."""
        if self.is_superuser:
            return str(_("Administrator"))
        return str(_("Ansatt"))
