"""The school calendar: which days are school days (the denominator of every percentage)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from elever.kalender import Skolerute, Unntak, offentlige_fridager, slaa_sammen

D = datetime.date


def rute_2026() -> Skolerute:
    """A typical school year: Fjordvik's 2026/27 with the usual holidays."""
    return Skolerute(
        forste_skoledag=D(2026, 8, 17),
        siste_skoledag=D(2027, 6, 18),
        unntak=[
            Unntak(D(2026, 9, 28), D(2026, 10, 2), "Høstferie"),
            Unntak(D(2026, 11, 13), D(2026, 11, 13), "Planleggingsdag"),
            Unntak(D(2026, 12, 21), D(2027, 1, 1), "Juleferie"),
            Unntak(D(2027, 1, 4), D(2027, 1, 4), "Planleggingsdag"),
            Unntak(D(2027, 3, 1), D(2027, 3, 5), "Vinterferie"),
            Unntak(D(2027, 3, 22), D(2027, 3, 24), "Påskeferie"),
            Unntak(D(2027, 5, 7), D(2027, 5, 7), "Fridag etter Kristi himmelfart"),
        ],
    )


def test_a_saturday_is_not_a_school_day():
    rute = rute_2026()
    assert not rute.er_skoledag(D(2026, 11, 21))
    assert rute.grunn_til_fri(D(2026, 11, 21)) == "Lørdag"


def test_a_public_holiday_is_not_a_school_day():
    rute = rute_2026()
    assert not rute.er_skoledag(D(2027, 5, 17))
    assert "Grunnlovsdag" in rute.grunn_til_fri(D(2027, 5, 17))
    assert rute.grunn_til_fri(D(2027, 5, 6)) == "Kristi himmelfartsdag"


def test_a_holiday_week_is_not_school_days():
    rute = rute_2026()
    assert rute.skoledager(D(2026, 9, 28), D(2026, 10, 4)) == []
    assert rute.grunn_til_fri(D(2026, 9, 30)) == "Høstferie"


def test_a_planning_day_is_not_a_school_day():
    rute = rute_2026()
    assert not rute.er_skoledag(D(2026, 11, 13))
    assert rute.er_skoledag(D(2026, 11, 12))


def test_days_outside_the_school_year_are_not_school_days():
    rute = rute_2026()
    assert not rute.er_skoledag(D(2026, 8, 14))
    assert rute.grunn_til_fri(D(2027, 6, 21)) == "Utenfor skoleåret"


def test_an_extra_school_day_overrides_a_saturday():
    rute = Skolerute(
        forste_skoledag=D(2026, 8, 17),
        siste_skoledag=D(2027, 6, 18),
        unntak=[Unntak(D(2026, 10, 10), D(2026, 10, 10), "Skoledag lørdag", skoledag=True)],
    )
    assert rute.er_skoledag(D(2026, 10, 10))


def test_a_typical_year_has_about_190_school_days():
    rute = rute_2026()
    assert 185 <= rute.antall_skoledager(D(2026, 8, 1), D(2027, 7, 31)) <= 192


def test_moving_between_school_days_skips_weekends_and_holidays():
    rute = rute_2026()
    assert rute.forrige_skoledag(D(2026, 10, 5)) == D(2026, 9, 25)
    assert rute.neste_skoledag(D(2026, 12, 18)) == D(2027, 1, 5)
    assert rute.forrige_skoledag(D(2026, 8, 17)) is None


def test_public_holidays_come_from_the_holidays_package_in_norwegian():
    dager = offentlige_fridager(D(2026, 1, 1), D(2026, 12, 31))
    assert dager[D(2026, 5, 17)] == "Grunnlovsdag"
    assert D(2026, 4, 3) in dager  # Langfredag
    assert D(2026, 12, 24) not in dager  # Julaften is a holiday by the school's calendar


def test_runs_are_merged_across_weekends():
    assert slaa_sammen([D(2026, 10, 2), D(2026, 9, 28), D(2026, 9, 29), D(2026, 10, 5)]) == [
        (D(2026, 9, 28), D(2026, 9, 29)),
        (D(2026, 10, 2), D(2026, 10, 5)),
    ]


@given(
    fra=st.dates(D(2026, 8, 1), D(2027, 7, 31)),
    lengde=st.integers(0, 400),
    midt=st.integers(0, 400),
)
def test_school_days_add_up_over_split_periods(fra, lengde, midt):
    """Counting a period in two parts gives the same as counting it whole, and never more
    school days than weekdays."""
    rute = rute_2026()
    til = fra + datetime.timedelta(days=lengde)
    delt = fra + datetime.timedelta(days=min(midt, lengde))
    hel = rute.antall_skoledager(fra, til)
    assert hel == rute.antall_skoledager(fra, delt) + rute.antall_skoledager(
        delt + datetime.timedelta(days=1), til
    )
    ukedager = sum((fra + datetime.timedelta(days=i)).weekday() < 5 for i in range(lengde + 1))
    assert 0 <= hel <= ukedager


def test_extra_school_days_do_not_bridge_a_weekend():
    assert slaa_sammen([D(2028, 4, 29), D(2028, 5, 1)], over_helg=False) == [
        (D(2028, 4, 29), D(2028, 4, 29)),
        (D(2028, 5, 1), D(2028, 5, 1)),
    ]
