"""The absence arithmetic (property tests): adding absence never lowers a percentage, leave
is left out when asked, a whole day is all its lessons."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from fravaer.tall import FOR_SENT, HELE_DAGEN, PERMISJON, TILSTEDE, TIME, Rad, beregn, prosent

START = datetime.date(2026, 8, 17)
GYLDIGHETER = ["ukjent", "gyldig", "ugyldig", PERMISJON]

skoledager = st.lists(
    st.integers(0, 120).map(lambda n: START + datetime.timedelta(days=n)),
    min_size=1,
    max_size=60,
    unique=True,
)


@st.composite
def periode(draw):
    """School days, lessons per day and entries the database would accept: nothing beside a
    whole day, and each (extent, lesson) once a day."""
    dager = draw(skoledager)
    timer = {d: draw(st.integers(1, 8)) for d in dager}
    rader, per_dag = [], {}
    for _ in range(draw(st.integers(0, 25))):
        dato = draw(st.sampled_from(dager))
        omfang = draw(st.sampled_from([HELE_DAGEN, TIME, FOR_SENT, TILSTEDE]))
        time = None
        if omfang in (TIME, FOR_SENT):
            time = draw(st.integers(1, timer[dato]))
        elif omfang == TILSTEDE:
            time = draw(st.one_of(st.none(), st.integers(1, timer[dato])))
        dagens = per_dag.setdefault(dato, set())
        if (
            (HELE_DAGEN, None) in dagens
            or (omfang == HELE_DAGEN and dagens)
            or (omfang, time) in dagens
        ):
            continue
        dagens.add((omfang, time))
        rader.append(Rad(dato, omfang, draw(st.sampled_from(GYLDIGHETER)), time))
    return dager, timer, rader


@given(periode(), st.data())
def test_adding_an_absence_never_lowers_a_percentage(p, data):
    dager, timer, rader = p
    for_ = beregn(skoledager=dager, timer_per_dag=timer, rader=rader)
    opptatt = {r.dato for r in rader}
    ledige = [d for d in dager if d not in opptatt]
    if not ledige:
        return
    dato = data.draw(st.sampled_from(ledige))
    ny = Rad(dato, data.draw(st.sampled_from([HELE_DAGEN, TIME, TILSTEDE])), "ugyldig", 1)
    ny = Rad(ny.dato, ny.omfang, ny.gyldighet, None if ny.omfang == HELE_DAGEN else 1)
    etter = beregn(skoledager=dager, timer_per_dag=timer, rader=[*rader, ny])
    assert etter.prosent_dager >= for_.prosent_dager
    assert etter.prosent_timer >= for_.prosent_timer
    assert etter.sum_timer_borte > for_.sum_timer_borte


@given(periode())
def test_leave_is_left_out_when_asked_and_only_leave(p):
    dager, timer, rader = p
    med = beregn(skoledager=dager, timer_per_dag=timer, rader=rader)
    uten = beregn(skoledager=dager, timer_per_dag=timer, rader=rader, uten_permisjon=True)
    assert uten.dager_borte[PERMISJON] == uten.timer_borte[PERMISJON] == 0
    for gyldighet in ("ukjent", "gyldig", "ugyldig"):
        assert uten.dager_borte[gyldighet] == med.dager_borte[gyldighet]
        assert uten.timer_borte[gyldighet] == med.timer_borte[gyldighet]
    assert uten.skoledager == med.skoledager and uten.prosent_dager <= med.prosent_dager


@given(skoledager, st.integers(1, 8))
def test_a_whole_day_is_all_its_lessons(dager, antall):
    timer = dict.fromkeys(dager, antall)
    hel = beregn(skoledager=dager, timer_per_dag=timer, rader=[Rad(dager[0], HELE_DAGEN, "gyldig")])
    enkeltvis = beregn(
        skoledager=dager,
        timer_per_dag=timer,
        rader=[Rad(dager[0], TIME, "gyldig", n) for n in range(1, antall + 1)],
    )
    assert hel.sum_timer_borte == enkeltvis.sum_timer_borte == antall
    assert hel.prosent_timer == enkeltvis.prosent_timer
    assert hel.sum_dager_borte == 1 and enkeltvis.sum_dager_borte == 0


@given(st.integers(0, 500), st.integers(1, 500))
def test_percent_is_between_0_and_100_with_one_decimal(del_, helhet):
    del_ = min(del_, helhet)
    verdi = prosent(del_, helhet)
    assert Decimal(0) <= verdi <= Decimal(100)
    assert verdi == verdi.quantize(Decimal("0.1"))


def test_examples():
    dager = [START + datetime.timedelta(days=n) for n in range(20)]
    timer = dict.fromkeys(dager, 6)
    tall = beregn(
        skoledager=dager,
        timer_per_dag=timer,
        rader=[
            Rad(dager[0], HELE_DAGEN, "gyldig"),
            Rad(dager[1], TIME, "ugyldig", 2),
            Rad(dager[2], FOR_SENT, "ukjent", 1),
            Rad(START - datetime.timedelta(days=3), HELE_DAGEN, "gyldig"),  # outside: ignored
        ],
    )
    assert (tall.skoledager, tall.timer) == (20, 120)
    assert tall.prosent_dager == Decimal("5.0")  # 1 of 20 days
    assert tall.prosent_timer == Decimal("5.8")  # 7 of 120 lessons, 5,83 rounded
    assert tall.sum_for_sent == 1
    assert prosent(1, 0) == Decimal("0.0")
