"""Fødselsnummer and D-nummer validation, with Skatteetaten's synthetic numbers (month + 80)
and the published 2032 examples only: no real person's number appears here."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elever.fodselsnummer import (
    VEKTER_K1,
    VEKTER_K2,
    UgyldigFodselsnummer,
    fodselsdato,
    masker,
    valider,
)


def kontrollsiffer(vekter: tuple[int, ...], sifre: str, rest: int = 0) -> int | None:
    """The digit that makes the weighted sum ≡ ``rest`` (mod 11); None when it would be 10."""
    siffer = (rest - sum(v * int(s) for v, s in zip(vekter, sifre, strict=False))) % 11
    return None if siffer == 10 else siffer


def bygg(dato: datetime.date, individ: int, *, d_nummer=False, hjelpenummer=False, k1_rest=0):
    """A synthetic number for ``dato``; None when the individual number has no check digit."""
    dag = dato.day + (40 if d_nummer else 0)
    maaned = dato.month + (40 if hjelpenummer else 80)
    grunn = f"{dag:02d}{maaned:02d}{dato:%y}{individ:03d}"
    k1 = kontrollsiffer(VEKTER_K1, grunn, k1_rest)
    k2 = None if k1 is None else kontrollsiffer(VEKTER_K2, f"{grunn}{k1}")
    return None if k2 is None else f"{grunn}{k1}{k2}"


def forste(dato: datetime.date, **kw) -> str:
    return next(n for i in range(500, 1000) if (n := bygg(dato, i, **kw)))


def test_a_synthetic_number_under_todays_rule_is_valid():
    nummer = forste(datetime.date(2015, 3, 15))
    assert nummer.startswith("158315")
    assert valider(nummer, syntetisk_tillatt=True) == nummer


def test_spaces_and_dashes_are_ignored():
    nummer = forste(datetime.date(2015, 3, 15))
    assert valider(f"{nummer[:6]} {nummer[6:]}", syntetisk_tillatt=True) == nummer
    assert valider(f"{nummer[:6]}-{nummer[6:]}", syntetisk_tillatt=True) == nummer


@pytest.mark.parametrize("nummer", ["02013299997", "30108299920", "30108299939"])
def test_skatteetatens_2032_examples_are_valid(nummer):
    assert valider(nummer) == nummer


def test_a_d_number_is_valid():
    nummer = forste(datetime.date(2014, 1, 5), d_nummer=True)
    assert nummer.startswith("458114")
    assert valider(nummer, syntetisk_tillatt=True) == nummer


def test_wrong_check_digits_are_refused():
    nummer = forste(datetime.date(2015, 3, 15))
    feil = nummer[:9] + str((int(nummer[9]) + 1) % 10) + nummer[10]
    with pytest.raises(UgyldigFodselsnummer, match="Kontrollsifrene stemmer ikke"):
        valider(feil, syntetisk_tillatt=True)


@pytest.mark.parametrize("verdi", ["1583151234", "158315123456", "", "1583151234a", "15831512３45"])
def test_wrong_length_or_letters_are_refused(verdi):
    with pytest.raises(UgyldigFodselsnummer, match="11 sifre"):
        valider(verdi, syntetisk_tillatt=True)


def test_an_impossible_date_is_refused():
    nummer = next(n for i in range(500, 1000) if (n := bygg(datetime.date(2015, 2, 1), i)))
    umulig = "30" + nummer[2:]  # 30 February
    with pytest.raises(UgyldigFodselsnummer):
        valider(umulig, syntetisk_tillatt=True)


@pytest.mark.parametrize("syntetisk_tillatt", [True, False])
def test_an_h_number_is_refused(syntetisk_tillatt):
    nummer = forste(datetime.date(2015, 3, 15), hjelpenummer=True)
    assert nummer[2:4] == "43"
    with pytest.raises(UgyldigFodselsnummer, match="H-nummer"):
        valider(nummer, syntetisk_tillatt=syntetisk_tillatt)


def test_synthetic_numbers_only_with_the_flag():
    nummer = forste(datetime.date(2015, 3, 15))
    assert valider(nummer, syntetisk_tillatt=True) == nummer
    with pytest.raises(UgyldigFodselsnummer):
        valider(nummer)


def test_masker_shows_only_the_birth_date_part():
    nummer = forste(datetime.date(2015, 3, 15))
    assert masker(nummer) == f"{nummer[:6]} *****"
    assert nummer[6:] not in masker(nummer)


def test_fodselsdato_picks_the_latest_century_not_in_the_future():
    nummer = forste(datetime.date(2015, 3, 15))
    assert fodselsdato(nummer, i_dag=datetime.date(2026, 9, 1)) == datetime.date(2015, 3, 15)


datoer = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))


@given(
    dato=datoer,
    individ=st.integers(0, 999),
    d_nummer=st.booleans(),
    k1_rest=st.integers(0, 3),  # 0 today; the 2032 rule also allows 1, 2 and 3
)
def test_every_number_with_correct_check_digits_is_valid(dato, individ, d_nummer, k1_rest):
    nummer = bygg(dato, individ, d_nummer=d_nummer, k1_rest=k1_rest)
    if nummer is not None:
        assert valider(nummer, syntetisk_tillatt=True) == nummer


@given(dato=datoer, individ=st.integers(0, 999), annen=st.integers(1, 9))
def test_changing_the_second_check_digit_alone_makes_it_invalid(dato, individ, annen):
    nummer = bygg(dato, individ)
    if nummer is not None:
        endret = nummer[:10] + str((int(nummer[10]) + annen) % 10)
        with pytest.raises(UgyldigFodselsnummer, match="Kontrollsifrene"):
            valider(endret, syntetisk_tillatt=True)
