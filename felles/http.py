import datetime
import ipaddress

from django.conf import settings
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


def klientadresse(request: HttpRequest) -> str | None:
    """The client's IP address, for counting failed logins per address.

    Behind ``TRUSTED_PROXY_COUNT`` proxies the client is the address the outermost of them
    put into X-Forwarded-For: that many entries from the right. Entries further left were
    written by the client and could be anything. Without trusted proxies, or when the
    header is missing or malformed, the address of the connection is used.
    """
    antall = settings.TRUSTED_PROXY_COUNT
    adresser = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if antall and len(adresser) >= antall:
        klient = _nett(adresser[-antall])
        if klient:
            return klient
    return _nett(request.META.get("REMOTE_ADDR", "")) or request.META.get("REMOTE_ADDR")


def _nett(adresse: str) -> str | None:
    """The address as counted, None if it is none. An IPv6 client counts as its /64, written
    as the network's first address (axes stores an address): one household or phone is given
    a whole /64 and can pick a new address in it for every try."""
    if adresse.startswith("["):  # [2001:db8::1]:443, as some load balancers write it
        adresse = adresse[1:].partition("]")[0]
    elif adresse.count(":") == 1:  # 192.0.2.1:5678
        adresse = adresse.partition(":")[0]
    try:
        ip = ipaddress.ip_address(adresse)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)
