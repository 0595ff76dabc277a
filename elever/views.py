"""Pages for classes, pupils, schools, the school calendar and roster imports.

Every object is fetched through ``elever.tilgang``: outside the user's scope it is a 404.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from elever import kalender, selectors, services, tilgang
from elever.forms import (
    SkolearForm,
    SkoleimportForm,
    SkoleruteimportForm,
    SkoleruteunntakForm,
)
from elever.importdata import Importfeil
from elever.kalender import dager
from elever.leselogg import FODSELSNUMMER, FORESATT_KONTAKT, leselogg_skriv
from elever.models import (
    Elev,
    Faggruppe,
    Klasse,
    Kommune,
    Rolle,
    Rolletildeling,
    Skole,
    Skoleimport,
    Skoleruteunntak,
    brukernavn_nokkel,
)
from elever.skolerute_csv import les_skolerute
from felles.http import HtmxHttpRequest, dato_parameter


class UtloggingView(auth_views.LogoutView):
    """Django's logout, confirming on the login page that it happened."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("Du er logget ut."))
        return response


def sperrenavn(request, credentials=None) -> str | None:
    """The username django-axes counts failed logins for (AXES_USERNAME_CALLABLE): in lower
    case, as the login finds it, so ``Kari`` and ``kari`` share one count and one lock."""
    kilde = credentials if credentials else request.POST
    navn = kilde.get(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"))
    return brukernavn_nokkel(navn) if isinstance(navn, str) else navn


def innlogging_sperret(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer while a username is locked from this address (AXES_LOCKOUT_CALLABLE).

    429 Too Many Requests, not 403: the password may well be right, it is the number of
    attempts that is refused, and Retry-After tells when to try again."""
    sperretid = settings.AXES_COOLOFF_TIME
    response = render(
        request,
        "registration/sperret.html",
        {"minutter": int(sperretid.total_seconds() // 60)},
        status=429,
    )
    response["Retry-After"] = str(int(sperretid.total_seconds()))
    return response


def klasser(request: HtmxHttpRequest) -> HttpResponse:
    """ "Mine klasser": the classes the user may open this school year, grouped by school."""
    i_dag = timezone.localdate()
    r = tilgang.roller(request.user)
    synlige = tilgang.klasser(request.user).filter(
        skolear__start__lte=i_dag, skolear__slutt__gte=i_dag
    )
    klasseliste = list(selectors.klasser_med_antall(synlige, i_dag))
    skoler: dict[Skole, list[Klasse]] = {}
    for klasse in klasseliste:
        skoler.setdefault(klasse.skole, []).append(klasse)
    faggrupper = (
        tilgang.faggrupper(request.user)
        .filter(pk__in=r.faglaerer, skolear__start__lte=i_dag, skolear__slutt__gte=i_dag)
        .select_related("skole")
    )
    return render(
        request,
        "elever/klasser.html",
        {
            "skoler": skoler,
            "faggrupper": faggrupper,
            "bare_egne": not (r.administrator or r.skoleledelse),
            # The school pages (staff, imports) of the schools the user leads or administers.
            "skolesider": {s.pk for s in skoler if tilgang.kan(request.user, "se", s)},
        },
    )


def klasse(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    klasse = tilgang.hent(request.user, Klasse.objects.select_related("skole", "skolear"), pk=pk)
    dato = dato_parameter(request)
    elever = list(selectors.klasseliste(klasse, dato))
    kontaktlaerere = Rolletildeling.objects.filter(
        klasse=klasse, rolle=Rolle.KONTAKTLAERER
    ).select_related("bruker")
    return render(
        request,
        "elever/klasse.html",
        {
            "klasse": klasse,
            "elever": elever,
            "dato": dato,
            "kontaktlaerere": [t.bruker for t in kontaktlaerere],
            "timeplan": _timeplan_tabell(klasse),
            "kan_registrere": tilgang.kan(request.user, "registrere_fravaer", klasse),
        },
    )


def _timeplan_tabell(klasse: Klasse) -> list[dict]:
    """Rows by lesson number, a cell per weekday (several when groups run in parallel)."""
    rader: dict[int, list[list]] = {}
    for time in selectors.timeplan(klasse):
        rader.setdefault(time.nummer, [[] for _ in range(5)])[time.ukedag - 1].append(time)
    return [{"nummer": n, "dager": rader[n]} for n in sorted(rader)]


def faggruppe(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    faggruppe = tilgang.hent(request.user, Faggruppe.objects.select_related("skole"), pk=pk)
    i_dag = timezone.localdate()
    return render(
        request,
        "elever/faggruppe.html",
        {
            "faggruppe": faggruppe,
            "elever": selectors.gruppeliste(faggruppe, i_dag),
            "timer": selectors.gruppens_timer(faggruppe, i_dag),
            "kan_registrere": tilgang.kan(request.user, "registrere_fravaer", faggruppe),
        },
    )


def elev(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The pupil card: what the user's role may see of this pupil, nothing more. The full
    fødselsnummer and the guardians' contact data go into the read log before they are shown."""
    elev = tilgang.hent(request.user, Elev, pk=pk)
    i_dag = timezone.localdate()
    kan = {
        handling: tilgang.kan(request.user, handling, elev)
        for handling in ("se_foresatte", "se_fodselsnummer", "se_adresse", "innvilge_permisjon")
    }
    foresatte = list(selectors.foresatte(elev)) if kan["se_foresatte"] else []
    leselogg_skriv(
        bruker=request.user,
        lest={
            FODSELSNUMMER: [elev.pk] if kan["se_fodselsnummer"] and elev.fodselsnummer else [],
            FORESATT_KONTAKT: [relasjon.foresatt_id for relasjon in foresatte],
        },
    )
    return render(
        request,
        "elever/elev.html",
        {
            "elev": elev,
            "klasse": selectors.gjeldende_klasse(elev, i_dag),
            "foresatte": foresatte,
            "historikk": selectors.klassehistorikk(elev),
            "kan": kan,
        },
    )


def skole(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The school's classes and staff, for its leadership and the administrator."""
    skole = tilgang.hent(request.user, Skole.objects.select_related("kommune"), pk=pk)
    i_dag = timezone.localdate()
    klasser = selectors.klasser_med_antall(
        tilgang.klasser(request.user).filter(
            skole=skole, skolear__start__lte=i_dag, skolear__slutt__gte=i_dag
        ),
        i_dag,
    )
    ansatte = (
        tilgang.ansatte(request.user, skole)
        .prefetch_related(
            Prefetch(
                "rolletildelinger",
                queryset=Rolletildeling.objects.select_related("skole", "klasse", "faggruppe"),
            )
        )
        .order_by("first_name", "last_name")
    )
    return render(
        request,
        "elever/skole.html",
        {
            "skole": skole,
            "klasser": klasser,
            "ansatte": [(a, _roller_ved(a, skole)) for a in ansatte],
            "kan_se_ansatte": tilgang.kan(request.user, "se_ansatte", skole),
            "kan_importere": tilgang.kan(request.user, "importere", skole),
        },
    )


def _roller_ved(bruker, skole: Skole) -> list[str]:
    roller = []
    for t in bruker.rolletildelinger.all():
        omfang = t.omfang
        if getattr(omfang, "skole_id", None) == skole.pk or omfang == skole:
            tekst = t.get_rolle_display()
            roller.append(tekst if omfang == skole else f"{tekst} {omfang}")
    return sorted(roller)


# --- School calendar -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def skolerute(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The kommune's school calendar: school years, days off per school, and the import."""
    kommune = tilgang.hent(request.user, Kommune, "redigere_skolerute", pk=pk)
    i_dag = timezone.localdate()
    skolear = selectors.skolear_for(kommune, dato_parameter(request)) or kommune.skolear.first()
    skolearform = SkolearForm(prefix="aar", initial=_skolear_initial(skolear, i_dag))
    unntakform = SkoleruteunntakForm(kommune=kommune, prefix="unntak")
    importform = SkoleruteimportForm(prefix="import")
    if request.method == "POST":
        handling = request.POST.get("handling")
        if handling == "skolear":
            skolearform = SkolearForm(request.POST, prefix="aar")
            if skolearform.is_valid():
                try:
                    skolear = services.skolear_lagre(kommune=kommune, **skolearform.cleaned_data)
                except ValidationError as exc:
                    skolearform.add_error(None, exc)
                else:
                    messages.success(request, _("Skoleåret %s er lagret.") % skolear.navn)
                    return redirect(_skolerute_url(kommune, skolear))
        elif handling == "unntak":
            unntakform = SkoleruteunntakForm(request.POST, kommune=kommune, prefix="unntak")
            if unntakform.is_valid():
                try:
                    unntak = services.skoleruteunntak_opprett(
                        kommune=kommune, **unntakform.cleaned_data
                    )
                except ValidationError as exc:
                    unntakform.add_error(None, exc)
                else:
                    messages.success(request, _("«%s» er lagt inn.") % unntak.navn)
                    return redirect(_skolerute_url(kommune, skolear))
        elif handling == "import":
            importform = SkoleruteimportForm(request.POST, request.FILES, prefix="import")
            if importform.is_valid():
                fil = importform.cleaned_data["fil"]
                try:
                    resultat = services.skolerute_importer(
                        kommune=kommune,
                        rader=les_skolerute(fil.read(), filnavn=fil.name),
                        filnavn=fil.name,
                    )
                except Importfeil as exc:
                    importform.add_error(None, exc.meldinger())
                else:
                    messages.success(
                        request,
                        _("Skoleruten for %(aar)s er importert (%(antall)d fridager og ferier).")
                        % {"aar": ", ".join(resultat.skolear), "antall": resultat.unntak},
                    )
                    return redirect(_skolerute_url(kommune, skolear))
        else:
            raise Http404
    return render(
        request,
        "elever/skolerute.html",
        {
            "kommune": kommune,
            "skolear": skolear,
            "alle_skolear": kommune.skolear.all(),
            "unntak": _unntak_i(kommune, skolear),
            "skoler": _skoledager_per_skole(kommune, skolear),
            "maaneder": _maaneder(kommune, skolear),
            "skolearform": skolearform,
            "unntakform": unntakform,
            "importform": importform,
        },
        status=400 if request.method == "POST" else 200,
    )


def _skolerute_url(kommune: Kommune, skolear) -> str:
    url = reverse("elever:skolerute", kwargs={"pk": kommune.pk})
    return f"{url}?dato={skolear.start.isoformat()}" if skolear else url


def _skolear_initial(skolear, i_dag: datetime.date) -> dict:
    if skolear is None:
        return {"startaar": kalender.startaar(i_dag)}
    return {
        "startaar": skolear.start.year,
        "forste_skoledag": skolear.forste_skoledag,
        "siste_skoledag": skolear.siste_skoledag,
    }


def _unntak_i(kommune: Kommune, skolear):
    if skolear is None:
        return []
    return kommune.skoleruteunntak.filter(
        fra__lte=skolear.slutt, til__gte=skolear.start
    ).select_related("skole")


def _skoledager_per_skole(kommune: Kommune, skolear) -> list[tuple[Skole, int]]:
    if skolear is None:
        return []
    return [
        (skole, selectors.skolerute(skolear, skole).antall_skoledager(skolear.start, skolear.slutt))
        for skole in kommune.skoler.all()
    ]


def _maaneder(kommune: Kommune, skolear) -> list[dict]:
    """The kommune-wide calendar as months of days, each marked school day or why not."""
    if skolear is None:
        return []
    rute = selectors.skolerute(skolear)
    maaneder: list[dict] = []
    for dag in dager(skolear.start, skolear.slutt):
        if not maaneder or maaneder[-1]["start"].month != dag.month:
            maaneder.append(
                {"start": dag, "dager": [], "skoledager": 0, "innrykk": range(dag.weekday())}
            )
        grunn = rute.grunn_til_fri(dag)
        maaneder[-1]["dager"].append({"dato": dag, "grunn": grunn})
        maaneder[-1]["skoledager"] += grunn is None
    return maaneder


@require_POST
def skoleruteunntak_slett(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    unntak = Skoleruteunntak.objects.select_related("kommune").filter(pk=pk).first()
    if unntak is None or not tilgang.kan(request.user, "redigere_skolerute", unntak.kommune):
        raise Http404
    unntak.delete()
    messages.success(request, _("«%s» er slettet.") % unntak.navn)
    skolear = selectors.skolear_for(unntak.kommune, unntak.fra)
    return redirect(_skolerute_url(unntak.kommune, skolear))


# --- Roster import -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def skoleimport(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Upload a roster file, see what it will change, then confirm."""
    skole = tilgang.hent(request.user, Skole, "importere", pk=pk)
    form = SkoleimportForm()
    if request.method == "POST":
        form = SkoleimportForm(request.POST, request.FILES)
        if form.is_valid():
            fil = form.cleaned_data["fil"]
            try:
                opplasting, resultat = services.skoleimport_last_opp(
                    skole=skole, bruker=request.user, filnavn=fil.name, innhold=fil.read()
                )
            except Importfeil as exc:
                form.add_error("fil", exc.meldinger())
            else:
                return render(
                    request,
                    "elever/skoleimport_forhandsvisning.html",
                    {"skole": skole, "opplasting": opplasting, "resultat": resultat},
                )
    return render(
        request,
        "elever/skoleimport.html",
        {
            "skole": skole,
            "form": form,
            "tidligere": skole.importer.filter(importert__isnull=False)[:10],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def skoleimport_bekreft(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    opplasting = Skoleimport.objects.select_related("skole").filter(pk=pk).first()
    if (
        opplasting is None
        or opplasting.lastet_opp_av_id != request.user.pk
        or not tilgang.kan(request.user, "importere", opplasting.skole)
    ):
        raise Http404
    try:
        resultat = services.skoleimport_bekreft(opplasting=opplasting)
    except (Importfeil, ValidationError) as exc:
        feil = exc.meldinger() if isinstance(exc, Importfeil) else exc.messages
        for melding in feil:
            messages.error(request, melding)
        return redirect("elever:skoleimport", pk=opplasting.skole_id)
    antall = resultat.antall["elever"]
    messages.success(
        request,
        _("Importert: %(nye)d nye elever, %(endret)d endret, %(sluttet)d markert som sluttet.")
        % {"nye": antall["nye"], "endret": antall["endret"], "sluttet": antall["sluttet"]},
    )
    return redirect("elever:skole", pk=opplasting.skole_id)
