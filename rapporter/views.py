from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.vary import vary_on_headers

from elever import selectors as elever_selectors
from elever import tilgang
from elever.models import Elev
from felles.http import HtmxHttpRequest
from fravaer import selectors as fravaer_selectors


@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def start(request: HtmxHttpRequest) -> HttpResponse:
    """The start page after login; its task region refreshes itself through htmx."""
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "rapporter/start.html#oppgaver" if fragment else "rapporter/start.html"
    i_dag = timezone.localdate()
    return render(request, template, {"i_dag": i_dag, **_oppgaver(request.user, i_dag)})


def _oppgaver(user, i_dag) -> dict:
    """Today's tasks by role: pupils whose guardians the kontaktlærer must call, the
    classes the leadership sees not registered yet, and the leave applications waiting for
    an answer from the kontaktlærer or the rektor."""
    r = tilgang.roller(user)
    aarets = tilgang.klasser(user).filter(skolear__start__lte=i_dag, skolear__slutt__gte=i_dag)
    ring = []
    if r.kontaktlaerer:
        elev_ids = [
            e.pk
            for klasse in aarets.filter(pk__in=r.kontaktlaerer)
            for e in elever_selectors.klasseliste(klasse, i_dag)
        ]
        dager = fravaer_selectors.uten_melding_fra_hjemmet(elev_ids, i_dag)
        ring = [(elev, dager[elev.pk]) for elev in Elev.objects.filter(pk__in=dager)]
    ikke_registrert = []
    if r.rektor or r.ressursteam:
        ikke_registrert = fravaer_selectors.klasser_ikke_registrert(
            aarets.filter(skole__in=r.skoleledelse), i_dag
        )
    permisjon = []
    if r.rektor or r.kontaktlaerer:
        permisjon = fravaer_selectors.permisjonssoknader_som_venter(tilgang.permisjonselever(user))
    egne_klasser = aarets.filter(pk__in=r.kontaktlaerer).select_related("skole")
    egne_grupper = tilgang.faggrupper(user).filter(
        pk__in=r.faglaerer, skolear__start__lte=i_dag, skolear__slutt__gte=i_dag
    )
    return {
        # Today's registers, one click away: the kontaktlærer's classes, the faglærer's lessons.
        "klasseregistre": fravaer_selectors.registreringsstatus(egne_klasser, i_dag)
        if r.kontaktlaerer
        else [],
        "timer_i_dag": _paa_skoledager(
            elever_selectors.timer_for_grupper(egne_grupper, i_dag) if r.faglaerer else [], i_dag
        ),
        "ring_foresatte": ring,
        "ikke_registrert": ikke_registrert,
        "permisjon_venter": permisjon,
    }


def _paa_skoledager(timer, i_dag) -> list:
    """The lessons whose school has school today (none on a holiday)."""
    skoledag: dict[int, bool] = {}
    return [
        t
        for t in timer
        if skoledag.setdefault(
            t.faggruppe.skole_id, elever_selectors.er_skoledag(t.faggruppe.skole, i_dag)
        )
    ]
