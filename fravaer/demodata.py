"""Absence history for the demo kommune (``elever.demodata``) and the bench: registers as a
school year leaves them, so figures, task lists and later the rules have something to show.

Deterministic: one ``random.Random`` drawn from in a fixed order. Entries are built valid
by construction and written with ``bulk_create``; the checks of ``fravaer_registrer`` would
only slow a year of history down.
"""

import datetime
import random
from collections import Counter
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from elever import selectors as elever_selectors
from elever.models import Elev, Klasse, User
from fravaer.models import (
    Arsak,
    Fravaer,
    Gyldighet,
    Omfang,
    Permisjonsarsak,
    Permisjonssoknad,
    Registrering,
)
from fravaer.permisjon import permisjonsdager_skriv

OSLO = ZoneInfo("Europe/Oslo")


def fravaershistorikk(
    klasser: QuerySet[Klasse], til: datetime.date, rng: random.Random
) -> Counter[str]:
    """A school year of absence for the pupils of ``klasser`` from the first school day up to
    ``til``, both included: most pupils away a few days, some often; whole days in short
    runs, some lessons, some late arrivals; every register confirmed by the kontaktlærer.
    Returns entries by extent, and ``elevdager`` (pupil-days) to compare with."""
    teller: Counter[str] = Counter()
    rader: list[Fravaer] = []
    registreringer: list[Registrering] = []
    for klasse in (
        klasser.select_related("skole", "skolear")
        .prefetch_related(elever_selectors.kontaktlaerere())
        .order_by("pk")
    ):
        rute = elever_selectors.skolerute(klasse.skolear, klasse.skole)
        dager = rute.skoledager(klasse.skolear.forste_skoledag, til)
        tildelinger = klasse.kontaktlaerertildelinger
        if not dager or not tildelinger:
            continue
        laerer = tildelinger[0].bruker
        timer: dict[int, list[int]] = {}
        for time in elever_selectors.timeplan(klasse):
            timer.setdefault(time.ukedag, []).append(time.nummer)
        elever = list(elever_selectors.klasseliste(klasse, til).order_by("pk"))
        for elev in elever:
            rader += _elevens_aar(rng, elev, dager, timer, laerer, teller)
        teller["elevdager"] += len(dager) * len(elever)
        registreringer += [
            Registrering(klasse=klasse, dato=dag, bekreftet_av=laerer) for dag in dager
        ]
    Fravaer.objects.bulk_create(rader, batch_size=5000)
    Registrering.objects.bulk_create(registreringer, batch_size=5000)
    return teller


def _elevens_aar(rng, elev, dager, timer, laerer, teller) -> list[Fravaer]:
    # The chance of falling ill on a day: most pupils rarely, a few often.
    profil = rng.random()
    sjanse = 0.015 if profil < 0.6 else 0.04 if profil < 0.85 else 0.09 if profil < 0.96 else 0.22
    rader = []
    syk_igjen = 0
    for dag in dager:
        felles = {"elev": elev, "dato": dag, "registrert_av": laerer}
        if syk_igjen or rng.random() < sjanse:
            syk_igjen = syk_igjen - 1 if syk_igjen else rng.choice((0, 0, 0, 1, 1, 2))
            rader.append(_hel_dag(rng, dag, felles))
            teller[Omfang.HELE_DAGEN] += 1
            continue
        trekk = rng.random()
        if trekk < 0.03 and timer.get(dag.isoweekday()):
            numre = sorted(set(timer[dag.isoweekday()]))
            for nummer in sorted(rng.sample(numre, k=min(len(numre), rng.choice((1, 1, 2, 3))))):
                gyldighet = rng.choice((Gyldighet.GYLDIG, Gyldighet.UGYLDIG, Gyldighet.UKJENT))
                rader.append(
                    Fravaer(omfang=Omfang.TIME, time=nummer, gyldighet=gyldighet, **felles)
                )
                teller[Omfang.TIME] += 1
        elif trekk < 0.055:
            rader.append(
                Fravaer(
                    omfang=Omfang.FOR_SENT,
                    minutter=rng.choice((5, 5, 10, 10, 15, 20, 30, 45)),
                    gyldighet=rng.choice((Gyldighet.UGYLDIG,) * 3 + (Gyldighet.GYLDIG,)),
                    **felles,
                )
            )
            teller[Omfang.FOR_SENT] += 1
    return rader


def _hel_dag(rng: random.Random, dag: datetime.date, felles: dict) -> Fravaer:
    # Leave is not drawn here: only a granted application writes it (``innvilget_permisjon``).
    gyldighet = rng.choices(
        (Gyldighet.GYLDIG, Gyldighet.UKJENT, Gyldighet.UGYLDIG), weights=(75, 10, 15)
    )[0]
    meldt = gyldighet == Gyldighet.GYLDIG and rng.random() < 0.9
    return Fravaer(
        omfang=Omfang.HELE_DAGEN,
        gyldighet=gyldighet,
        arsak=Arsak.SYKDOM if meldt else "",
        meldt_av_foresatte=meldt,
        meldt_tidspunkt=datetime.datetime.combine(dag, datetime.time(7, 45), tzinfo=OSLO)
        if meldt
        else None,
        **felles,
    )


def uten_melding(elev: Elev, dager: list[datetime.date], laerer: User) -> None:
    """``elev`` away the whole of ``dager`` with no word from home: the kontaktlærer's
    "call the guardians" list shows the pupil."""
    Fravaer.objects.filter(elev=elev, dato__in=dager).delete()
    Fravaer.objects.bulk_create(
        Fravaer(elev=elev, dato=dag, omfang=Omfang.HELE_DAGEN, registrert_av=laerer)
        for dag in dager
    )


def innvilget_permisjon(
    elev: Elev, dager: list[datetime.date], registrert_av: User, rektor: User
) -> Permisjonssoknad:
    """Leave the rektor granted a week before it began, with its grounds, and its school
    days as leave, as ``fravaer.permisjon.permisjon_innvilg`` leaves them."""
    vedtatt = datetime.datetime.combine(
        dager[0] - datetime.timedelta(days=7), datetime.time(14, 0), tzinfo=OSLO
    )
    soknad = Permisjonssoknad.objects.create(
        elev=elev,
        fra=dager[0],
        til=dager[-1],
        arsak=Permisjonsarsak.FAMILIEHENDELSE,
        skoledager=len(dager),
        registrert_av=registrert_av,
        status=Permisjonssoknad.Status.INNVILGET,
        behandlet_av=rektor,
        behandlet=vedtatt,
        begrunnelse="Bryllup i nær familie. Eleven har lite fravær, og skolen sender med "
        "arbeid for dagene.",
    )
    # Registered (auto_now_add: today) the day before it was decided.
    Permisjonssoknad.objects.filter(pk=soknad.pk).update(
        registrert=vedtatt - datetime.timedelta(days=1)
    )
    permisjonsdager_skriv(soknad=soknad, dager=dager, registrert_av=rektor)
    return soknad


def permisjonssoknad(
    elev: Elev, fra: datetime.date, til: datetime.date, skoledager: int, registrert_av: User
) -> Permisjonssoknad:
    """A guardian's application waiting for an answer."""
    return Permisjonssoknad.objects.create(
        elev=elev,
        fra=fra,
        til=til,
        arsak=Permisjonsarsak.REISE,
        skoledager=skoledager,
        registrert_av=registrert_av,
    )
