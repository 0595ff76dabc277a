import datetime

from django.http import Http404, HttpRequest
from django.utils import timezone
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request type of every view: django-htmx's middleware adds ``request.htmx``."""

    htmx: HtmxDetails


def dato_parameter(request: HttpRequest) -> datetime.date:
    """The ``dato`` a page is about (yyyy-mm-dd, in the query or the posted form), or today;
    a malformed date is a page that does not exist."""
    verdi = request.GET.get("dato") or request.POST.get("dato")
    if not verdi:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(verdi)
    except ValueError as exc:
        raise Http404 from exc
