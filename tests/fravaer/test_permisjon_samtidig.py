"""Two decisions for one pupil at the same moment, on two real database connections: the
yearly cap holds, because a decision locks the pupil before it reads the year's total."""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from elever.models import Rolle
from fravaer import permisjon
from fravaer.models import Fravaer, Permisjonssoknad
from tests.factories import KlasseFactory, UserFactory, elev_i_klasse, gi_rolle

D = datetime.date


@pytest.mark.django_db(transaction=True)
def test_two_rektors_granting_at_once_cannot_pass_the_cap_together(monkeypatch):
    klasse = KlasseFactory(navn="5A")
    elev = elev_i_klasse(klasse)
    rektorer = [UserFactory(username=f"rektor{i}") for i in range(2)]
    for rektor in rektorer:
        gi_rolle(rektor, Rolle.REKTOR, klasse.skole)
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)):
        soknader = [  # six school days each: either fits the cap of ten, both do not
            permisjon.permisjonssoknad_registrer(
                elev=elev,
                fra=fra,
                til=fra + datetime.timedelta(days=7),
                arsak="reise",
                registrert_av=rektorer[0],
            )
            for fra in (D(2026, 11, 16), D(2026, 11, 30))
        ]
    assert [s.skoledager for s in soknader] == [6, 6]

    # Each decision, once it has read the year's total, waits (a little) for the other to
    # have read it too: without the lock both read 0 and both grant.
    lest = [threading.Event(), threading.Event()]
    aarsoversikt = permisjon.aarsoversikt

    def les_og_vent(*args):
        svar = aarsoversikt(*args)
        nr = int(threading.current_thread().name)
        lest[nr].set()
        lest[1 - nr].wait(timeout=2)
        return svar

    monkeypatch.setattr(permisjon, "aarsoversikt", les_og_vent)
    utfall: dict[int, str] = {}

    def avgjor(nr: int) -> None:
        try:
            with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)):
                permisjon.permisjon_innvilg(
                    soknad=soknader[nr], behandlet_av=rektorer[nr], begrunnelse="Begrunnet."
                )
            utfall[nr] = "innvilget"
        except ValidationError as exc:
            utfall[nr] = " ".join(exc.messages)
        finally:
            connection.close()  # each thread had its own connection

    traader = [threading.Thread(target=avgjor, args=(nr,), name=str(nr)) for nr in (0, 1)]
    for t in traader:
        t.start()
    for t in traader:
        t.join(timeout=30)

    assert sorted(utfall.values())[1] == "innvilget"
    assert "høyst 10 skoledager" in sorted(utfall.values())[0]
    assert Fravaer.objects.filter(gyldighet="permisjon").count() == 6
    assert Permisjonssoknad.objects.filter(status="innvilget").count() == 1
