"""Leave applications and the decisions on them (DESIGN §3).

The limits are ``fravaer.regler``'s, who may decide is ``elever.tilgang``'s; here the
figures are read and the decisions written. A decision locks the pupil as the registers
do, so two decisions at the same time cannot both pass the yearly cap.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from elever import selectors as elever_selectors
from elever import services as elever_services
from elever import tilgang
from elever.models import Elev, Skole, User
from fravaer import regler
from fravaer.models import Arsak, Fravaer, Gyldighet, Omfang, Permisjonssoknad


def grenser(elev: Elev) -> regler.Grenser:
    """The limits of the pupil's kommune."""
    kommune = elev.kommune
    return regler.Grenser(kommune.permisjon_kontaktlaerer_dager, kommune.permisjon_maks_dager)


def _skole(elev: Elev, dato: datetime.date) -> Skole:
    skole = elever_selectors.skole_for_elev(elev, dato)
    if skole is None:
        raise ValidationError(
            _("%(navn)s går ikke ved skolen %(dato)s.")
            % {"navn": elev.navn, "dato": f"{dato:%d.%m.%Y}"}
        )
    return skole


def permisjonssoknad_registrer(
    *,
    elev: Elev,
    fra: datetime.date,
    til: datetime.date,
    arsak: str,
    registrert_av: User,
) -> Permisjonssoknad:
    """Register a guardian's application; the school days it covers are counted now, so the
    page can say at once how much leave it is."""
    if til < fra:
        raise ValidationError(_("Sluttdatoen kan ikke være før startdatoen."))
    dager = elever_selectors.skoledager(_skole(elev, fra), fra, til)
    if not dager:
        raise ValidationError(_("Perioden har ingen skoledager, så det trengs ingen permisjon."))
    soknad = Permisjonssoknad(
        elev=elev,
        fra=fra,
        til=til,
        arsak=arsak,
        skoledager=len(dager),
        registrert_av=registrert_av,
    )
    soknad.full_clean(exclude=["registrert_av"])
    soknad.save()
    return soknad


def aarsoversikt(
    elev: Elev, dager: list[datetime.date], fra: datetime.date, til: datetime.date
) -> list[regler.Aar]:
    """The pupil's granted leave in each school year the period touches, and how many of
    ``dager`` fall in it. A day already granted counts once, so leave that overlaps earlier
    leave adds only its new days."""
    aarene = elever_selectors.skolearene(elev.kommune_id, fra, til)
    if not aarene:
        return []
    innvilget = set(
        Fravaer.objects.filter(
            elev=elev,
            gyldighet=Gyldighet.PERMISJON,
            dato__range=(aarene[0].start, aarene[-1].slutt),
        ).values_list("dato", flat=True)
    ) - set(dager)
    return [
        regler.Aar(
            navn=str(a),
            innvilget=sum(a.start <= d <= a.slutt for d in innvilget),
            soknad=sum(a.start <= d <= a.slutt for d in dager),
        )
        for a in aarene
    ]


@dataclass(frozen=True)
class Vurdering:
    """What a decider may do with an application, and the figures the page shows."""

    aar: list[regler.Aar]
    grenser: regler.Grenser
    rektor: bool
    startet: bool
    hinder: regler.Hinder | None
    kan_avslaa: bool

    @property
    def kan_innvilge(self) -> bool:
        return self.hinder is None


def permisjon_vurder(*, soknad: Permisjonssoknad, bruker: User) -> Vurdering:
    """Whether ``bruker`` may grant or refuse the application, by the pupil's leave in the
    school year as it stands now."""
    elev = soknad.elev
    skole = _skole(elev, soknad.fra)
    dager = elever_selectors.skoledager(skole, soknad.fra, soknad.til)
    return _vurder(soknad, bruker, dager)


def _vurder(soknad: Permisjonssoknad, bruker: User, dager: list[datetime.date]) -> Vurdering:
    elev = soknad.elev
    if not tilgang.kan(bruker, "innvilge_permisjon", elev):
        raise ValidationError(
            _("Bare elevens kontaktlærer og rektor kan svare på søknader om permisjon.")
        )
    aar = aarsoversikt(elev, dager, soknad.fra, soknad.til)
    rektor = tilgang.kan(bruker, "innvilge_permisjon_til_aarsgrensen", elev)
    startet = regler.har_startet(soknad.fra, timezone.localdate())
    g = grenser(elev)
    hinder = regler.hinder(aar, grenser=g, rektor=rektor, startet=startet)
    if hinder == regler.Hinder.STARTET and tilgang.kan(
        bruker, "innvilge_permisjon_etter_start", elev
    ):
        hinder = None
    return Vurdering(
        aar=aar,
        grenser=g,
        rektor=rektor,
        startet=startet,
        hinder=hinder,
        kan_avslaa=regler.kan_avslaa(aar, grenser=g, rektor=rektor),
    )


def hindermelding(vurdering: Vurdering, soknad: Permisjonssoknad) -> str:
    """Why the application cannot be granted by this decider, in words for the page."""
    g = vurdering.grenser
    etter = max((a.etter for a in vurdering.aar), default=0)
    if vurdering.hinder == regler.Hinder.OVER_MAKS:
        return _(
            "Eleven kan få innvilget høyst %(maks)d skoledager permisjon i skoleåret, og med "
            "denne søknaden blir det %(etter)d. Da må eleven i stedet meldes ut av skolen "
            "(utmelding) for perioden, og meldes inn igjen etterpå. Snakk med foresatte om "
            "dette."
        ) % {"maks": g.maks, "etter": etter}
    if vurdering.hinder == regler.Hinder.OVER_GRENSE:
        return ngettext(
            "Kontaktlæreren kan innvilge til eleven har %(grense)d skoledag permisjon i "
            "skoleåret; med denne søknaden blir det %(etter)d. Rektor avgjør søknaden.",
            "Kontaktlæreren kan innvilge til eleven har %(grense)d skoledager permisjon i "
            "skoleåret; med denne søknaden blir det %(etter)d. Rektor avgjør søknaden.",
            g.kontaktlaerer,
        ) % {"grense": g.kontaktlaerer, "etter": etter}
    return _(
        "Permisjonen begynner %(dato)s. Permisjon avgjøres før den begynner; når den har "
        "begynt, kan bare rektor innvilge den, og rektor må skrive hvorfor."
    ) % {"dato": f"{soknad.fra:%d.%m.%Y}"}


def _begrunnelse(tekst: str) -> str:
    tekst = tekst.strip()
    if not tekst:
        raise ValidationError(_("Skriv begrunnelsen for vedtaket."))
    return tekst


def permisjon_innvilg(
    *,
    soknad: Permisjonssoknad,
    behandlet_av: User,
    begrunnelse: str,
    grunn_etter_start: str = "",
) -> Permisjonssoknad:
    """Grant leave within the decider's limit for the pupil's school year, and mark its
    school days as ``permisjon``. Absence already registered on those days is replaced by
    the leave; the history keeps what it was."""
    begrunnelse = _begrunnelse(begrunnelse)
    grunn_etter_start = grunn_etter_start.strip()
    with transaction.atomic():
        # As the registers: decisions for one pupil are made one at a time, so the year's
        # total read below is still the total when the leave is written.
        elever_services.laas_elever([soknad.elev_id])
        dager = elever_selectors.skoledager(_skole(soknad.elev, soknad.fra), soknad.fra, soknad.til)
        if not dager:
            raise ValidationError(
                _("Perioden har ingen skoledager, så det trengs ingen permisjon.")
            )
        vurdering = _vurder(soknad, behandlet_av, dager)
        if vurdering.hinder is not None:
            raise ValidationError(hindermelding(vurdering, soknad))
        if vurdering.startet and not grunn_etter_start:
            # Named by field, so the page puts it at the field it is about.
            raise ValidationError(
                {
                    "grunn_etter_start": _(
                        "Permisjonen begynte %(dato)s. Skriv hvorfor den innvilges etter at "
                        "den har begynt."
                    )
                    % {"dato": f"{soknad.fra:%d.%m.%Y}"}
                }
            )
        soknad = _behandle(
            soknad,
            Permisjonssoknad.Status.INNVILGET,
            behandlet_av,
            begrunnelse=begrunnelse,
            grunn_etter_start=grunn_etter_start if vurdering.startet else "",
        )
        permisjonsdager_skriv(soknad=soknad, dager=dager, registrert_av=behandlet_av)
    return soknad


def permisjonsdager_skriv(
    *, soknad: Permisjonssoknad, dager: Iterable[datetime.date], registrert_av: User
) -> None:
    """The granted application's school days as whole days of leave, in place of whatever
    was registered those days (the history keeps that)."""
    dager = list(dager)
    Fravaer.objects.filter(elev=soknad.elev, dato__in=dager).delete()
    Fravaer.objects.bulk_create(
        Fravaer(
            elev=soknad.elev,
            dato=dag,
            omfang=Omfang.HELE_DAGEN,
            gyldighet=Gyldighet.PERMISJON,
            arsak=Arsak.PERMISJON,
            registrert_av=registrert_av,
            permisjonssoknad=soknad,
        )
        for dag in dager
    )


def permisjon_avslaa(
    *, soknad: Permisjonssoknad, behandlet_av: User, begrunnelse: str
) -> Permisjonssoknad:
    """Refuse an application within the decider's authority. No absence entry changes."""
    begrunnelse = _begrunnelse(begrunnelse)
    with transaction.atomic():
        vurdering = permisjon_vurder(soknad=soknad, bruker=behandlet_av)
        if not vurdering.kan_avslaa:
            raise ValidationError(
                _(
                    "Med denne søknaden får eleven %(etter)d skoledager permisjon i skoleåret, "
                    "og du kan avgjøre søknader opp til %(grense)d. Rektor avgjør søknaden."
                )
                % {
                    "etter": max((a.etter for a in vurdering.aar), default=0),
                    "grense": vurdering.grenser.for_rolle(rektor=False),
                }
            )
        return _behandle(
            soknad, Permisjonssoknad.Status.AVSLATT, behandlet_av, begrunnelse=begrunnelse
        )


def _behandle(
    soknad: Permisjonssoknad, status: str, behandlet_av: User, **vedtak: str
) -> Permisjonssoknad:
    """Answer the application once: locked, so two answers at the same time cannot both
    stand. Call inside a transaction."""
    soknad = Permisjonssoknad.objects.select_for_update().select_related("elev").get(pk=soknad.pk)
    if soknad.status != Permisjonssoknad.Status.VENTER:
        raise ValidationError(_("Søknaden er allerede behandlet."))
    soknad.status, soknad.behandlet_av, soknad.behandlet = status, behandlet_av, timezone.now()
    for felt, verdi in vedtak.items():
        setattr(soknad, felt, verdi)
    soknad.save(update_fields=["status", "behandlet_av", "behandlet", *vedtak])
    return soknad
