"""Absence figures from the database: school days and lessons per pupil, and a fixed number
of queries whatever the number of pupils."""

import datetime
from decimal import Decimal

import pytest

from elever.models import Skoleruteunntak, Skoletime
from elever.selectors import skoledager_med_timer
from fravaer.models import Fravaer, Omfang
from fravaer.selectors import fravaerstall
from fravaer.tall import Fravaerstall, Rad, beregn
from tests.factories import (
    FaggruppeFactory,
    KlasseFactory,
    UserFactory,
    elev_i_klasse,
    innvilget_permisjonssoknad,
)

D = datetime.date
# Two school weeks: Monday 2 November – Friday 13 November 2026, with a planning day.
FRA, TIL = D(2026, 11, 2), D(2026, 11, 15)


@pytest.fixture
def klasse(db):
    klasse = KlasseFactory(navn="5A")
    for ukedag in range(1, 6):
        for nummer in range(1, 6):
            Skoletime.objects.create(klasse=klasse, ukedag=ukedag, nummer=nummer, fagnavn="Norsk")
    Skoleruteunntak.objects.create(
        kommune=klasse.skole.kommune,
        type="planleggingsdag",
        navn="Planleggingsdag",
        fra=D(2026, 11, 13),
        til=D(2026, 11, 13),
    )
    return klasse


@pytest.fixture
def laerer(db):
    return UserFactory(username="laerer")


def registrer(elev, laerer, dato, **felt):
    return Fravaer.objects.create(elev=elev, dato=dato, registrert_av=laerer, **felt)


def test_figures_for_one_pupil(klasse, laerer):
    elev = elev_i_klasse(klasse)
    registrer(elev, laerer, D(2026, 11, 2), omfang=Omfang.HELE_DAGEN, gyldighet="gyldig")
    registrer(elev, laerer, D(2026, 11, 3), omfang=Omfang.TIME, time=2, gyldighet="ugyldig")
    registrer(elev, laerer, D(2026, 11, 4), omfang=Omfang.FOR_SENT, minutter=10)
    registrer(elev, laerer, D(2026, 11, 13), omfang=Omfang.HELE_DAGEN)  # planning day: ignored
    tall = fravaerstall([elev.pk], FRA, TIL)[elev.pk]
    assert (tall.skoledager, tall.timer) == (9, 45)
    assert tall.dager_borte["gyldig"] == 1 and tall.sum_dager_borte == 1
    assert tall.timer_borte == {"gyldig": 5, "ugyldig": 1}
    assert tall.sum_for_sent == 1
    assert tall.prosent_dager == Decimal("11.1") and tall.prosent_timer == Decimal("13.3")


def test_a_pupil_who_joined_midway_counts_only_days_at_the_school(klasse):
    elev = elev_i_klasse(klasse, fra=D(2026, 11, 9))
    assert fravaerstall([elev.pk], FRA, TIL)[elev.pk].skoledager == 4


def test_a_pupil_who_came_after_the_period_has_no_school_days_and_no_absence(klasse, laerer):
    senere = elev_i_klasse(klasse, fra=D(2026, 11, 16))
    her = elev_i_klasse(klasse, fra=D(2026, 8, 17))
    registrer(senere, laerer, D(2026, 11, 16), omfang=Omfang.HELE_DAGEN)
    registrer(her, laerer, D(2026, 11, 2), omfang=Omfang.HELE_DAGEN)
    assert fravaerstall([senere.pk], FRA, TIL)[senere.pk] == Fravaerstall(0, 0)
    tall = fravaerstall([senere.pk, her.pk], FRA, TIL)
    assert tall[senere.pk] == Fravaerstall(0, 0) and tall[her.pk].sum_dager_borte == 1


def test_teaching_group_lessons_count_only_for_its_members(klasse):
    spansk = FaggruppeFactory(skole=klasse.skole, navn="Spansk")
    tysk = FaggruppeFactory(skole=klasse.skole, navn="Tysk")
    for gruppe in (spansk, tysk):
        Skoletime.objects.create(
            klasse=klasse, ukedag=1, nummer=6, fagnavn=gruppe.navn, faggruppe=gruppe
        )
    elev, annen = elev_i_klasse(klasse), elev_i_klasse(klasse)
    spansk.medlemskap.create(elev=elev, fra=D(2026, 8, 1))
    tall = fravaerstall([elev.pk, annen.pk], FRA, TIL)
    assert tall[elev.pk].timer == 45 + 2  # two Mondays with one language lesson each
    assert tall[annen.pk].timer == 45


@pytest.mark.parametrize("antall", [5, 30])
def test_queries_do_not_grow_with_pupils(klasse, laerer, antall, django_assert_max_num_queries):
    elever = [elev_i_klasse(klasse) for _ in range(antall)]
    for elev in elever:
        registrer(elev, laerer, D(2026, 11, 2), omfang=Omfang.HELE_DAGEN)
    with django_assert_max_num_queries(8):
        tall = fravaerstall([e.pk for e in elever], FRA, TIL)
    assert all(t.sum_dager_borte == 1 and t.skoledager == 9 for t in tall.values())


def test_the_database_count_agrees_with_the_arithmetic_on_the_rows(klasse, laerer):
    """fravaerstall counts in SQL; tall.beregn counts the same rows in Python. Every kind
    of entry, validity, leave, a planning day and days outside an enrolment must agree."""
    ada, bo = elev_i_klasse(klasse, fornavn="Ada"), elev_i_klasse(klasse, fornavn="Bo")
    bo.skolemedlemskap.update(til=D(2026, 11, 9))  # Bo left after Monday the 9th
    for elev in (ada, bo):
        registrer(elev, laerer, D(2026, 11, 2), omfang=Omfang.HELE_DAGEN, gyldighet="gyldig")
        registrer(elev, laerer, D(2026, 11, 3), omfang=Omfang.TIME, time=2, gyldighet="ugyldig")
        registrer(elev, laerer, D(2026, 11, 3), omfang=Omfang.TILSTEDE, time=4)
        registrer(elev, laerer, D(2026, 11, 4), omfang=Omfang.TILSTEDE)
        registrer(elev, laerer, D(2026, 11, 5), omfang=Omfang.FOR_SENT, minutter=5)
        registrer(
            elev,
            laerer,
            D(2026, 11, 10),
            omfang=Omfang.HELE_DAGEN,
            gyldighet="permisjon",
            arsak="permisjon",
            permisjonssoknad=innvilget_permisjonssoknad(
                elev, D(2026, 11, 10), D(2026, 11, 10), laerer
            ),
        )
        registrer(elev, laerer, D(2026, 11, 13), omfang=Omfang.HELE_DAGEN)  # planning day
    dager = skoledager_med_timer([ada.pk, bo.pk], FRA, TIL)
    for uten_permisjon in (False, True):
        fra_sql = fravaerstall([ada.pk, bo.pk], FRA, TIL, uten_permisjon=uten_permisjon)
        for elev in (ada, bo):
            rader = [
                Rad(f.dato, f.omfang, f.gyldighet, f.time)
                for f in Fravaer.objects.filter(elev=elev)
            ]
            fra_rader = beregn(
                skoledager=dager[elev.pk],
                timer_per_dag=dager[elev.pk],
                rader=rader,
                uten_permisjon=uten_permisjon,
            )
            assert fra_sql[elev.pk] == fra_rader
    assert fravaerstall([bo.pk], FRA, TIL)[bo.pk].sum_dager_borte == 2  # not the 10th
