"""The class register: every pupil of a class on one screen for one school day.

Each row saves on its own through htmx; without JavaScript the page is one form with one save
button. Everything is fetched through ``elever.tilgang``: outside the user's scope it is 404.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from config.http import HtmxHttpRequest, dato_parameter
from elever import selectors as elever_selectors
from elever import tilgang
from elever.importdata import Importfeil
from elever.kalender import Skolerute
from elever.models import Elev, Klasse
from fravaer import services
from fravaer.forms import Fravaerfilform, PermisjonssoknadForm
from fravaer.models import Fravaeropplasting, Gyldighet, Omfang, Permisjonssoknad, Registrering
from fravaer.selectors import dagens_fravaer_og_tall

STATUSER = [("", _("Til stede")), *((o.value, o.label) for o in Omfang if o != Omfang.TILSTEDE)]


@dataclass
class Rad:
    """One pupil's row: the day's state as the register shows it."""

    elev: Elev
    omfang: str = ""
    timer: set[int] = field(default_factory=set)
    minutter: int | None = None
    gyldighet: str = Gyldighet.UKJENT
    meldt: bool = False
    versjon: str = ""
    prosent: Decimal | None = None
    lagret: bool = False
    feil: str = ""


def _klasse(request, pk: int, dato: datetime.date) -> Klasse:
    klasser = Klasse.objects.select_related("skole", "skolear")
    return tilgang.hent(
        request.user,
        elever_selectors.med_terminstart(klasser, dato),
        "registrere_fravaer",
        pk=pk,
    )


def _rader(
    klasse: Klasse,
    dato: datetime.date,
    elever: list[Elev] | None = None,
    rute: Skolerute | None = None,
) -> list[Rad]:
    """The rows of the register: the whole class, or just ``elever`` when one row is saved.
    ``rute`` is the class's calendar when the page has already read it."""
    if elever is None:
        elever = list(elever_selectors.klasseliste(klasse, dato))
    oppforinger, tall = dagens_fravaer_og_tall(
        [e.pk for e in elever],
        dato,
        klasse.terminstart,
        ruter={klasse.skole_id: rute} if rute else None,
    )
    rader = []
    for elev in elever:
        rad = Rad(elev=elev, prosent=tall[elev.pk].prosent_dager)
        dagens = oppforinger[elev.pk]
        rad.versjon = services.versjon((f.pk, f.endret) for f in dagens)
        for f in dagens:
            rad.gyldighet, rad.meldt = f.gyldighet, f.meldt_av_foresatte
            if f.omfang == Omfang.TIME:
                rad.omfang = Omfang.TIME
                rad.timer.add(f.time)
            elif not rad.omfang:
                rad.omfang, rad.minutter = f.omfang, f.minutter
        rader.append(rad)
    return rader


@require_GET
def register(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    dato = dato_parameter(request)
    klasse = _klasse(request, pk, dato)
    rute = elever_selectors.skolerute(klasse.skolear, klasse.skole)
    registrering = (
        Registrering.objects.filter(klasse=klasse, dato=dato).select_related("bekreftet_av").first()
    )
    return render(
        request,
        "fravaer/register.html",
        {
            "klasse": klasse,
            "dato": dato,
            "i_dag": timezone.localdate(),
            "grunn_til_fri": rute.grunn_til_fri(dato),
            "forrige": rute.forrige_skoledag(dato),
            "neste": rute.neste_skoledag(min(dato, timezone.localdate() - datetime.timedelta(1))),
            "rader": _rader(klasse, dato, rute=rute),
            "timer": elever_selectors.timeplan(klasse).filter(ukedag=dato.isoweekday()),
            "statuser": STATUSER,
            "gyldigheter": Gyldighet.choices,
            "registrering": registrering,
        },
    )


def _lagre_rad(request, elev: Elev, dato: datetime.date, prefiks: str) -> str:
    """Save one row from the posted fields; returns the error message, or ''."""
    data = request.POST
    omfang = data.get(f"{prefiks}status") or None
    try:
        minutter = int(data[f"{prefiks}minutter"]) if data.get(f"{prefiks}minutter") else None
        timer = [int(t) for t in data.getlist(f"{prefiks}timer")]
    except ValueError:
        return _("Minutter og timer må være hele tall.")
    if omfang is None:
        # Ticking a lesson or typing minutes says what the status is without choosing it.
        omfang = Omfang.TIME if timer else Omfang.FOR_SENT if minutter else None
    try:
        services.fravaer_sett_dag(
            elev=elev,
            dato=dato,
            omfang=omfang,
            timer=timer,
            minutter=minutter if omfang == Omfang.FOR_SENT else None,
            gyldighet=data.get(f"{prefiks}gyldighet") or Gyldighet.UKJENT,
            meldt_av_foresatte=bool(data.get(f"{prefiks}meldt")),
            versjon=data.get(f"{prefiks}versjon", ""),
            registrert_av=request.user,
        )
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@require_POST
@vary_on_headers("HX-Request")
def register_rad(request: HtmxHttpRequest, pk: int, elev_pk: int) -> HttpResponse:
    """Save one pupil's row; htmx gets the row back, marked saved or with the error."""
    dato = dato_parameter(request)
    klasse = _klasse(request, pk, dato)
    elev = tilgang.hent(request.user, elever_selectors.klasseliste(klasse, dato), pk=elev_pk)
    feil = _lagre_rad(request, elev, dato, f"e{elev.pk}-")
    if not request.htmx:
        if feil:
            messages.error(request, f"{elev.navn}: {feil}")
        return redirect(f"{reverse('fravaer:register', args=[klasse.pk])}?dato={dato.isoformat()}")
    [rad] = _rader(klasse, dato, [elev])
    rad.lagret, rad.feil = not feil, feil
    return render(
        request,
        "fravaer/register.html#rad",
        {
            "rad": rad,
            "klasse": klasse,
            "dato": dato,
            "timer": elever_selectors.timeplan(klasse).filter(ukedag=dato.isoweekday()),
            "statuser": STATUSER,
            "gyldigheter": Gyldighet.choices,
        },
        status=400 if feil else 200,
    )


@require_POST
def register_bekreft(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Save every row (the page without JavaScript) and confirm the register."""
    dato = dato_parameter(request)
    klasse = _klasse(request, pk, dato)
    feil = []
    for rad in _rader(klasse, dato):
        prefiks = f"e{rad.elev.pk}-"
        endret = f"{prefiks}versjon" in request.POST and _endret(request.POST, prefiks, rad)
        if endret and (melding := _lagre_rad(request, rad.elev, dato, prefiks)):
            feil.append(f"{rad.elev.navn}: {melding}")
    if feil:
        for melding in feil:
            messages.error(request, melding)
    else:
        try:
            services.registrering_bekreft(klasse=klasse, dato=dato, bekreftet_av=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Registreringen er bekreftet."))
    return redirect(f"{reverse('fravaer:register', args=[klasse.pk])}?dato={dato.isoformat()}")


def _endret(data, prefiks: str, rad: Rad) -> bool:
    """Whether the posted row differs from what is stored (unchanged rows are not saved)."""
    return (
        (data.get(f"{prefiks}status") or "") != rad.omfang
        or {int(t) for t in data.getlist(f"{prefiks}timer") if t.isdigit()} != rad.timer
        or (data.get(f"{prefiks}minutter") or "") != (str(rad.minutter) if rad.minutter else "")
        or (data.get(f"{prefiks}gyldighet") or Gyldighet.UKJENT) != rad.gyldighet
        or bool(data.get(f"{prefiks}meldt")) != rad.meldt
    )


# --- Leave (permisjon) -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def permisjon(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A pupil's leave applications, and registering a new one on a guardian's behalf. For
    those who decide leave (the kontaktlærer and the rektor): they are also the ones guardians
    turn to until the parent portal exists."""
    elev = tilgang.hent(request.user, Elev, "innvilge_permisjon", pk=pk)
    form = PermisjonssoknadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            soknad = services.permisjonssoknad_registrer(
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
    grense = services.permisjon_grense(request.user, elev)
    soknader = list(elev.permisjonssoknader.select_related("registrert_av", "behandlet_av"))
    venter = [
        {
            "soknad": s,
            "kan_innvilge": services.permisjon_kan_innvilge(skoledager=s.skoledager, grense=grense),
            "kan_avslaa": services.permisjon_kan_avslaa(skoledager=s.skoledager, grense=grense),
        }
        for s in reversed(soknader)  # the earliest leave first: it is the most urgent
        if s.status == Permisjonssoknad.Status.VENTER
    ]
    return render(
        request,
        "fravaer/permisjon.html",
        {
            "elev": elev,
            "klasse": elever_selectors.gjeldende_klasse(elev, timezone.localdate()),
            "form": form,
            "grense": grense,
            "kontaktlaerer_dager": services.KONTAKTLAERER_INNVILGER_DAGER,
            "maks": services.REKTOR_INNVILGER_DAGER,
            "venter": venter,
            "behandlet": [s for s in soknader if s.status != Permisjonssoknad.Status.VENTER],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def permisjon_svar(request: HtmxHttpRequest, pk: int, soknad_pk: int) -> HttpResponse:
    """Grant or refuse one application (``handling``); a refusal by the rules says why."""
    elev = tilgang.hent(request.user, Elev, "innvilge_permisjon", pk=pk)
    soknad = elev.permisjonssoknader.filter(pk=soknad_pk).first()
    handling = request.POST.get("handling")
    if soknad is None or handling not in ("innvilg", "avslaa"):
        raise Http404
    try:
        if handling == "innvilg":
            soknad = services.permisjon_innvilg(soknad=soknad, behandlet_av=request.user)
            melding = ngettext(
                "Permisjonen er innvilget, og %(dager)d skoledag er registrert som permisjon.",
                "Permisjonen er innvilget, og %(dager)d skoledager er registrert som permisjon.",
                soknad.skoledager,
            ) % {"dager": soknad.skoledager}
        else:
            services.permisjon_avslaa(soknad=soknad, behandlet_av=request.user)
            melding = _("Søknaden er avslått.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, melding)
    return redirect("fravaer:permisjon", pk=elev.pk)


# --- Absence import --------------------------------------------------------------------------


def _kan_importere(user) -> bool:
    """Those who may import a school's data (the kommune's administrator) may upload absence
    history; every pupil in the file must also be within their scope."""
    return any(tilgang.kan(user, "importere", skole) for skole in tilgang.skoler(user))


@require_http_methods(["GET", "POST"])
def fravaerimport(request: HtmxHttpRequest) -> HttpResponse:
    """Upload an absence CSV and see what importing it will write, before anything is saved."""
    if not _kan_importere(request.user):
        raise Http404
    form = Fravaerfilform(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fil = form.cleaned_data["fil"]
        try:
            opplasting, resultat = services.fravaeropplasting_last_opp(
                bruker=request.user,
                filnavn=fil.name,
                innhold=fil.read(),
                innenfor=tilgang.elever(request.user),
            )
        except Importfeil as exc:
            form.add_error("fil", [str(f) for f in exc.feil])
        except ValidationError as exc:
            form.add_error("fil", exc)
        else:
            return render(
                request,
                "fravaer/import_forhandsvisning.html",
                {
                    "opplasting": opplasting,
                    "resultat": resultat,
                    "per_elev": sorted(
                        resultat.per_elev.items(), key=lambda r: (r[0].fornavn, r[0].etternavn)
                    ),
                },
            )
    return render(
        request,
        "fravaer/import.html",
        {
            "form": form,
            "maks_rader": services.OPPLASTING_MAKS_RADER,
            "tidligere": Fravaeropplasting.objects.filter(
                lastet_opp_av=request.user, importert__isnull=False
            )[:10],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def fravaerimport_bekreft(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Import a previewed file: only its uploader, still allowed to import, and every pupil
    still within their scope."""
    opplasting = Fravaeropplasting.objects.filter(pk=pk, lastet_opp_av=request.user).first()
    if opplasting is None or not _kan_importere(request.user):
        raise Http404
    try:
        resultat = services.fravaeropplasting_bekreft(
            opplasting=opplasting, innenfor=tilgang.elever(request.user)
        )
    except (Importfeil, ValidationError) as exc:
        feil = [str(f) for f in exc.feil] if isinstance(exc, Importfeil) else exc.messages
        messages.error(request, _("Ingenting ble importert."))
        for melding in feil:
            messages.error(request, melding)
        return redirect("fravaer:import")
    messages.success(
        request,
        _("Fraværet er importert: %(oppforinger)d oppføringer på %(dager)d elevdager.")
        % {"oppforinger": resultat.oppforinger, "dager": resultat.dager},
    )
    return redirect("fravaer:import")
