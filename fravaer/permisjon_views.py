"""Leave pages: a pupil's applications, registering one on a guardian's behalf, and each
application's own page, where it is decided with its grounds.

For those who decide leave (``innvilge_permisjon``: the kontaktlærer and the rektor); they
are also the ones guardians turn to until the parent portal exists. What a decider may do
with an application, and why not, comes from ``fravaer.permisjon``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from elever import selectors as elever_selectors
from elever import tilgang
from elever.models import Elev
from felles.http import HtmxHttpRequest
from fravaer import permisjon as tjenester
from fravaer.forms import PermisjonssoknadForm, PermisjonsvedtakForm
from fravaer.models import Permisjonssoknad


def _elev(request, pk: int) -> Elev:
    return tilgang.hent(
        request.user, Elev.objects.select_related("kommune"), "innvilge_permisjon", pk=pk
    )


def _felles(elev: Elev) -> dict:
    """What both pages show: the pupil's class and the kommune's limits."""
    return {
        "elev": elev,
        "klasse": elever_selectors.gjeldende_klasse(elev, timezone.localdate()),
        "grenser": tjenester.grenser(elev),
    }


@require_http_methods(["GET", "POST"])
def permisjon(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A pupil's leave applications and this school year's granted leave, and registering
    a new application."""
    elev = _elev(request, pk)
    form = PermisjonssoknadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            soknad = tjenester.permisjonssoknad_registrer(
                elev=elev, registrert_av=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Søknaden er registrert. Den gjelder %(dager)d skoledag.",
                    "Søknaden er registrert. Den gjelder %(dager)d skoledager.",
                    soknad.skoledager,
                )
                % {"dager": soknad.skoledager},
            )
            return redirect("fravaer:permisjon", pk=elev.pk)
    i_dag = timezone.localdate()
    soknader = list(elev.permisjonssoknader.select_related("registrert_av", "behandlet_av"))
    return render(
        request,
        "fravaer/permisjon.html",
        {
            **_felles(elev),
            "form": form,
            "aaret": next(iter(tjenester.aarsoversikt(elev, [], i_dag, i_dag)), None),
            # The earliest leave first: it is the most urgent.
            "venter": [s for s in reversed(soknader) if s.status == Permisjonssoknad.Status.VENTER],
            "behandlet": [s for s in soknader if s.status != Permisjonssoknad.Status.VENTER],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def permisjonssoknad(request: HtmxHttpRequest, pk: int, soknad_pk: int) -> HttpResponse:
    """One application: what it asks, the pupil's leave in the school year with and
    without it, and the decision (``handling`` innvilg or avslaa) with its grounds; once
    decided, the decision as made."""
    elev = _elev(request, pk)
    soknad = get_object_or_404(
        elev.permisjonssoknader.select_related("elev__kommune", "registrert_av", "behandlet_av"),
        pk=soknad_pk,
    )
    handling = request.POST.get("handling")
    if request.method == "POST" and handling not in ("innvilg", "avslaa"):
        raise Http404
    form = PermisjonsvedtakForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            melding = _vedta(request, soknad, handling, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, melding)
            return redirect("fravaer:permisjonssoknad", pk=elev.pk, soknad_pk=soknad.pk)
    vurdering, hinder = None, ""
    if soknad.status == Permisjonssoknad.Status.VENTER:
        try:
            vurdering = tjenester.permisjon_vurder(soknad=soknad, bruker=request.user)
        except ValidationError as exc:
            hinder = " ".join(exc.messages)
        else:
            hinder = tjenester.hindermelding(vurdering, soknad) if vurdering.hinder else ""
    return render(
        request,
        "fravaer/permisjonssoknad.html",
        {**_felles(elev), "soknad": soknad, "vurdering": vurdering, "hinder": hinder, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _vedta(request, soknad: Permisjonssoknad, handling: str, data: dict) -> str:
    """Make the decision; the message that says what it did."""
    if handling == "avslaa":
        tjenester.permisjon_avslaa(
            soknad=soknad, behandlet_av=request.user, begrunnelse=data["begrunnelse"]
        )
        return _("Søknaden er avslått.")
    soknad = tjenester.permisjon_innvilg(
        soknad=soknad,
        behandlet_av=request.user,
        begrunnelse=data["begrunnelse"],
        grunn_etter_start=data["grunn_etter_start"],
    )
    return ngettext(
        "Permisjonen er innvilget, og %(dager)d skoledag er registrert som permisjon.",
        "Permisjonen er innvilget, og %(dager)d skoledager er registrert som permisjon.",
        soknad.skoledager,
    ) % {"dager": soknad.skoledager}
