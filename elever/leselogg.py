"""The read log (DESIGN §8): who was shown what, and when — never the content.

A row names a kind of data (``hva``, "<app>.<what>", e.g. ``elev.fodselsnummer``) and the id
of the object it was read from; apps above ``elever`` log their own kinds (a case, "sak")
through the same function. The table is append-only: a trigger refuses UPDATE and DELETE,
whoever asks, so the rektor can show a guardian who has seen their child's data.
"""

from collections.abc import Iterable, Mapping

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FODSELSNUMMER = "elev.fodselsnummer"  # an Elev's full fødselsnummer
FORESATT_KONTAKT = "foresatt.kontakt"  # a Foresatt's contact data (phone, e-mail, address)


class Lesing(models.Model):
    """One object's data shown to one user once."""

    tidspunkt = models.DateTimeField(_("tidspunkt"), default=timezone.now, editable=False)
    # PROTECT: an account that has read personal data is deactivated, never deleted, so the
    # log can always say who it was.
    bruker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bruker"),
    )
    hva = models.CharField(_("hva"), max_length=50)
    objekt_id = models.BigIntegerField(_("objekt-id"))

    class Meta:
        app_label = "elever"
        ordering = ["-tidspunkt"]
        verbose_name = _("lesing")
        verbose_name_plural = _("leselogg")
        indexes = [models.Index(fields=["hva", "objekt_id"], name="lesing_objekt")]
        constraints = [
            models.CheckConstraint(
                name="lesing_hva_app_punktum_type",
                condition=models.Q(hva__regex=r"^[a-z_]+\.[a-z_]+$"),
            )
        ]
        triggers = [
            pgtrigger.Protect(name="kun_tillegg", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.bruker_id} {self.hva} {self.objekt_id} {self.tidspunkt:%d.%m.%Y %H:%M}"


def leselogg_skriv(*, bruker, lest: Mapping[str, Iterable[int]]) -> None:
    """Log what ``bruker`` is about to be shown: for each kind, the ids of the objects. One
    INSERT for the whole page, none when nothing is shown. Call it before rendering, so a
    failed write shows nothing."""
    rader = [
        Lesing(bruker=bruker, hva=hva, objekt_id=objekt_id)
        for hva, ider in lest.items()
        for objekt_id in dict.fromkeys(ider)
    ]
    if rader:
        Lesing.objects.bulk_create(rader)
