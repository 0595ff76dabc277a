from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from config.http import HtmxHttpRequest


@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def start(request: HtmxHttpRequest) -> HttpResponse:
    """The start page after login; its task region refreshes itself through htmx."""
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "rapporter/start.html#oppgaver" if fragment else "rapporter/start.html"
    return render(request, template, {"i_dag": timezone.localdate()})
