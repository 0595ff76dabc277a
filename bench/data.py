"""The bench's data at a named scale: one school of the demo kommune (``elever.demodata``)
with a fixed number of classes and pupils, and a school year of absence history
(``fravaer.demodata``, as the demo has).

The school year is the last complete one before today (2025/26 when today is in 2026/27),
and the registers are measured on its last school day: the history then covers the whole
year and the register's term (spring) is as long as a term gets. Deterministic: one
``random.Random(seed)`` in a fixed order.
"""

import datetime
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction

from elever import demodata, kalender
from elever.models import (
    Faggruppe,
    Klasse,
    Kommune,
    Rolle,
    Skole,
    Skolear,
)
from fravaer import demodata as fravaer_demodata
from fravaer.models import Omfang

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
    startaar = kalender.startaar(i_dag)
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
        teller = fravaer_demodata.fravaershistorikk(
            Klasse.objects.filter(skole=skole, skolear=skolear),
            dato,
            random.Random(seed),  # noqa: S311
        )
    antall = teller[Omfang.HELE_DAGEN] + teller[Omfang.TIME] + teller[Omfang.FOR_SENT]
    return Benkdata(skole, skolear, dato, antall, teller[Omfang.HELE_DAGEN] / teller["elevdager"])
