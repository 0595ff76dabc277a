"""The leave rules as arithmetic, without a database: the limits hold for the pupil's year,
however the leave is split into applications."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fravaer.regler import Aar, Grenser, Hinder, har_startet, hinder, kan_avslaa, kan_registreres

D = datetime.date
VANLIG = Grenser(kontaktlaerer=1, maks=10)

grenser = st.integers(1, 30).flatmap(
    lambda maks: st.builds(Grenser, kontaktlaerer=st.integers(0, maks), maks=st.just(maks))
)
soknader = st.lists(st.integers(1, 15), max_size=25)  # school days per application


def innvilg_etter_tur(dager: list[int], g: Grenser, *, rektor: bool) -> list[int]:
    """Decide each application in turn, granting what the rules allow; what was granted."""
    innvilget: list[int] = []
    for antall in dager:
        aar = [Aar("2026/2027", innvilget=sum(innvilget), soknad=antall)]
        if hinder(aar, grenser=g, rektor=rektor, startet=False) is None:
            innvilget.append(antall)
    return innvilget


@given(soknader, grenser, st.booleans())
def test_the_year_total_never_passes_the_deciders_limit(dager, g, rektor):
    grense = g.maks if rektor else g.kontaktlaerer
    assert sum(innvilg_etter_tur(dager, g, rektor=rektor)) <= grense


@given(st.integers(0, 40), grenser)
def test_one_day_applications_are_granted_up_to_the_limit_and_no_further(antall, g):
    """Splitting leave into one-day applications gains nothing."""
    assert len(innvilg_etter_tur([1] * antall, g, rektor=False)) == min(antall, g.kontaktlaerer)
    assert len(innvilg_etter_tur([1] * antall, g, rektor=True)) == min(antall, g.maks)


@given(st.integers(0, 30), st.integers(1, 30), grenser, st.booleans())
def test_less_leave_before_never_makes_an_application_ungrantable(innvilget, soknad, g, rektor):
    naa = hinder([Aar("", innvilget, soknad)], grenser=g, rektor=rektor, startet=False)
    for mindre in range(innvilget):
        if naa is None:
            assert (
                hinder([Aar("", mindre, soknad)], grenser=g, rektor=rektor, startet=False) is None
            )


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=1, max_size=2))
def test_leave_over_two_school_years_must_fit_in_each(aarene):
    aar = [Aar(f"{2026 + i}", innvilget, soknad) for i, (innvilget, soknad) in enumerate(aarene)]
    svar = hinder(aar, grenser=VANLIG, rektor=True, startet=False)
    # A year the application adds no day to (it only reaches into the summer) is no hinder.
    telles = [(i, s) for i, s in aarene if s]
    assert (svar is None) == all(i + s <= VANLIG.maks for i, s in telles)
    assert (svar == Hinder.OVER_MAKS) == any(i + s > VANLIG.maks for i, s in telles)


@given(st.integers(0, 30), st.integers(1, 30), grenser)
def test_beyond_the_cap_nobody_grants_but_the_rektor_may_refuse(innvilget, soknad, g):
    aar = [Aar("", innvilget, soknad)]
    if innvilget + soknad > g.maks:
        for rektor in (False, True):
            assert hinder(aar, grenser=g, rektor=rektor, startet=False) == Hinder.OVER_MAKS
        assert kan_avslaa(aar, grenser=g, rektor=True)
        assert not kan_avslaa(aar, grenser=g, rektor=False)


@given(st.integers(0, 30), st.integers(1, 30), grenser, st.booleans())
def test_whoever_may_grant_an_amount_may_refuse_it(innvilget, soknad, g, rektor):
    aar = [Aar("", innvilget, soknad)]
    if hinder(aar, grenser=g, rektor=rektor, startet=False) is None:
        assert kan_avslaa(aar, grenser=g, rektor=rektor)


@pytest.mark.parametrize(
    ("innvilget", "soknad", "rektor", "startet", "svar"),
    [
        (0, 1, False, False, None),
        (1, 1, False, False, Hinder.OVER_GRENSE),  # the second day in the year: the rektor's
        (0, 2, False, False, Hinder.OVER_GRENSE),
        (9, 1, True, False, None),
        (9, 2, True, False, Hinder.OVER_MAKS),
        (0, 11, False, False, Hinder.OVER_MAKS),
        (0, 1, False, True, Hinder.STARTET),
        (0, 1, True, True, None),  # the rektor may, with a reason (fravaer.permisjon)
    ],
)
def test_what_stops_a_grant(innvilget, soknad, rektor, startet, svar):
    aar = [Aar("2026/2027", innvilget, soknad)]
    assert hinder(aar, grenser=VANLIG, rektor=rektor, startet=startet) == svar


def test_the_first_day_itself_counts_as_started():
    assert not har_startet(D(2026, 11, 24), D(2026, 11, 23))
    assert har_startet(D(2026, 11, 23), D(2026, 11, 23))
    assert har_startet(D(2026, 11, 20), D(2026, 11, 23))


def test_the_kontaktlaerer_limit_never_exceeds_the_cap():
    assert Grenser(kontaktlaerer=5, maks=3).for_rolle(rektor=False) == 3


def test_registers_may_set_every_validity_but_leave():
    assert [g for g in ("ukjent", "gyldig", "ugyldig", "permisjon") if kan_registreres(g)] == [
        "ukjent",
        "gyldig",
        "ugyldig",
    ]
    assert not kan_registreres("gyldig", "permisjon")  # the reason "Innvilget permisjon"
