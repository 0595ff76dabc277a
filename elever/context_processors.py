from django.urls import reverse
from django.utils.translation import gettext as _

from elever import tilgang


def hovedmeny(request) -> dict:
    """The links in the page header: only what the user's roles open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    r = tilgang.roller(user)
    lenker = []
    if r.kontaktlaerer or r.faglaerer or r.skoleledelse or r.administrator:
        navn = _("Klasser") if r.skoleledelse or r.administrator else _("Mine klasser")
        lenker.append((navn, reverse("elever:klasser")))
    if r.rektor or r.ressursteam:
        for skole in tilgang.skoler(user).filter(pk__in=r.skoleledelse).order_by("navn"):
            lenker.append((skole.navn, reverse("elever:skole", args=[skole.pk])))
    for kommune_id in sorted(r.administrator):
        lenker.append((_("Skolerute"), reverse("elever:skolerute", args=[kommune_id])))
    if r.administrator or user.is_superuser:
        lenker.append((_("Administrasjon"), reverse("admin:index")))
    return {"hovedmeny": lenker}
