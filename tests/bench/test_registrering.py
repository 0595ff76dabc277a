"""The bench script's parts at the smallest scale, without gunicorn: the data builds, the
figures are computed from the same rows as the SQL floor, and the register still answers
the fields the script posts (so the bench breaks here, not in the middle of a run)."""

import datetime

import pytest

from bench import data
from bench.registrering import fordel_elever, maal_fravaerstall, persentil, tell_sporringer
from elever.models import Klassemedlemskap, Termin

I_DAG = datetime.date(2026, 11, 29)


@pytest.fixture
def liten(db):
    return data.bygg(data.SKALAER["liten"], i_dag=I_DAG)


def test_the_small_scale_has_a_school_year_of_history_before_today(liten):
    assert liten.registerdato == datetime.date(2026, 6, 19)  # last school day of 2025/26
    assert liten.skolear.navn == "2025/2026"
    assert Klassemedlemskap.objects.count() == data.SKALAER["liten"].elever
    assert liten.fravaer > 0


def test_figures_and_the_sql_floor_count_the_same_rows(liten):
    host = Termin.objects.get(skolear=liten.skolear, navn=Termin.Navn.HOST)
    elever = list(Klassemedlemskap.objects.values_list("elev_id", flat=True))
    maaling = maal_fravaerstall(elever, host.start, host.slutt, ganger=2)
    assert maaling.samme_rader
    assert len(maaling.app.ms) == len(maaling.kald.ms) == len(maaling.gulv.ms) == 2


def test_the_register_takes_the_rows_the_bench_posts(liten):
    medlemskap = Klassemedlemskap.objects.select_related("klasse").first()
    lister = tell_sporringer(
        "kontakt", medlemskap.klasse_id, medlemskap.elev_id, liten.registerdato
    )
    assert [liste.navn for liste in lister] == [
        "GET klasseregister, uten noe lagret",
        "GET klasseregister",
        "POST rad (borte hele dagen)",
        "POST rad (til stede)",
    ]


def test_clients_share_a_class_without_sharing_a_pupil():
    klasser = [(1, "a", [11, 12, 13]), (2, "b", [21, 22])]
    fordeling = fordel_elever(klasser, 4)
    elever = [e for _, _, egne in fordeling for e in egne]
    assert sorted(elever) == [11, 12, 13, 21, 22] and len(fordeling) == 4
    assert len(fordel_elever(klasser, 20)) == 5  # never more clients than pupils


def test_nearest_rank_percentile():
    assert persentil(list(range(1, 101)), 95) == 95
    assert persentil([3.0], 50) == 3.0
