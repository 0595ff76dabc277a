"""Absence pages: the class register and the lesson register (the pupils of a class, or of
a teaching group's lesson, on one screen for one school day), and the absence import. Leave
has its own pages (``fravaer.permisjon_views``).

Each register row saves on its own through htmx and can be undone; without JavaScript the
page is one form with one save button. Both registers read and write the same entries.
Everything is fetched through ``elever.tilgang``: outside the user's scope it is 404.
"""

import datetime
import json
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from elever import selectors as elever_selectors
from elever import tilgang
from elever.importdata import Importfeil
from elever.kalender import Skolerute
from elever.models import Elev, Faggruppe, Klasse
from felles.http import HtmxHttpRequest, dato_parameter
from fravaer import regler, services
from fravaer.forms import Fravaerfilform
from fravaer.models import Fravaer, Fravaeropplasting, Gyldighet, Omfang, Registrering
from fravaer.selectors import dagens_fravaer_og_tall

STATUSER = [
    ("", gettext_lazy("Til stede")),
    (Omfang.HELE_DAGEN, Omfang.HELE_DAGEN.label),
    (Omfang.TIME, Omfang.TIME.label),
    (Omfang.FOR_SENT, Omfang.FOR_SENT.label),
    (Omfang.TILSTEDE, gettext_lazy("Ikke i undervisning")),
]
# A register offers every validity but leave, which only a granted application sets.
GYLDIGHETER = [(v, t) for v, t in Gyldighet.choices if regler.kan_registreres(v)]
TIMESTATUSER = [
    ("", gettext_lazy("Til stede")),
    (Omfang.TIME, gettext_lazy("Borte")),
    (Omfang.FOR_SENT, Omfang.FOR_SENT.label),
    (Omfang.TILSTEDE, gettext_lazy("Ikke i undervisning")),
]


FELTER = ["status", "timer", "minutter", "gyldighet", "meldt", "versjon", "angre"]


@dataclass
class Tilstand:
    """What one row says: the status, its lessons or minutes, validity, word from home."""

    status: str = ""
    timer: list[int] = field(default_factory=list)
    minutter: int | None = None
    gyldighet: str = Gyldighet.UKJENT
    meldt: bool = False


@dataclass
class Rad:
    """One pupil's row: the day's (or the lesson's) state as the register shows it."""

    elev: Elev
    tilstand: Tilstand = field(default_factory=Tilstand)
    merknader: list[str] = field(default_factory=list)
    versjon: str = ""
    prosent: Decimal | None = None
    angre: str = ""  # the state before the last save, for "Angre"
    lagret: bool = False
    angret: bool = False
    feil: str = ""

    @property
    def permisjon(self) -> bool:
        """A day of granted leave: the registers show it and leave it be."""
        return self.tilstand.gyldighet == Gyldighet.PERMISJON

    @property
    def parametre(self) -> str:
        """The fields the row posts (htmx would otherwise send the whole page's form)."""
        return ",".join(f"e{self.elev.pk}-{felt}" for felt in FELTER)


def _klassens_tilstand(dagens: list[Fravaer]) -> tuple[Tilstand, list[str]]:
    """A class row's state, and what lesson registers noted that the row only shows."""
    tilstand, merknader = Tilstand(), []
    for f in dagens:
        tilstand.gyldighet, tilstand.meldt = f.gyldighet, f.meldt_av_foresatte
        if services.er_timefravaer(f):
            merknader.append(_merknad(f))
        elif f.omfang == Omfang.TIME:
            tilstand.status = Omfang.TIME
            tilstand.timer.append(f.time)
        else:
            tilstand.status = tilstand.status or f.omfang
            tilstand.minutter = f.minutter
    tilstand.timer.sort()
    return tilstand, merknader


def _timens_tilstand(dagens: list[Fravaer], time: int) -> tuple[Tilstand, list[str]]:
    """A lesson row's state: this lesson's entry, or a whole day from the class register."""
    for f in dagens:
        hel_dag = f.time is None and f.omfang != Omfang.FOR_SENT
        if f.time == time or hel_dag:
            status = Omfang.TIME if f.omfang == Omfang.HELE_DAGEN else f.omfang
            merknader = [_("Borte hele dagen")] if f.omfang == Omfang.HELE_DAGEN else []
            return Tilstand(status, [], f.minutter, f.gyldighet, f.meldt_av_foresatte), merknader
    return Tilstand(), [_merknad(f) for f in dagens if f.omfang == Omfang.FOR_SENT]


def _merknad(f: Fravaer) -> str:
    if f.omfang == Omfang.FOR_SENT and f.time:
        return _("%(time)d. time: %(minutter)d min for sent") % {
            "time": f.time,
            "minutter": f.minutter,
        }
    if f.omfang == Omfang.FOR_SENT:
        return _("%(minutter)d min for sent") % {"minutter": f.minutter}
    return _("%(time)d. time: ikke i undervisning") % {"time": f.time}


def _rader(
    elever: list[Elev],
    dato: datetime.date,
    terminstart: datetime.date,
    tilstand_av,
    ruter: dict[int, Skolerute] | None = None,
) -> list[Rad]:
    """The rows for ``elever``: each one's state by ``tilstand_av`` and term figures."""
    oppforinger, tall = dagens_fravaer_og_tall(
        [e.pk for e in elever], dato, terminstart, ruter=ruter
    )
    rader = []
    for elev in elever:
        dagens = oppforinger[elev.pk]
        tilstand, merknader = tilstand_av(dagens)
        rader.append(
            Rad(
                elev=elev,
                tilstand=tilstand,
                merknader=merknader,
                versjon=services.versjon_av(dagens),
                prosent=tall[elev.pk].prosent_dager,
            )
        )
    return rader


def _postet_tilstand(data, prefiks: str) -> Tilstand:
    """The row's state from the posted fields. Raises ValueError on numbers that are not
    numbers."""
    minutter = data.get(f"{prefiks}minutter")
    return Tilstand(
        status=data.get(f"{prefiks}status", ""),
        timer=[int(t) for t in data.getlist(f"{prefiks}timer")],
        minutter=int(minutter) if minutter else None,
        gyldighet=data.get(f"{prefiks}gyldighet") or Gyldighet.UKJENT,
        meldt=bool(data.get(f"{prefiks}meldt")),
    )


# What "Angre" keeps of each entry of the day, to put it back as it was.
ANGREFELT = ["omfang", "time", "minutter", "gyldighet", "arsak", "meldt_av_foresatte"]
ANGREFELT += ["meldt_maate", "meldt_tidspunkt"]


def _angre_verdi(oppforinger: list[Fravaer]) -> str:
    """The day's entries before a save, for the row's "Angre" button."""
    return json.dumps(
        [{felt: getattr(f, felt) for felt in ANGREFELT} for f in oppforinger],
        cls=DjangoJSONEncoder,
    )


def _les_angre(verdi: str) -> list[dict]:
    """The entries an "Angre" button sent back; each is checked again when saved. Raises
    ValueError on anything else."""
    oppforinger = json.loads(verdi)
    if not isinstance(oppforinger, list) or not all(
        isinstance(o, dict) and set(o) == set(ANGREFELT) for o in oppforinger
    ):
        raise ValueError(verdi)
    for o in oppforinger:
        tidspunkt = o["meldt_tidspunkt"]
        o["meldt_tidspunkt"] = datetime.datetime.fromisoformat(tidspunkt) if tidspunkt else None
    return oppforinger


def _utledet(tilstand: Tilstand) -> Tilstand:
    """Ticking a lesson or typing minutes says what the status is without choosing it."""
    if tilstand.status:
        return tilstand
    status = Omfang.TIME if tilstand.timer else Omfang.FOR_SENT if tilstand.minutter else ""
    return replace(tilstand, status=status)


@dataclass
class Lagring:
    """How saving a row went: the state as the page sent it and the day before and after,
    or the error and whether it was someone else's change that stopped it (then the page
    shows what stands now)."""

    tilstand: Tilstand | None = None
    endring: services.Dagsendring | None = None
    feil: str = ""
    utdatert: bool = False


def _lagre(request, prefiks: str, lagre, gjenopprett) -> Lagring:
    """Save one posted row with ``lagre(tilstand, versjon)``, or put its day back as it was
    with ``gjenopprett(oppforinger, versjon)`` when "Angre" was pressed."""
    versjon = request.POST.get(f"{prefiks}versjon", "")
    try:
        if angre := request.POST.get(f"{prefiks}angre"):
            oppforinger, tilstand = _les_angre(angre), None
        else:
            tilstand = _postet_tilstand(request.POST, prefiks)
    except (ValueError, KeyError, TypeError, OverflowError):
        return Lagring(feil=_("Minutter og timer må være hele tall."))
    try:
        if tilstand is None:
            endring = gjenopprett(oppforinger, versjon)
        else:
            endring = lagre(_utledet(tilstand), versjon)
    except ValidationError as exc:
        utdatert = any(e.code == services.ENDRET_AV_ANDRE for e in exc.error_list)
        return Lagring(feil=" ".join(exc.messages), utdatert=utdatert)
    return Lagring(tilstand=tilstand, endring=endring)


def _radsvar(request, mal: str, kontekst: dict, elev: Elev, lagring: Lagring, tilstand_av, hel):
    """The answer to a saved row. Normally only its save cell (saved, with "Angre", or the
    error), so controls the teacher changed while the request was under way stay as they
    are and htmx sends them next; the term figure is brought up to date when the page is
    next shown. The whole row, with its figure, when it must show what is stored: after
    undo, after someone else's change, or when the server read the row differently from
    how it was sent (lessons ticked with status "Til stede" are "Timer"). ``hel()`` gives
    that row and what else its template needs beyond ``kontekst``."""
    prefiks = f"e{elev.pk}-"
    angret = f"{prefiks}angre" in request.POST
    if lagring.endring is not None:
        tilstand, merknader = tilstand_av(lagring.endring.etter)
        rad = Rad(elev, tilstand, merknader, versjon=services.versjon_av(lagring.endring.etter))
        hel_rad = (
            angret
            or tilstand != lagring.tilstand
            or merknader != tilstand_av(lagring.endring.for_endring)[1]
        )
    else:
        rad = Rad(elev, versjon=request.POST.get(f"{prefiks}versjon", ""))
        hel_rad = lagring.utdatert
    if hel_rad:
        [rad], mer = hel()
        kontekst = {**kontekst, **mer}
    rad.feil = lagring.feil
    if lagring.endring is not None:
        rad.angret, rad.lagret = angret, not angret
        rad.angre = "" if angret else _angre_verdi(lagring.endring.for_endring)
    svar = render(
        request,
        f"{mal}#rad" if hel_rad else "fravaer/_lagret.html",
        {**kontekst, "rad": rad},
        status=422 if lagring.feil else 200,
    )
    if hel_rad:
        retarget(svar, f"#rad-{elev.pk}")
        reswap(svar, "outerHTML")
    return svar


def _datolenke(navn: str, pk: int, dato: datetime.date, **ekstra) -> str:
    parametre = "&".join(f"{k}={v}" for k, v in {"dato": dato.isoformat(), **ekstra}.items())
    return f"{reverse(navn, args=[pk])}?{parametre}"


def _dagnavigasjon(rute: Skolerute, dato: datetime.date, ukedager: set[int] | None = None) -> dict:
    """The day and the school days before and after it (up to today); with ``ukedager``,
    only days on those weekdays (a teaching group's)."""
    i_dag = timezone.localdate()

    def naermeste(steg, fra: datetime.date) -> datetime.date | None:
        dag = steg(fra)
        while dag is not None and ukedager is not None and dag.isoweekday() not in ukedager:
            dag = steg(dag)
        return dag

    neste = naermeste(rute.neste_skoledag, min(dato, i_dag - datetime.timedelta(1)))
    return {
        "dato": dato,
        "i_dag": i_dag,
        "grunn_til_fri": rute.grunn_til_fri(dato),
        "fremtid": dato > i_dag,
        "forrige": naermeste(rute.forrige_skoledag, dato),
        "neste": neste if neste is not None and neste <= i_dag else None,  # not into the future
    }


def _gjenopprett(request, elev: Elev, dato: datetime.date):
    def gjenopprett(oppforinger: list[dict], versjon: str) -> services.Dagsendring:
        return services.fravaer_gjenopprett_dag(
            elev=elev,
            dato=dato,
            oppforinger=oppforinger,
            versjon=versjon,
            registrert_av=request.user,
        )

    return gjenopprett


# --- The class register -----------------------------------------------------------------


def _klasse(request, pk: int, dato: datetime.date) -> Klasse:
    klasser = Klasse.objects.select_related("skole", "skolear")
    return tilgang.hent(
        request.user,
        elever_selectors.med_terminstart(klasser, dato),
        "registrere_fravaer",
        pk=pk,
    )


def _klasse_og_elev(request, pk: int, elev_pk: int, dato: datetime.date) -> tuple[Klasse, Elev]:
    """For saving a row: the class, if ``tilgang`` grants its register, and the pupil on
    its list that day, in one query; the class's term is read only when the whole row is
    shown again (``_klasserad``)."""
    funnet = elever_selectors.paa_klasselisten(pk, elev_pk, dato)
    if funnet is None or not tilgang.kan(request.user, "registrere_fravaer", funnet[0]):
        raise Http404
    return funnet


def _klasserad(klasse: Klasse, elev: Elev, dato: datetime.date) -> tuple[list[Rad], dict]:
    klasse.terminstart = elever_selectors.terminstart(klasse, dato)
    return _klasserader(klasse, dato, [elev]), {"timer": _klassens_timer(klasse, dato)}


def _klasserader(klasse, dato, elever=None, rute=None) -> list[Rad]:
    if elever is None:
        elever = list(elever_selectors.klasseliste(klasse, dato))
    ruter = {klasse.skole_id: rute} if rute else None
    return _rader(elever, dato, klasse.terminstart, _klassens_tilstand, ruter)


def _klassens_timer(klasse: Klasse, dato: datetime.date) -> list[tuple[int, str]]:
    """The day's lessons as the rows show them: number and short subject ("3 MAT"), once per
    number even when groups have different subjects then ("3 FSP", "5 KRO/MUS")."""
    fag: dict[int, list[str]] = {}
    for t in elever_selectors.klassens_timer(klasse, dato.isoweekday()):
        kort = _FAGKODE.match(t.fagkode or "")
        navn = kort.group(0) if kort else (t.fagnavn or "")[:3]
        if navn not in fag.setdefault(t.nummer, []):
            fag[t.nummer].append(navn)
    return [(nummer, "/".join(navn)) for nummer, navn in sorted(fag.items())]


# Udir's subject codes start with the subject's letters: MAT01-05, KRO01-05, FSP6061.
_FAGKODE = re.compile(r"[A-ZÆØÅ]+")


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
            **_dagnavigasjon(rute, dato),
            "klasse": klasse,
            "rader": _klasserader(klasse, dato, rute=rute),
            "timer": _klassens_timer(klasse, dato),
            "statuser": STATUSER,
            "gyldigheter": GYLDIGHETER,
            "registrering": registrering,
        },
    )


def _sett_dag(request, elev: Elev, dato: datetime.date):
    def lagre(tilstand: Tilstand, versjon: str) -> services.Dagsendring:
        return services.fravaer_sett_dag(
            elev=elev,
            dato=dato,
            omfang=tilstand.status or None,
            timer=tilstand.timer,
            minutter=tilstand.minutter,
            gyldighet=tilstand.gyldighet,
            meldt_av_foresatte=tilstand.meldt,
            versjon=versjon,
            registrert_av=request.user,
        )

    return lagre


@require_POST
@vary_on_headers("HX-Request")
def register_rad(request: HtmxHttpRequest, pk: int, elev_pk: int) -> HttpResponse:
    """Save one pupil's row; htmx gets its save cell back, or the whole row (see
    ``_radsvar``). The class's register was granted by ``tilgang``; the pupil must be on its
    list that day."""
    dato = dato_parameter(request)
    klasse, elev = _klasse_og_elev(request, pk, elev_pk, dato)
    lagring = _lagre(
        request, f"e{elev.pk}-", _sett_dag(request, elev, dato), _gjenopprett(request, elev, dato)
    )
    if not request.htmx:
        if lagring.feil:
            messages.error(request, f"{elev.navn}: {lagring.feil}")
        return redirect(_datolenke("fravaer:register", klasse.pk, dato))
    kontekst = {
        "klasse": klasse,
        "dato": dato,
        "statuser": STATUSER,
        "gyldigheter": GYLDIGHETER,
        "url": reverse("fravaer:register_rad", args=[klasse.pk, elev.pk]),
    }
    return _radsvar(
        request,
        "fravaer/register.html",
        kontekst,
        elev,
        lagring,
        _klassens_tilstand,
        lambda: _klasserad(klasse, elev, dato),
    )


@require_POST
def register_bekreft(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Save every changed row (the page without JavaScript) and confirm the register."""
    dato = dato_parameter(request)
    klasse = _klasse(request, pk, dato)
    feil = _lagre_endrede(request, _klasserader(klasse, dato), dato, _sett_dag)
    if not feil:
        _bekreft(
            request,
            lambda: services.registrering_bekreft(
                klasse=klasse, dato=dato, bekreftet_av=request.user
            ),
        )
    return redirect(_datolenke("fravaer:register", klasse.pk, dato))


def _lagre_endrede(request, rader: list[Rad], dato: datetime.date, lagring) -> bool:
    """Save the rows whose posted state differs from what is stored; report errors."""
    feil = False
    for rad in rader:
        prefiks = f"e{rad.elev.pk}-"
        if f"{prefiks}versjon" not in request.POST:
            continue
        try:
            endret = _utledet(_postet_tilstand(request.POST, prefiks)) != rad.tilstand
        except (ValueError, KeyError, TypeError, OverflowError):
            endret = True  # _lagre reports it
        if endret:
            resultat = _lagre(
                request,
                prefiks,
                lagring(request, rad.elev, dato),
                _gjenopprett(request, rad.elev, dato),
            )
            if resultat.feil:
                messages.error(request, f"{rad.elev.navn}: {resultat.feil}")
                feil = True
    return feil


def _bekreft(request, bekreft) -> None:
    try:
        bekreft()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Registreringen er bekreftet."))


# --- The lesson register ----------------------------------------------------------------


def _faggruppe(request, pk: int, dato: datetime.date) -> Faggruppe:
    grupper = Faggruppe.objects.select_related("skole", "skolear")
    return tilgang.hent(
        request.user,
        elever_selectors.med_terminstart(grupper, dato),
        "registrere_fravaer",
        pk=pk,
    )


def _time_parameter(request, timer, dato: datetime.date) -> int | None:
    """The lesson the page is about: ``time`` from the query or form, else the one going on
    now (the latest begun, by the timetable's times) or the day's first; a lesson the group
    does not have that day does not exist."""
    verdi = request.GET.get("time") or request.POST.get("time")
    numre = [t.nummer for t in timer]
    if not verdi:
        naa = timezone.localtime()
        begynt = [
            t.nummer for t in timer if t.start and dato == naa.date() and t.start <= naa.time()
        ]
        return begynt[-1] if begynt else numre[0] if numre else None
    if not (verdi.isascii() and verdi.isdigit()) or int(verdi) not in numre:
        raise Http404
    return int(verdi)


def _timerader(faggruppe, dato, time, elever=None, rute=None) -> list[Rad]:
    if elever is None:
        elever = list(elever_selectors.gruppeliste(faggruppe, dato))
    ruter = {faggruppe.skole_id: rute} if rute else None
    return _rader(elever, dato, faggruppe.terminstart, lambda d: _timens_tilstand(d, time), ruter)


@require_GET
def timeregister(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    dato = dato_parameter(request)
    faggruppe = _faggruppe(request, pk, dato)
    timer = elever_selectors.gruppens_timer(faggruppe, dato)
    time = _time_parameter(request, timer, dato)
    rute = elever_selectors.skolerute(faggruppe.skolear, faggruppe.skole)
    registrering = (
        Registrering.objects.filter(faggruppe=faggruppe, time=time, dato=dato)
        .select_related("bekreftet_av")
        .first()
    )
    return render(
        request,
        "fravaer/timeregister.html",
        {
            **_dagnavigasjon(rute, dato, elever_selectors.gruppens_ukedager(faggruppe)),
            "faggruppe": faggruppe,
            "time": time,
            "skoletime": next((t for t in timer if t.nummer == time), None),
            "timer": timer,
            "rader": _timerader(faggruppe, dato, time, rute=rute) if time else [],
            "statuser": TIMESTATUSER,
            "gyldigheter": GYLDIGHETER,
            "registrering": registrering,
        },
    )


def _sett_time(time: int):
    def lagring(request, elev: Elev, dato: datetime.date):
        def lagre(tilstand: Tilstand, versjon: str) -> services.Dagsendring:
            return services.fravaer_sett_time(
                elev=elev,
                dato=dato,
                time=time,
                omfang=tilstand.status or None,
                minutter=tilstand.minutter,
                gyldighet=tilstand.gyldighet,
                meldt_av_foresatte=tilstand.meldt,
                versjon=versjon,
                registrert_av=request.user,
            )

        return lagre

    return lagring


@require_POST
@vary_on_headers("HX-Request")
def timeregister_rad(request: HtmxHttpRequest, pk: int, elev_pk: int) -> HttpResponse:
    dato = dato_parameter(request)
    faggruppe = _faggruppe(request, pk, dato)
    time = _time_parameter(request, elever_selectors.gruppens_timer(faggruppe, dato), dato)
    if time is None:
        raise Http404
    elev = get_object_or_404(elever_selectors.gruppeliste(faggruppe, dato), pk=elev_pk)
    lagring = _lagre(
        request,
        f"e{elev.pk}-",
        _sett_time(time)(request, elev, dato),
        _gjenopprett(request, elev, dato),
    )
    if not request.htmx:
        if lagring.feil:
            messages.error(request, f"{elev.navn}: {lagring.feil}")
        return redirect(_datolenke("fravaer:timeregister", faggruppe.pk, dato, time=time))
    kontekst = {
        "faggruppe": faggruppe,
        "dato": dato,
        "time": time,
        "statuser": TIMESTATUSER,
        "gyldigheter": GYLDIGHETER,
        "url": reverse("fravaer:timeregister_rad", args=[faggruppe.pk, elev.pk]),
    }
    return _radsvar(
        request,
        "fravaer/timeregister.html",
        kontekst,
        elev,
        lagring,
        lambda dagens: _timens_tilstand(dagens, time),
        lambda: (_timerader(faggruppe, dato, time, [elev]), {}),
    )


@require_POST
def timeregister_bekreft(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    dato = dato_parameter(request)
    faggruppe = _faggruppe(request, pk, dato)
    time = _time_parameter(request, elever_selectors.gruppens_timer(faggruppe, dato), dato)
    if time is None:
        raise Http404
    feil = _lagre_endrede(request, _timerader(faggruppe, dato, time), dato, _sett_time(time))
    if not feil:
        _bekreft(
            request,
            lambda: services.registrering_bekreft(
                faggruppe=faggruppe, time=time, dato=dato, bekreftet_av=request.user
            ),
        )
    return redirect(_datolenke("fravaer:timeregister", faggruppe.pk, dato, time=time))


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
            form.add_error("fil", exc.meldinger())
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
            "maks_rader": f"{services.OPPLASTING_MAKS_RADER:,}".replace(",", "\u00a0"),
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
        feil = exc.meldinger() if isinstance(exc, Importfeil) else exc.messages
        messages.error(request, _("Ingenting ble importert."))
        for melding in feil:
            messages.error(request, melding)
        return redirect("fravaer:import")
    messages.success(
        request,
        _("Fraværet er importert: %(omfang)s.") % {"omfang": importomfang(resultat)},
    )
    return redirect("fravaer:import")


def importomfang(resultat) -> str:
    """ "1 oppføring på 1 elevdag", "12 oppføringer på 5 elevdager"."""
    return _("%(oppforinger)s på %(dager)s") % {
        "oppforinger": ngettext("%(n)d oppføring", "%(n)d oppføringer", resultat.oppforinger)
        % {"n": resultat.oppforinger},
        "dager": ngettext("%(n)d elevdag", "%(n)d elevdager", resultat.dager)
        % {"n": resultat.dager},
    }
