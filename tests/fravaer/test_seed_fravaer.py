"""manage.py seed_fravaer: the demo kommune's absence history, and what the logins meet."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from elever import demodata, selectors, tilgang
from elever.models import Klasse, User
from fravaer.models import Fravaer, Permisjonssoknad, Registrering


@pytest.fixture
def demo(db):
    call_command("seed_demo", skoler=1, stdout=io.StringIO())


def kjor(*args) -> str:
    out = io.StringIO()
    call_command("seed_fravaer", *args, stdout=out)
    return out.getvalue()


def test_without_the_demo_kommune_it_says_what_to_run(db):
    with pytest.raises(CommandError, match="seed_demo"):
        kjor()


def test_a_school_year_of_absence_and_what_the_kontaktlaerer_meets(demo, client):
    utskrift = kjor()
    assert "Laget fravær i Fjordvik kommune" in utskrift
    hele = Fravaer.objects.filter(omfang="hele_dagen").count()
    elevdager = int(utskrift.split(" på ")[1].split(" ")[0])
    assert 0.03 < hele / elevdager < 0.08  # about 5 % of pupil-days away the whole day
    assert Registrering.objects.exists()
    assert Permisjonssoknad.objects.filter(status="venter").count() == 3
    # Leave only from a granted decision, with its grounds: two days, each linked to it.
    innvilget = Permisjonssoknad.objects.get(status="innvilget")
    assert innvilget.begrunnelse and innvilget.behandlet.date() < innvilget.fra
    permisjon = Fravaer.objects.filter(gyldighet="permisjon")
    assert set(permisjon.values_list("permisjonssoknad", flat=True)) == {innvilget.pk}
    assert permisjon.count() == 2
    kontakt = User.objects.get(username=demodata.KONTAKT.brukernavn)
    klasse = Klasse.objects.get(pk__in=tilgang.roller(kontakt).kontaktlaerer)
    forste = selectors.klasseliste(klasse, timezone.localdate()).first()
    client.force_login(kontakt)
    html = client.get(reverse("start")).content.decode()
    assert f"{forste.navn}</a> – borte 4 skoledager på rad uten melding fra hjemmet" in html
    assert html.count("skoledager på rad uten melding") == 1
    assert "Søknader om permisjon som venter på svar" in html


def test_running_it_again_changes_nothing_and_nullstill_rebuilds(demo):
    kjor()
    antall = Fravaer.objects.count()
    assert "ingenting er endret" in kjor() and Fravaer.objects.count() == antall
    kjor("--nullstill")
    assert Fravaer.objects.count() == antall  # the same seed gives the same absence


def test_the_demo_can_be_rebuilt_with_its_absence(demo):
    kjor()
    call_command("seed_demo", skoler=1, nullstill=True, stdout=io.StringIO())
    assert not Fravaer.objects.exists()


def test_the_demos_granted_leave_was_registered_before_it_was_decided(demo):
    kjor()
    assert Permisjonssoknad.objects.exclude(behandlet=None).exists()
    for soknad in Permisjonssoknad.objects.exclude(behandlet=None):
        assert (
            soknad.registrert
            < soknad.behandlet
            < datetime.datetime.combine(soknad.fra, datetime.time(), tzinfo=datetime.UTC)
        )
