from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from config.http import HtmxHttpRequest


def start(request: HtmxHttpRequest) -> HttpResponse:
    """The start page after login; its task region refreshes itself through htmx."""
    template = "rapporter/start.html#oppgaver" if request.htmx else "rapporter/start.html"
    return render(request, template, {"i_dag": timezone.localdate()})
