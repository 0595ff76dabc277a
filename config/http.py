import datetime

from django.http import Http404, HttpRequest
from django.utils import timezone
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request type of every view: django-htmx's middleware adds ``request.htmx``."""

    htmx: HtmxDetails


def dato_parameter(request: HttpRequest) -> datetime.date:
    """The ``dato`` a page is about (yyyy-mm-dd, in the query or the posted form), or today;
    a malformed date, or one no school year could hold, is a page that does not exist."""
    verdi = request.GET.get("dato") or request.POST.get("dato")
    if not verdi:
        return timezone.localdate()
    try:
        dato = datetime.date.fromisoformat(verdi)
    except ValueError as exc:
        raise Http404 from exc
    if not FORSTE_DATO <= dato <= SISTE_DATO:
        raise Http404
    return dato


# Calendars step day by day from a date to its school year: keep dates within reach.
FORSTE_DATO, SISTE_DATO = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)
