"""Writes about absence: registering, changing and removing entries, confirming a register.

Each function is one transaction and validates before it saves, so a bad entry gives a
Norwegian message and changes nothing. Scope (may this user register for this pupil?) is
decided by the caller through ``elever.tilgang``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from elever import selectors as elever_selectors
from elever.models import Elev, User
from fravaer.models import Fravaer, Gyldighet, Omfang

# Without start and end times in the timetable, a school day is at most this long.
LENGSTE_SKOLEDAG_MINUTTER = 7 * 60


def _sjekk_dato(elev: Elev, dato: datetime.date, gyldighet: str) -> None:
    if dato > timezone.localdate() and gyldighet != Gyldighet.PERMISJON:
        raise ValidationError(
            _("Du kan ikke registrere fravær fram i tid, bare innvilget permisjon.")
        )
    skole = elever_selectors.skole_for_elev(elev, dato)
    if skole is None:
        raise ValidationError(
            _("%(navn)s gikk ikke ved skolen %(dato)s.")
            % {"navn": elev.navn, "dato": f"{dato:%d.%m.%Y}"}
        )
    skolear = elever_selectors.skolear_for(skole.kommune_id, dato)
    grunn = (
        elever_selectors.skolerute(skolear, skole).grunn_til_fri(dato)
        if skolear
        else _("Skoleåret mangler skolerute")
    )
    if grunn is not None:
        raise ValidationError(
            _("%(dato)s er ikke en skoledag (%(grunn)s).")
            % {"dato": f"{dato:%d.%m.%Y}", "grunn": grunn.lower()}
        )


def _sjekk_time_og_minutter(
    elev: Elev, dato: datetime.date, time: int | None, minutter: int | None
) -> None:
    timer = elever_selectors.timer_for_elev(elev, dato)
    if time is not None and time not in {t.nummer for t in timer}:
        raise ValidationError(
            _("%(navn)s har ikke %(time)d. time på %(dag)s i timeplanen.")
            % {"navn": elev.navn, "time": time, "dag": f"{dato:%d.%m.%Y}"}
        )
    if minutter is not None:
        if minutter <= 0:
            raise ValidationError(_("Minutter for sent må være mer enn 0."))
        lengde = _skoledagens_lengde(timer)
        if minutter > lengde:
            raise ValidationError(
                _("%(minutter)d minutter er lenger enn skoledagen (%(lengde)d minutter).")
                % {"minutter": minutter, "lengde": lengde}
            )


def _skoledagens_lengde(timer) -> int:
    tider = [(t.start, t.slutt) for t in timer if t.start and t.slutt]
    if not tider:
        return LENGSTE_SKOLEDAG_MINUTTER
    start, slutt = min(s for s, _ in tider), max(e for _, e in tider)
    return (slutt.hour * 60 + slutt.minute) - (start.hour * 60 + start.minute)


def fravaer_registrer(
    *,
    elev: Elev,
    dato: datetime.date,
    omfang: str,
    registrert_av: User,
    time: int | None = None,
    minutter: int | None = None,
    gyldighet: str = Gyldighet.UKJENT,
    arsak: str = "",
    meldt_av_foresatte: bool = False,
    meldt_maate: str = "",
) -> Fravaer:
    """Register one absence after checking that it can be true: a school day the pupil
    attended, not in the future (except granted leave), a lesson in the pupil's timetable,
    and minutes within the school day."""
    _sjekk_dato(elev, dato, gyldighet)
    if omfang in (Omfang.TIME, Omfang.FOR_SENT, Omfang.TILSTEDE):
        _sjekk_time_og_minutter(elev, dato, time, minutter)
    fravaer = Fravaer(
        elev=elev,
        dato=dato,
        omfang=omfang,
        time=time,
        minutter=minutter,
        gyldighet=gyldighet,
        arsak=arsak,
        meldt_av_foresatte=meldt_av_foresatte,
        meldt_tidspunkt=timezone.now() if meldt_av_foresatte else None,
        meldt_maate=meldt_maate,
        registrert_av=registrert_av,
    )
    fravaer.full_clean(exclude=["registrert_av"])
    try:
        with transaction.atomic():
            fravaer.save()
    except IntegrityError as exc:
        # Someone registered the same pupil between our check and our write.
        raise ValidationError(
            _("Fraværet ble endret av noen andre i mellomtiden. Last siden på nytt.")
        ) from exc
    return fravaer
