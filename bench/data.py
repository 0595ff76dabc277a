"""The bench's data at a named scale: one school of the demo kommune (``elever.demodata``)
with a fixed number of classes and pupils, and a school year of absence history.

The school year is the last complete one before today (2025/26 when today is in 2026/27),
and the registers are measured on its last school day: the history then covers the whole
year and the register's term (spring) is as long as a term gets. Deterministic: one
``random.Random(seed)`` in a fixed order.
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction

from elever import demodata
from elever import selectors as elever_selectors
from elever.models import (
    Faggruppe,
    Klasse,
    Klassemedlemskap,
    Kommune,
    Rolle,
    Rolletildeling,
    Skole,
    Skolear,
    Skoletime,
)
from fravaer.models import Arsak, Fravaer, Gyldighet, Omfang, Registrering

OSLO = ZoneInfo("Europe/Oslo")


@dataclass(frozen=True)
class Skala:
    navn: str
    trinn: tuple[int, ...]
    klasser_per_trinn: int
    elever_per_klasse: int

    @property
    def elever(self) -> int:
        return len(self.trinn) * self.klasser_per_trinn * self.elever_per_klasse


SKALAER = {
    # Enough for a test to run every step in seconds.
    "liten": Skala("liten", trinn=(5,), klasser_per_trinn=1, elever_per_klasse=4),
    # The school: 600 pupils, 20 classes of 30.
    "skole": Skala("skole", trinn=tuple(range(1, 11)), klasser_per_trinn=2, elever_per_klasse=30),
}
# The class whose register is measured; demodata makes its kontaktlærer the login "kontakt".
MAALEKLASSE = demodata.KONTAKT_KLASSE
PASSORD = demodata.DEMO_PASSORD


def skolearets_startaar(i_dag: datetime.date) -> int:
    """The last school year that is over (its last school day before ``i_dag``)."""
    startaar = demodata.startaar_for(i_dag)
    if demodata.skoleruteplan(startaar).siste_skoledag >= i_dag:
        startaar -= 1
    return startaar


def registerdato(i_dag: datetime.date) -> datetime.date:
    """The day the registers are measured on: the last school day of that school year."""
    return demodata.skoleruteplan(skolearets_startaar(i_dag)).siste_skoledag


class _Bygger(demodata._Bygger):
    """The demo builder with one school of fixed size instead of a random one."""

    def __init__(self, *, skala: Skala, seed: int, i_dag: datetime.date):
        super().__init__(antall_skoler=1, seed=seed, i_dag=i_dag)
        self.skala = skala

    def _skole(self, nr: int, kommune: Kommune, skolear: Skolear) -> None:
        sted = demodata.SKOLER[nr]
        skole = Skole(
            kommune=kommune,
            navn=sted.navn,
            organisasjonsnummer=demodata.organisasjonsnummer(self.rng, self.brukt_orgnr),
        )
        self.skoler.append(skole)
        self._rolle(self._navngitt(demodata.REKTOR), Rolle.REKTOR, skole)
        klasser: list[demodata._Klasse] = []
        for trinn in self.skala.trinn:
            for bokstav in "ABCDEFGH"[: self.skala.klasser_per_trinn]:
                klasse = Klasse(skole=skole, skolear=skolear, navn=f"{trinn}{bokstav}", trinn=trinn)
                laerer = (
                    self._navngitt(demodata.KONTAKT)
                    if klasse.navn == MAALEKLASSE
                    else self._ansatt()
                )
                self.klasser.append(klasse)
                self._rolle(laerer, Rolle.KONTAKTLAERER, klasse)
                info = demodata._Klasse(klasse, laerer)
                for kode in demodata.FAGGRUPPER[demodata.trinngruppe(trinn)]:
                    fag = demodata.FAG[kode]
                    gruppe = Faggruppe(
                        skole=skole,
                        skolear=skolear,
                        navn=f"{klasse.navn} {fag.navn}",
                        fagkode=fag.kode,
                        fagnavn=fag.navn,
                    )
                    info.grupper[kode] = gruppe
                    self.faggrupper.append(gruppe)
                klasser.append(info)
        self._timeplan(klasser, self._faglaerere(klasser, forste=True))
        familier: list[demodata._Familie] = []
        for info in klasser:
            for _i in range(self.skala.elever_per_klasse):
                self._elev(sted, familier, info, skole, skolear)


@dataclass(frozen=True)
class Benkdata:
    skole: Skole
    skolear: Skolear
    registerdato: datetime.date
    fravaer: int
    andel_hele_dager: float


def bygg(skala: Skala, *, i_dag: datetime.date, seed: int = 1) -> Benkdata:
    """The school, its people and calendar, and its absence history up to and including the
    register date, in an empty database."""
    with transaction.atomic():
        kommune = _Bygger(skala=skala, seed=seed, i_dag=registerdato(i_dag)).bygg()
        skole = kommune.skoler.get()
        skolear = kommune.skolear.get()
        dato = registerdato(i_dag)
        antall, andel = _fravaershistorikk(skole, skolear, dato, random.Random(seed))  # noqa: S311
    return Benkdata(skole, skolear, dato, antall, andel)


def _fravaershistorikk(
    skole: Skole, skolear: Skolear, til: datetime.date, rng: random.Random
) -> tuple[int, float]:
    """A school year of absence as registers leave it: most pupils away a few days, some
    often; whole days in short runs, some lessons, some late arrivals; every day before
    ``til`` confirmed. Returns the number of entries and the share of pupil-days away."""
    dager = elever_selectors.skolerute(skolear, skole).skoledager(skolear.forste_skoledag, til)
    timer: dict[tuple[int, int], list[int]] = defaultdict(list)
    for klasse_id, ukedag, nummer in (
        Skoletime.objects.filter(klasse__skole=skole)
        .values_list("klasse_id", "ukedag", "nummer")
        .distinct()
        .order_by("klasse_id", "ukedag", "nummer")
    ):
        timer[klasse_id, ukedag].append(nummer)
    laerer = dict(
        Rolletildeling.objects.filter(rolle=Rolle.KONTAKTLAERER, klasse__skole=skole).values_list(
            "klasse_id", "bruker_id"
        )
    )
    medlemskap = (
        Klassemedlemskap.objects.filter(klasse__skole=skole)
        .order_by("klasse_id", "elev_id")
        .values_list("elev_id", "klasse_id")
    )
    rader: list[Fravaer] = []
    borte = Counter()
    for elev_id, klasse_id in medlemskap:
        # The chance of falling ill on a day: most pupils rarely, a few often.
        profil = rng.random()
        sjanse = (
            0.015 if profil < 0.6 else 0.04 if profil < 0.85 else 0.09 if profil < 0.96 else 0.22
        )
        syk_igjen = 0
        for dag in dager:
            felles = {"elev_id": elev_id, "dato": dag, "registrert_av_id": laerer[klasse_id]}
            if syk_igjen or rng.random() < sjanse:
                syk_igjen = syk_igjen - 1 if syk_igjen else rng.choice((0, 0, 0, 1, 1, 2))
                rader.append(_hel_dag(rng, dag, felles))
                borte["hele_dagen"] += 1
                continue
            trekk = rng.random()
            if trekk < 0.03:
                numre = timer[klasse_id, dag.isoweekday()]
                for nummer in sorted(
                    rng.sample(numre, k=min(len(numre), rng.choice((1, 1, 2, 3))))
                ):
                    rader.append(
                        Fravaer(
                            omfang=Omfang.TIME,
                            time=nummer,
                            gyldighet=rng.choice(
                                (Gyldighet.GYLDIG, Gyldighet.UGYLDIG, Gyldighet.UKJENT)
                            ),
                            **felles,
                        )
                    )
                borte["time"] += 1
            elif trekk < 0.055:
                rader.append(
                    Fravaer(
                        omfang=Omfang.FOR_SENT,
                        minutter=rng.choice((5, 5, 10, 10, 15, 20, 30, 45)),
                        gyldighet=rng.choice((Gyldighet.UGYLDIG,) * 3 + (Gyldighet.GYLDIG,)),
                        **felles,
                    )
                )
                borte["for_sent"] += 1
    Fravaer.objects.bulk_create(rader, batch_size=5000)
    Registrering.objects.bulk_create(
        Registrering(klasse_id=klasse_id, dato=dag, bekreftet_av_id=bruker_id)
        for klasse_id, bruker_id in laerer.items()
        for dag in dager
        if dag < til
    )
    elevdager = len(dager) * len(medlemskap)
    return len(rader), borte["hele_dagen"] / elevdager


def _hel_dag(rng: random.Random, dag: datetime.date, felles: dict) -> Fravaer:
    gyldighet = rng.choices(
        (Gyldighet.GYLDIG, Gyldighet.UKJENT, Gyldighet.UGYLDIG, Gyldighet.PERMISJON),
        weights=(70, 10, 15, 5),
    )[0]
    meldt = gyldighet == Gyldighet.GYLDIG and rng.random() < 0.9
    return Fravaer(
        omfang=Omfang.HELE_DAGEN,
        gyldighet=gyldighet,
        arsak=Arsak.PERMISJON
        if gyldighet == Gyldighet.PERMISJON
        else Arsak.SYKDOM
        if meldt
        else "",
        meldt_av_foresatte=meldt,
        meldt_tidspunkt=datetime.datetime.combine(dag, datetime.time(7, 45), tzinfo=OSLO)
        if meldt
        else None,
        **felles,
    )
