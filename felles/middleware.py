"""Middleware of our own."""

from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import resolve_url
from django.utils.cache import patch_cache_control, patch_vary_headers

from felles.http import HtmxHttpRequest


class HtmxLoginRedirectMiddleware:
    """An htmx request sent to the login page takes the whole browser page there.

    After the session has expired, LoginRequiredMiddleware answers the next htmx request (a
    poll, a click) with a redirect to the login page. The browser follows it inside the
    XMLHttpRequest and htmx would swap the whole login page into the fragment's target.
    Instead the answer becomes 204 with ``HX-Redirect``: htmx loads the login page as a page,
    with ``next`` set to the page the user was on (``HX-Current-URL`` when it is this site,
    else the requested path).

    Listed after HtmxMiddleware (so ``request.htmx`` is set) and so after
    LoginRequiredMiddleware: that one answers in ``process_view``, which runs inside every
    middleware's ``__call__``, so the redirect passes through here on its way out.
    """

    def __init__(self, get_response: Callable[[HtmxHttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not request.htmx or response.status_code not in (301, 302, 303, 307, 308):
            return response
        location = urlsplit(response.get("Location", ""))
        login = urlsplit(resolve_url(settings.LOGIN_URL))
        if (location.netloc, location.path) != (login.netloc, login.path):
            return response
        query = QueryDict(location.query, mutable=True)
        if REDIRECT_FIELD_NAME in query:
            query[REDIRECT_FIELD_NAME] = (
                request.htmx.current_url_abs_path or request.get_full_path()
            )
        client_redirect = HttpResponse(status=204)
        client_redirect["HX-Redirect"] = urlunsplit(location._replace(query=query.urlencode("/")))
        patch_vary_headers(client_redirect, ("HX-Request",))
        return client_redirect


class IngenLagringMiddleware:
    """Nothing shown to a logged-in user is kept by a browser or a proxy cache.

    Pages with pupils' data must not come back from a shared computer's cache or the back
    button after logging out, so every response to an authenticated user gets
    ``Cache-Control: no-store, private``. Static files (answered by WhiteNoise before this
    runs) and pages for anonymous visitors keep their headers. Listed right after
    AuthenticationMiddleware, so it sees the answer of everything below it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
