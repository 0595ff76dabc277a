"""Calendars, timetables and school-day plans kept between requests (elever.cache): kept
while nothing changes, read again as soon as a change is committed, however it was written,
and never kept from a transaction that changed them itself.

These tests commit (transaction=True): the version moves when a transaction commits.
"""

import datetime
import importlib
import re

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from elever import cache
from elever.models import (
    Faggruppemedlemskap,
    Klassemedlemskap,
    Rolle,
    Skolear,
    Skoleruteunntak,
    Skoletime,
)
from elever.selectors import (
    elevdager,
    gruppens_timer,
    klassens_timer,
    skoledager,
    skoledagsplan,
    skolerute,
)
from elever.tilgang import roller
from fravaer.selectors import fravaerstall
from tests.factories import FaggruppeFactory, KlasseFactory, UserFactory, elev_i_klasse, gi_rolle

pytestmark = pytest.mark.django_db(transaction=True)
migrasjon = importlib.import_module("elever.migrations.0004_organisasjonsversjon")

D = datetime.date
FRA, TIL = D(2026, 11, 2), D(2026, 11, 13)  # two school weeks, Monday to Friday


@pytest.fixture
def klasse():
    klasse = KlasseFactory(navn="5A")
    Skoletime.objects.bulk_create(
        Skoletime(klasse=klasse, ukedag=u, nummer=n, fagnavn="Norsk")
        for u in range(1, 6)
        for n in range(1, 5)
    )
    return klasse


def sporringer(funksjon):
    with CaptureQueriesContext(connection) as q:
        resultat = funksjon()
    return resultat, [s["sql"] for s in q.captured_queries]


def test_a_kept_plan_costs_one_query_and_a_new_membership_is_seen_at_once(klasse):
    elev = elev_i_klasse(klasse, fra=D(2026, 8, 17))
    assert sum(skoledagsplan([elev.pk], FRA, TIL).per_elev[elev.pk].values()) == 40
    plan, sql = sporringer(lambda: skoledagsplan([elev.pk], FRA, TIL))
    assert len(sql) == 1 and "elever_organisasjonsversjon" in sql[0]
    assert sum(plan.per_elev[elev.pk].values()) == 40

    Klassemedlemskap.objects.filter(elev=elev).update(til=D(2026, 11, 6))  # no signal
    assert sum(skoledagsplan([elev.pk], FRA, TIL).per_elev[elev.pk].values()) == 20


def test_a_bulk_created_planning_day_is_seen_in_figures_and_school_days(klasse):
    elev = elev_i_klasse(klasse, fra=D(2026, 8, 17))
    assert fravaerstall([elev.pk], FRA, TIL)[elev.pk].skoledager == 10
    assert len(skoledager(klasse.skole, FRA, TIL)) == 10
    Skoleruteunntak.objects.bulk_create(
        [
            Skoleruteunntak(
                kommune=klasse.skole.kommune,
                type=Skoleruteunntak.Type.PLANLEGGINGSDAG,
                navn="Planleggingsdag",
                fra=D(2026, 11, 13),
                til=D(2026, 11, 13),
            )
        ]
    )
    assert fravaerstall([elev.pk], FRA, TIL)[elev.pk].skoledager == 9
    assert len(skoledager(klasse.skole, FRA, TIL)) == 9


def test_a_transaction_reads_its_own_change_and_nothing_of_it_is_kept_after_rollback(klasse):
    assert len(klassens_timer(klasse, 1)) == 4
    with transaction.atomic():
        Skoletime.objects.create(klasse=klasse, ukedag=1, nummer=5, fagnavn="Musikk")
        assert [t.nummer for t in klassens_timer(klasse, 1)] == [1, 2, 3, 4, 5]
        transaction.set_rollback(True)
    assert [t.nummer for t in klassens_timer(klasse, 1)] == [1, 2, 3, 4]


def test_the_version_moves_once_per_transaction_however_many_rows(klasse):
    for_ = cache.versjon()
    with transaction.atomic():
        for elev in [elev_i_klasse(klasse) for _ in range(5)]:
            Klassemedlemskap.objects.filter(elev=elev).update(til=D(2026, 12, 31))
        assert cache.versjon() is None  # this transaction changed it: nothing kept
    assert cache.versjon() == for_ + 1


@time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_a_second_register_page_reads_no_calendar_timetable_memberships_or_roles(client, klasse):
    for _ in range(3):
        elev_i_klasse(klasse, fra=D(2026, 8, 17))
    kontakt = UserFactory(username="kontakt")
    gi_rolle(kontakt, Rolle.KONTAKTLAERER, klasse)
    client.force_login(kontakt)
    side = reverse("fravaer:register", args=[klasse.pk]) + "?dato=2026-11-23"
    cache.tom()
    with CaptureQueriesContext(connection) as kald:
        forste = client.get(side).content.decode()
    with CaptureQueriesContext(connection) as varm:
        andre = client.get(side).content.decode()
    assert _uten_nokler(andre) == _uten_nokler(forste)
    lest = " ".join(s["sql"] for s in varm.captured_queries)
    lagret = ("elever_skoletime", "elever_skoleruteunntak", "elever_skolemedlemskap")
    for tabell in (*lagret, "elever_rolletildeling"):
        assert tabell in " ".join(s["sql"] for s in kald.captured_queries)
        assert tabell not in lest
    assert lest.count("elever_organisasjonsversjon") == 1  # once for the whole GET
    assert len(varm.captured_queries) < len(kald.captured_queries)


def _uten_nokler(html: str) -> str:
    """The page without what differs on every response: CSP nonces and CSRF tokens."""
    return re.sub(r'(nonce="|"X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*', "", html)


@time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=False)
def test_a_revoked_role_takes_effect_on_the_next_request(client, klasse):
    kontakt = UserFactory(username="kontakt")
    tildeling = gi_rolle(kontakt, Rolle.KONTAKTLAERER, klasse)
    client.force_login(kontakt)
    side = reverse("fravaer:register", args=[klasse.pk]) + "?dato=2026-11-23"
    assert client.get(side).status_code == 200
    assert client.get(side).status_code == 200  # the roles are kept now
    tildeling.delete()
    assert client.get(side).status_code == 404


def test_a_school_year_read_before_a_change_is_not_kept_as_the_new_calendar(klasse):
    """A page reads the class and its school year, someone else moves the first school day,
    and only then does the page read the version: what is kept must be the new calendar."""
    cache.tom()
    for_endringen = Skolear.objects.get(pk=klasse.skolear_id)
    ny = for_endringen.forste_skoledag + datetime.timedelta(days=7)
    Skolear.objects.filter(pk=for_endringen.pk).update(forste_skoledag=ny)
    assert skolerute(for_endringen, klasse.skole).forste_skoledag == ny
    fersk = Skolear.objects.get(pk=klasse.skolear_id)
    assert skolerute(fersk, klasse.skole).forste_skoledag == ny


def test_everything_kept_is_read_from_tables_whose_changes_move_the_version(klasse):
    """A kept value that read a table outside the trigger list would never be read again
    after that table changed."""
    elev = elev_i_klasse(klasse, fra=D(2026, 8, 17))
    gruppe = FaggruppeFactory(skole=klasse.skole)
    Faggruppemedlemskap.objects.create(elev=elev, faggruppe=gruppe, fra=D(2026, 8, 17))
    Skoletime.objects.create(klasse=klasse, ukedag=1, nummer=5, fagnavn="Tysk", faggruppe=gruppe)
    bruker = UserFactory()
    gi_rolle(bruker, Rolle.KONTAKTLAERER, klasse)
    cache.tom()
    with CaptureQueriesContext(connection) as q:
        skoledagsplan([elev.pk], FRA, TIL)
        elevdager([elev.pk], [FRA, TIL])
        skoledager(klasse.skole, FRA, TIL)
        skolerute(klasse.skolear, klasse.skole)
        klassens_timer(klasse, 1)
        gruppens_timer(gruppe, FRA)
        roller(bruker)
    lest = {t for s in q.captured_queries for t in re.findall(r"\b(elever_[a-z_]+)", s["sql"])}
    assert lest - {"elever_organisasjonsversjon"} <= set(migrasjon.TABELLER)
    assert {"elever_skolear", "elever_skoletime", "elever_rolletildeling"} <= lest
