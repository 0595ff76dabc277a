"""Writes about absence: registering, changing and removing entries, confirming a register.

Each function is one transaction and validates before it saves, so a bad entry gives a
Norwegian message and changes nothing. Scope (may this user register for this pupil?) is
decided by the caller through ``elever.tilgang``.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from elever import selectors as elever_selectors
from elever import services as elever_services
from elever.importdata import Importfeil, Linjefeil
from elever.models import Elev, Faggruppe, Kildekobling, Klasse, User
from felles.sql import kolonner, modeller
from fravaer import regler
from fravaer.fravaerfil import Fravaerrad, les_fravaerfil
from fravaer.models import (
    Fravaer,
    Fravaeropplasting,
    Gyldighet,
    Omfang,
    Registrering,
)

# The error code of a change refused because someone else changed the same day first.
ENDRET_AV_ANDRE = "endret_av_andre"
# Without start and end times in the timetable, a school day is at most this long.
LENGSTE_SKOLEDAG_MINUTTER = 7 * 60
IKKE_PERMISJON = gettext_lazy("Permisjon registreres bare ved å innvilge en søknad om permisjon.")


def _sjekk(fravaer: Fravaer, dag: elever_selectors.Elevdag | None, navn: str) -> None:
    """Whether the entry can be true, as the register and the import both require: not
    leave (only a granted application writes it), a school day the pupil attended, not in
    the future, the fields its extent needs, a lesson in the pupil's timetable, and minutes
    within the school day."""
    dato = fravaer.dato
    if not regler.kan_registreres(fravaer.gyldighet, fravaer.arsak):
        raise ValidationError(IKKE_PERMISJON)
    if dato > timezone.localdate():
        raise ValidationError(_("Du kan ikke registrere fravær fram i tid."))
    if dag is None:
        raise ValidationError(
            _("%(navn)s gikk ikke ved skolen %(dato)s.")
            % {"navn": navn, "dato": f"{dato:%d.%m.%Y}"}
        )
    if dag.grunn_til_fri is not None:
        raise ValidationError(
            _("%(dato)s er ikke en skoledag (%(grunn)s).")
            % {"dato": f"{dato:%d.%m.%Y}", "grunn": dag.grunn_til_fri.lower()}
        )
    omfang, time, minutter = fravaer.omfang, fravaer.time, fravaer.minutter
    if (
        (omfang == Omfang.HELE_DAGEN and (time is not None or minutter is not None))
        or (omfang == Omfang.TIME and (time is None or minutter is not None))
        or (omfang == Omfang.FOR_SENT and minutter is None)
        or (omfang == Omfang.TILSTEDE and minutter is not None)
    ):
        raise ValidationError(
            _(
                "Hele dagen har verken time eller minutter, en time har et timenummer, "
                "og for sent har minutter over 0."
            )
        )
    if time is not None and time not in {t.nummer for t in dag.timer}:
        raise ValidationError(
            _("%(navn)s har ikke %(time)d. time på %(dag)s i timeplanen.")
            % {"navn": navn, "time": time, "dag": f"{dato:%d.%m.%Y}"}
        )
    if minutter is not None:
        if minutter <= 0:
            raise ValidationError(_("Minutter for sent må være mer enn 0."))
        lengde = _skoledagens_lengde(dag.timer)
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
    _sjekk(fravaer, elever_selectors.elevdager([elev.pk], [dato]).get((elev.pk, dato)), elev.navn)
    fravaer.full_clean(exclude=["registrert_av"])
    with transaction.atomic():  # a refused write must not spoil the caller's transaction
        _lagre(fravaer)
    return fravaer


def _lagre(fravaer: Fravaer) -> None:
    """Save, or refuse as changed by someone else when the day's constraints say another
    entry came between the checks and the write (an import does not take the pupil's
    lock)."""
    try:
        fravaer.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("Fraværet ble endret av noen andre i mellomtiden. Last siden på nytt."),
            code=ENDRET_AV_ANDRE,
        ) from exc


def versjon(rader: Iterable[tuple[int, datetime.datetime]]) -> str:
    """A token for a pupil's entries of a day (id and last change of each), so a page can
    tell that someone else changed them after it was shown: no change is lost silently."""
    return ",".join(f"{pk}:{endret.timestamp()}" for pk, endret in sorted(rader))


def dagens_fravaer_versjon(elev: Elev, dato: datetime.date) -> str:
    return versjon_av(Fravaer.objects.filter(elev=elev, dato=dato))


def _laas_dag(elev: Elev, dato: datetime.date, versjon: str | None) -> list[Fravaer]:
    """Lock the pupil and return their entries of the day, refusing if they changed since
    the page showed ``versjon``: two teachers never overwrite each other unseen. A day that
    has not come, and a day of granted leave, are not the registers' to change: leave is
    written by ``fravaer.permisjon`` alone."""
    if dato > timezone.localdate():
        raise ValidationError(_("Du kan ikke registrere fravær fram i tid."))
    elever_services.laas_elever([elev.pk])
    dagens = _dagens(elev.pk, dato)
    if versjon is not None and versjon != versjon_av(dagens):
        raise ValidationError(
            _(
                "Noen andre endret fraværet til %(navn)s i mellomtiden. Se hva som står nå, "
                "og gjør endringen på nytt om den fortsatt trengs."
            )
            % {"navn": elev.navn},
            code=ENDRET_AV_ANDRE,
        )
    if any(f.gyldighet == Gyldighet.PERMISJON for f in dagens):
        raise ValidationError(_permisjonsdag(elev, dato))
    return dagens


def _permisjonsdag(elev: Elev, dato: datetime.date) -> str:
    return _(
        "%(navn)s har innvilget permisjon %(dato)s. Permisjon endres ikke i fraværsregistreringen."
    ) % {"navn": elev.navn, "dato": f"{dato:%d.%m.%Y}"}


def _dagens(elev_id: int, dato: datetime.date) -> list[Fravaer]:
    """The pupil's entries of the day by lesson, read on every saved row: written as SQL
    (``felles.sql.modeller``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {kolonner(Fravaer, 'f')} FROM fravaer_fravaer f "  # noqa: S608 (columns)
            "WHERE f.elev_id = %s AND f.dato = %s ORDER BY f.time NULLS LAST, f.id",
            [elev_id, dato],
        )
        return [modeller(rad, Fravaer)[0] for rad in cursor.fetchall()]


def versjon_av(oppforinger: Iterable[Fravaer]) -> str:
    return versjon((f.pk, f.endret) for f in oppforinger)


def er_hel_dag(omfang: str, time: int | None) -> bool:
    """Away from all the day's teaching: the whole day, or at school but in no lesson. Such
    an entry stands alone that day (the database refuses anything beside it)."""
    return omfang == Omfang.HELE_DAGEN or (omfang == Omfang.TILSTEDE and time is None)


def er_timefravaer(fravaer: Fravaer) -> bool:
    """Entries a lesson register made for one lesson beyond plain absence (late to it, or at
    school but not in it): the class register shows them and leaves them be."""
    return fravaer.time is not None and fravaer.omfang in (Omfang.FOR_SENT, Omfang.TILSTEDE)


@dataclass
class Dagsendring:
    """A pupil's entries of a day before and after a register changed them."""

    for_endring: list[Fravaer]
    etter: list[Fravaer]


def _registrer_paa_laast_dag(dag: elever_selectors.Elevdag | None, elev: Elev, **felt) -> Fravaer:
    """Save an entry on a day the caller has locked and cleared: the checks of
    ``fravaer_registrer`` on the day's plan read once, but no query per database constraint
    beforehand, for none can be broken."""
    fravaer = Fravaer(elev=elev, **felt)
    if fravaer.meldt_av_foresatte and fravaer.meldt_tidspunkt is None:
        fravaer.meldt_tidspunkt = timezone.now()
    if not fravaer.meldt_av_foresatte:
        fravaer.meldt_tidspunkt = None
    _sjekk(fravaer, dag, elev.navn)
    fravaer.full_clean(exclude=["registrert_av", "elev"], validate_constraints=False)
    _lagre(fravaer)
    return fravaer


def fravaer_sett_dag(
    *,
    elev: Elev,
    dato: datetime.date,
    omfang: str | None,
    registrert_av: User,
    timer: Sequence[int] = (),
    minutter: int | None = None,
    gyldighet: str = Gyldighet.UKJENT,
    meldt_av_foresatte: bool = False,
    versjon: str | None = None,
) -> Dagsendring:
    """Make the pupil's absence that day this, as the class register shows one state per
    pupil: present (``omfang`` None), the whole day, some lessons, or late.

    What lesson registers noted for single lessons (late to 3rd lesson, at school but not in
    the 4th) stays unless the pupil is now absent the whole day. ``versjon`` is the token the
    page was shown with (see ``_laas_dag``). The replaced entries stay in the history.
    """
    if omfang == Omfang.TIME and not timer:
        raise ValidationError(_("Velg hvilke timer eleven var borte."))
    with transaction.atomic():
        dagens = _laas_dag(elev, dato, versjon)
        hele_dagen = omfang == Omfang.HELE_DAGEN or (omfang == Omfang.TILSTEDE and not timer)
        # A late arrival for the day replaces the lessons' late arrivals: one morning, one.
        sent = omfang == Omfang.FOR_SENT or bool(minutter)
        beholdes = [
            f
            for f in dagens
            if not hele_dagen and er_timefravaer(f) and not (sent and f.omfang == Omfang.FOR_SENT)
        ]
        Fravaer.objects.filter(pk__in=[f.pk for f in dagens if f not in beholdes]).delete()
        if omfang is None:
            return Dagsendring(dagens, beholdes)
        dag = elever_selectors.elevdager([elev.pk], [dato]).get((elev.pk, dato))
        felles = {
            "dato": dato,
            "registrert_av": registrert_av,
            "gyldighet": gyldighet,
            "meldt_av_foresatte": meldt_av_foresatte,
        }
        if omfang != Omfang.TIME:
            sent = minutter if omfang == Omfang.FOR_SENT else None
            nye = [_registrer_paa_laast_dag(dag, elev, omfang=omfang, minutter=sent, **felles)]
        else:
            nye = [
                _registrer_paa_laast_dag(dag, elev, omfang=omfang, time=t, **felles)
                for t in sorted(set(timer))
            ]
            if minutter:
                # Absent from some lessons and late to another is one morning, not a
                # contradiction.
                nye.append(
                    _registrer_paa_laast_dag(
                        dag, elev, omfang=Omfang.FOR_SENT, minutter=minutter, **felles
                    )
                )
        return Dagsendring(dagens, beholdes + nye)


def fravaer_sett_time(
    *,
    elev: Elev,
    dato: datetime.date,
    time: int,
    omfang: str | None,
    registrert_av: User,
    minutter: int | None = None,
    gyldighet: str = Gyldighet.UKJENT,
    meldt_av_foresatte: bool = False,
    versjon: str | None = None,
) -> Dagsendring:
    """Make the pupil's absence in one lesson this, as a lesson register shows it: present
    (None), absent (``time``), late (``for_sent`` with minutes) or at school but not in the
    teaching (``tilstede``). The class register sees the same entries.

    A pupil registered absent the whole day who turns up in this lesson came late to school:
    the lessons before it stay absent, the ones after are no longer counted.
    """
    with transaction.atomic():
        dagens = _laas_dag(elev, dato, versjon)
        hel_dag = next((f for f in dagens if er_hel_dag(f.omfang, f.time)), None)
        if hel_dag is not None and omfang == Omfang.TIME:
            return Dagsendring(dagens, dagens)  # already absent from this lesson
        dag = elever_selectors.elevdager([elev.pk], [dato]).get((elev.pk, dato))
        nye = []
        if hel_dag is not None:
            hel_dag.delete()
            for nummer in sorted({t.nummer for t in dag.timer} if dag else ()):
                if nummer < time:
                    nye.append(
                        _registrer_paa_laast_dag(
                            dag,
                            elev,
                            dato=dato,
                            omfang=Omfang.TIME
                            if hel_dag.omfang == Omfang.HELE_DAGEN
                            else Omfang.TILSTEDE,
                            time=nummer,
                            gyldighet=hel_dag.gyldighet,
                            meldt_av_foresatte=hel_dag.meldt_av_foresatte,
                            registrert_av=registrert_av,
                        )
                    )
        erstattes = [
            f
            for f in dagens
            # A lesson's late arrival is the more precise note of a late arrival for the day.
            if f is hel_dag
            or f.time == time
            or (omfang == Omfang.FOR_SENT and f.omfang == Omfang.FOR_SENT and f.time is None)
        ]
        Fravaer.objects.filter(pk__in=[f.pk for f in erstattes if f is not hel_dag]).delete()
        if omfang is not None:
            nye.append(
                _registrer_paa_laast_dag(
                    dag,
                    elev,
                    dato=dato,
                    omfang=omfang,
                    time=time,
                    minutter=minutter if omfang == Omfang.FOR_SENT else None,
                    gyldighet=gyldighet,
                    meldt_av_foresatte=meldt_av_foresatte,
                    registrert_av=registrert_av,
                )
            )
        return Dagsendring(dagens, [f for f in dagens if f not in erstattes] + nye)


def fravaer_gjenopprett_dag(
    *,
    elev: Elev,
    dato: datetime.date,
    oppforinger: Sequence[dict],
    registrert_av: User,
    versjon: str | None = None,
) -> Dagsendring:
    """Put the pupil's day back to exactly these entries (a register's "Angre"), each
    checked as if registered anew; refused if the day changed since (see ``_laas_dag``)."""
    with transaction.atomic():
        dagens = _laas_dag(elev, dato, versjon)
        Fravaer.objects.filter(pk__in=[f.pk for f in dagens]).delete()
        dag = elever_selectors.elevdager([elev.pk], [dato]).get((elev.pk, dato))
        nye = [
            _registrer_paa_laast_dag(dag, elev, dato=dato, registrert_av=registrert_av, **felt)
            for felt in oppforinger
        ]
        return Dagsendring(dagens, nye)


def registrering_bekreft(
    *,
    dato: datetime.date,
    bekreftet_av: User,
    klasse: Klasse | None = None,
    faggruppe: Faggruppe | None = None,
    time: int | None = None,
) -> Registrering:
    """Confirm a class register, or a teaching group's lesson, for a day, also when nobody
    is absent."""
    skole = klasse.skole if klasse else faggruppe.skole
    if not elever_selectors.skoledager(skole, dato, dato):
        raise ValidationError(
            _("%(dato)s er ikke en skoledag, så det er ingenting å bekrefte.")
            % {"dato": f"{dato:%d.%m.%Y}"}
        )
    if dato > timezone.localdate():
        raise ValidationError(_("Du kan ikke bekrefte registreringen for en dag fram i tid."))
    registrering, _opprettet = Registrering.objects.update_or_create(
        klasse=klasse,
        faggruppe=faggruppe,
        time=time,
        dato=dato,
        defaults={"bekreftet_av": bekreftet_av},
    )
    return registrering


@dataclass
class Fravaerimport:
    dager: int = 0
    oppforinger: int = 0
    erstattet: int = 0  # entries already registered on those days, replaced by the file's
    per_elev: Counter[Elev] = field(default_factory=Counter)  # entries per pupil


class _Forhandsvisning(Exception):
    """Raised at the end of a dry run so the transaction rolls back."""


def fravaer_importer(
    *,
    rader: list[Fravaerrad],
    registrert_av: User,
    innenfor: QuerySet[Elev],
    forhandsvis: bool = False,
    lesefeil: Sequence[Linjefeil] = (),
) -> Fravaerimport:
    """Import absence history all or nothing. For each pupil and day in the file, that day
    becomes exactly what the file says (earlier entries that day are replaced, and kept in
    the history), so importing the same file twice gives the same rows. Every entry passes
    the same checks as one registered by hand (``_sjekk``), read for the whole file at once;
    refusals name file, line and reason.

    ``innenfor`` is the importing user's scope (from ``elever.tilgang``), on the page and in
    the command alike: a pupil outside it — another school's, another kommune's — is a line
    error worded like one not found, so a file cannot probe for pupils the user may not
    see."""
    elever = _finn_elever(rader, innenfor)
    per_dag: dict[tuple[Elev, datetime.date], list[Fravaerrad]] = defaultdict(list)
    feil: list[Linjefeil] = list(lesefeil)  # lines the file reader could not read
    for rad in rader:
        if isinstance(elever[rad.elev], str):
            feil.append(Linjefeil(rad.kilde.fil, rad.kilde.linje, elever[rad.elev]))
        else:
            per_dag[elever[rad.elev], rad.dato].append(rad)
    dager = elever_selectors.elevdager({e.pk for e, _d in per_dag}, {d for _e, d in per_dag})
    permisjon = _permisjonsdager(per_dag)
    resultat = Fravaerimport(dager=len(per_dag))
    nye: list[Fravaer] = []
    naa = timezone.now()
    for (elev, dato), dagens in per_dag.items():
        sett: set[tuple[str, int | None]] = set()
        for rad in dagens:
            fravaer = Fravaer(
                elev=elev,
                dato=dato,
                omfang=rad.omfang,
                time=rad.time,
                minutter=rad.minutter,
                gyldighet=rad.gyldighet,
                meldt_av_foresatte=rad.meldt,
                meldt_tidspunkt=naa if rad.meldt else None,
                registrert_av=registrert_av,
            )
            try:
                if (elev.pk, dato) in permisjon:
                    raise ValidationError(_permisjonsdag(elev, dato))
                _sjekk(fravaer, dager.get((elev.pk, dato)), elev.navn)
                _sjekk_samme_dag(fravaer, sett)
            except ValidationError as exc:
                feil.append(Linjefeil(rad.kilde.fil, rad.kilde.linje, " ".join(exc.messages)))
                continue
            sett.add((fravaer.omfang, fravaer.time))
            nye.append(fravaer)
            resultat.per_elev[elev] += 1
    if feil:
        raise Importfeil(sorted(feil, key=lambda f: (f.fil, f.linje or 0)))
    resultat.oppforinger = len(nye)
    datoer_per_elev: dict[int, set[datetime.date]] = defaultdict(set)
    for elev, dato in per_dag:
        datoer_per_elev[elev.pk].add(dato)
    erstattes = Q(pk__in=[])
    for elev_id, datoer in datoer_per_elev.items():
        erstattes |= Q(elev_id=elev_id, dato__in=datoer)
    try:
        with transaction.atomic():
            # The registers lock a pupil to change a day; so does the import, in one order.
            elever_services.laas_elever(datoer_per_elev)
            if _permisjonsdager(per_dag) - permisjon:  # granted since the check above
                raise ValidationError(
                    _("Fraværet ble endret av noen andre i mellomtiden. Last siden på nytt."),
                    code=ENDRET_AV_ANDRE,
                )
            resultat.erstattet = Fravaer.objects.filter(erstattes).delete()[0]
            Fravaer.objects.bulk_create(nye, batch_size=2000)
            if forhandsvis:
                raise _Forhandsvisning  # roll back: the preview shows what would be written
    except _Forhandsvisning:
        pass
    return resultat


def _permisjonsdager(
    per_dag: Iterable[tuple[Elev, datetime.date]],
) -> set[tuple[int, datetime.date]]:
    """The (pupil, day) pairs among ``per_dag`` that are granted leave: an import replaces
    a day's entries, and leave is not its to replace."""
    par = {(e.pk, d) for e, d in per_dag}
    return par & set(
        Fravaer.objects.filter(
            elev_id__in={e for e, _d in par},
            dato__in={d for _e, d in par},
            gyldighet=Gyldighet.PERMISJON,
        ).values_list("elev_id", "dato")
    )


def _sjekk_samme_dag(fravaer: Fravaer, sett: set[tuple[str, int | None]]) -> None:
    """The file's own entries for one pupil and day may not repeat or contradict each
    other (the database would refuse them too, without a line number)."""
    if (fravaer.omfang, fravaer.time) in sett:
        raise ValidationError(_("Dette fraværet står allerede på en linje over for samme dag."))
    if sett and (er_hel_dag(fravaer.omfang, fravaer.time) or any(er_hel_dag(*n) for n in sett)):
        raise ValidationError(
            _(
                "Eleven er registrert borte hele dagen; det kan ikke stå annet fravær samme "
                "dag i tillegg."
            )
        )


def _finn_elever(rader: list[Fravaerrad], innenfor: QuerySet[Elev]) -> dict[str, Elev | str]:
    """Each pupil reference in the file -> the pupil, or the reason it was not found. Only
    pupils in ``innenfor`` are looked for."""
    referanser = {rad.elev for rad in rader}
    fnr = {r for r in referanser if len(r) == 11 and r.isdigit()}
    funnet: dict[str, Elev | str] = {
        e.fodselsnummer: e for e in innenfor.filter(fodselsnummer__in=fnr)
    }
    koblinger = defaultdict(set)
    for kilde_id, elev_id in Kildekobling.objects.filter(
        kilde_id__in=referanser - fnr, elev__in=innenfor
    ).values_list("kilde_id", "elev_id"):
        koblinger[kilde_id].add(elev_id)
    elever = Elev.objects.in_bulk({i for ider in koblinger.values() for i in ider})
    for referanse in referanser - set(funnet):
        ider = koblinger.get(referanse, set())
        if len(ider) == 1:
            funnet[referanse] = elever[next(iter(ider))]
        elif len(ider) > 1:
            funnet[referanse] = _(
                "Eleven «%(ref)s» finnes ved flere skoler; bruk fødselsnummeret."
            ) % {"ref": referanse}
        else:
            ukjent = _("Fant ingen elev «%(ref)s» blant elevene du har tilgang til.")
            funnet[referanse] = ukjent % {"ref": referanse}
    return funnet


# The whole file is checked in a few queries (about 0,5 ms per entry here): this many keep
# the preview and the import each well inside a web request's time limit.
OPPLASTING_MAKS_RADER = 20_000


def fravaeropplasting_last_opp(
    *, bruker: User, filnavn: str, innhold: bytes, innenfor: QuerySet[Elev]
) -> tuple[Fravaeropplasting, Fravaerimport]:
    """Check an uploaded absence file with a dry run and keep it until it is confirmed. A
    refused file is not kept, nor are files nobody confirmed: the user's earlier ones, and
    anyone's after a day."""
    lesefeil: list[Linjefeil] = []
    rader = les_fravaerfil(innhold, filnavn=filnavn, feil=lesefeil)
    if not rader and not lesefeil:
        raise ValidationError(_("Filen har ingen fraværsoppføringer."))
    if len(rader) + len(lesefeil) > OPPLASTING_MAKS_RADER:
        raise ValidationError(
            _(
                "Filen har %(antall)d fraværsoppføringer, og siden tar høyst %(maks)d om gangen. "
                "Del filen opp, for eksempel én fil per måned, eller be driftsansvarlig importere "
                "den med kommandoen import_fravaer."
            )
            % {"antall": len(rader) + len(lesefeil), "maks": OPPLASTING_MAKS_RADER}
        )
    resultat = fravaer_importer(
        rader=rader,
        registrert_av=bruker,
        forhandsvis=True,
        innenfor=innenfor,
        lesefeil=lesefeil,
    )
    Fravaeropplasting.objects.filter(importert__isnull=True).filter(
        Q(lastet_opp_av=bruker) | Q(opprettet__lt=timezone.now() - datetime.timedelta(days=1))
    ).delete()
    opplasting = Fravaeropplasting.objects.create(
        lastet_opp_av=bruker, filnavn=filnavn, innhold=innhold
    )
    return opplasting, resultat


def fravaeropplasting_bekreft(
    *, opplasting: Fravaeropplasting, innenfor: QuerySet[Elev]
) -> Fravaerimport:
    """Import a checked file, checking it all again (the calendar or the user's scope may
    have changed since the preview). The file's content is deleted, the summary kept."""
    with transaction.atomic():
        opplasting = Fravaeropplasting.objects.select_for_update().get(pk=opplasting.pk)
        if opplasting.importert:
            raise ValidationError(_("Denne filen er allerede importert."))
        resultat = fravaer_importer(
            rader=les_fravaerfil(bytes(opplasting.innhold), filnavn=opplasting.filnavn),
            registrert_av=opplasting.lastet_opp_av,
            innenfor=innenfor,
        )
        opplasting.innhold = b""
        opplasting.importert = timezone.now()
        opplasting.resultat = {
            "dager": resultat.dager,
            "oppforinger": resultat.oppforinger,
            "erstattet": resultat.erstattet,
        }
        opplasting.save(update_fields=["innhold", "importert", "resultat"])
    return resultat
