"""Leave cannot hide absence: the registers and the absence import never set leave, in
any way a teacher or a crafted request can reach them, and never overwrite granted leave.
A day of granted leave shows in the registers as "Permisjon", read only."""

import datetime
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from elever.models import Faggruppemedlemskap, Rolle, Skoletime
from fravaer.models import Fravaer, Fravaeropplasting, Registrering
from fravaer.permisjon import permisjon_innvilg, permisjonssoknad_registrer
from tests.factories import FaggruppeFactory, KlasseFactory, UserFactory, elev_i_klasse, gi_rolle

MANDAG = datetime.date(2026, 11, 23)
IKKE_PERMISJON = "Permisjon registreres bare ved å innvilge en søknad om permisjon."


@pytest.fixture(autouse=True)
def fast_dato():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture
def klasse(db):
    return KlasseFactory(navn="5A")


@pytest.fixture
def gruppe(klasse):
    """Maths in lesson 3 on Mondays; Norwegian for the whole class in 1, 2 and 4."""
    gruppe = FaggruppeFactory(skole=klasse.skole, skolear=klasse.skolear, navn="MAT 5A-1")
    for nummer in range(1, 5):
        Skoletime.objects.create(
            klasse=klasse, ukedag=1, nummer=nummer, faggruppe=gruppe if nummer == 3 else None
        )
    return gruppe


@pytest.fixture
def ada(klasse, gruppe):
    elev = elev_i_klasse(klasse, fornavn="Ada")
    Faggruppemedlemskap.objects.create(elev=elev, faggruppe=gruppe, fra=datetime.date(2026, 8, 1))
    return elev


def bruker(rolle, omfang):
    ny = UserFactory(username=rolle)
    gi_rolle(ny, rolle, omfang)
    return ny


@pytest.fixture
def kontakt(klasse):
    return bruker(Rolle.KONTAKTLAERER, klasse)


@pytest.fixture
def faglaerer(gruppe):
    return bruker(Rolle.FAGLAERER, gruppe)


@pytest.fixture
def rektor(klasse):
    return bruker(Rolle.REKTOR, klasse.skole)


def register(klasse, gruppe, hvilket):
    """The page, a row's save and the no-JS confirm of the class or the lesson register."""
    if hvilket == "klasse":
        return (
            reverse("fravaer:register", args=[klasse.pk]) + f"?dato={MANDAG}",
            lambda elev: (
                reverse("fravaer:register_rad", args=[klasse.pk, elev.pk]) + f"?dato={MANDAG}"
            ),
            reverse("fravaer:register_bekreft", args=[klasse.pk]),
            "hele_dagen",
        )
    return (
        reverse("fravaer:timeregister", args=[gruppe.pk]) + f"?dato={MANDAG}&time=3",
        lambda elev: (
            reverse("fravaer:timeregister_rad", args=[gruppe.pk, elev.pk])
            + f"?dato={MANDAG}&time=3"
        ),
        reverse("fravaer:timeregister_bekreft", args=[gruppe.pk]),
        "time",
    )


def permisjon_i_dag(elev, rektor):
    soknad = permisjonssoknad_registrer(
        elev=elev, fra=MANDAG, til=MANDAG, arsak="reise", registrert_av=rektor
    )
    permisjon_innvilg(
        soknad=soknad,
        behandlet_av=rektor,
        begrunnelse="Begravelse.",
        grunn_etter_start="Dødsfallet var i helgen.",
    )


@pytest.mark.parametrize(
    ("hvilket", "hvem"), [("klasse", "kontakt"), ("klasse", "rektor"), ("time", "faglaerer")]
)
def test_the_registers_do_not_offer_leave(client, klasse, gruppe, ada, request, hvilket, hvem):
    side, *_ = register(klasse, gruppe, hvilket)
    client.force_login(request.getfixturevalue(hvem))
    html = client.get(side).content.decode()
    assert f'name="e{ada.pk}-gyldighet"' in html and 'value="ugyldig"' in html
    assert 'value="permisjon"' not in html
    assert "Gyldig · Ugyldig · Ukjent" in html  # the shortcuts offer no leave either


@pytest.mark.parametrize(
    ("hvilket", "hvem"), [("klasse", "kontakt"), ("klasse", "rektor"), ("time", "faglaerer")]
)
def test_a_crafted_row_with_leave_is_refused_through_htmx(
    client, klasse, gruppe, ada, request, hvilket, hvem
):
    _side, rad, _bekreft, status = register(klasse, gruppe, hvilket)
    client.force_login(request.getfixturevalue(hvem))
    svar = client.post(
        rad(ada),
        {
            f"e{ada.pk}-status": status,
            f"e{ada.pk}-gyldighet": "permisjon",
            f"e{ada.pk}-versjon": "",
        },
        headers={"HX-Request": "true"},
    )
    assert svar.status_code == 422 and IKKE_PERMISJON in svar.content.decode()
    assert not Fravaer.objects.exists()


@pytest.mark.parametrize(
    ("hvilket", "hvem"), [("klasse", "kontakt"), ("klasse", "rektor"), ("time", "faglaerer")]
)
def test_a_crafted_form_with_leave_is_refused_without_javascript(
    client, klasse, gruppe, ada, request, hvilket, hvem
):
    side, _rad, bekreft, status = register(klasse, gruppe, hvilket)
    client.force_login(request.getfixturevalue(hvem))
    data = {
        "dato": MANDAG.isoformat(),
        "time": "3",
        f"e{ada.pk}-versjon": "",
        f"e{ada.pk}-status": status,
        f"e{ada.pk}-gyldighet": "permisjon",
    }
    svar = client.post(bekreft, data)
    assert svar.status_code == 302
    html = client.get(side).content.decode()
    assert f"Ada Testesen: {IKKE_PERMISJON}" in html
    assert not Fravaer.objects.exists() and not Registrering.objects.exists()


def test_an_undo_carrying_leave_is_refused(client, klasse, gruppe, ada, kontakt):
    _side, rad, _bekreft, _status = register(klasse, gruppe, "klasse")
    client.force_login(kontakt)
    angre = {
        "omfang": "hele_dagen",
        "time": None,
        "minutter": None,
        "gyldighet": "permisjon",
        "arsak": "permisjon",
        "meldt_av_foresatte": False,
        "meldt_maate": "",
        "meldt_tidspunkt": None,
    }
    svar = client.post(
        rad(ada),
        {f"e{ada.pk}-angre": json.dumps([angre]), f"e{ada.pk}-versjon": ""},
        headers={"HX-Request": "true"},
    )
    assert svar.status_code == 422 and IKKE_PERMISJON in svar.content.decode()
    assert not Fravaer.objects.exists()


@pytest.mark.parametrize(
    ("hvilket", "hvem"), [("klasse", "kontakt"), ("klasse", "rektor"), ("time", "faglaerer")]
)
def test_granted_leave_shows_read_only_and_no_register_changes_it(
    client, klasse, gruppe, ada, rektor, request, hvilket, hvem
):
    permisjon_i_dag(ada, rektor)
    side, rad, bekreft, _status = register(klasse, gruppe, hvilket)
    client.force_login(request.getfixturevalue(hvem))
    html = client.get(side).content.decode()
    assert f'<tr id="rad-{ada.pk}" class="permisjonsrad">' in html
    assert ">Permisjon</span>" in html and "Innvilget permisjon" in html
    assert f'name="e{ada.pk}-' not in html  # nothing of the row to change or to post
    versjon = Fravaer.objects.get().endret.timestamp()
    versjon = f"{Fravaer.objects.get().pk}:{versjon}"
    for status in ("", "for_sent"):
        svar = client.post(
            rad(ada),
            {
                f"e{ada.pk}-status": status,
                f"e{ada.pk}-minutter": "10",
                f"e{ada.pk}-gyldighet": "gyldig",
                f"e{ada.pk}-versjon": versjon,
            },
            headers={"HX-Request": "true"},
        )
        assert svar.status_code == 422
        assert "har innvilget permisjon 23.11.2026" in svar.content.decode()
    client.post(bekreft, {"dato": MANDAG.isoformat(), "time": "3", f"e{ada.pk}-versjon": versjon})
    assert list(Fravaer.objects.values_list("gyldighet", "omfang")) == [("permisjon", "hele_dagen")]


# The absence import.


@pytest.fixture
def admin(client, klasse):
    ny = bruker(Rolle.ADMINISTRATOR, klasse.skole.kommune)
    client.force_login(ny)
    return ny


def last_opp(client, *linjer: str):
    innhold = "\r\n".join(["elev;dato;omfang;time;minutter;gyldighet;meldt", *linjer]) + "\r\n"
    fil = SimpleUploadedFile("fravaer.csv", innhold.encode(), content_type="text/csv")
    return client.post(reverse("fravaer:import"), {"fil": fil})


def test_the_import_refuses_leave_lines(client, ada, admin):
    svar = last_opp(
        client,
        f"{ada.fodselsnummer};02.11.2026;hele_dagen;;;gyldig;ja",
        f"{ada.fodselsnummer};03.11.2026;hele_dagen;;;permisjon;nei",
    )
    html = svar.content.decode()
    assert svar.status_code == 400
    assert f"fravaer.csv, linje 3: {IKKE_PERMISJON}" in html
    assert not Fravaer.objects.exists() and not Fravaeropplasting.objects.exists()


def test_the_import_does_not_replace_granted_leave(client, ada, rektor, admin):
    permisjon_i_dag(ada, rektor)
    svar = last_opp(client, f"{ada.fodselsnummer};23.11.2026;hele_dagen;;;ugyldig;nei")
    assert svar.status_code == 400
    assert "linje 2: Ada Testesen har innvilget permisjon 23.11.2026." in svar.content.decode()
    assert list(Fravaer.objects.values_list("gyldighet", flat=True)) == ["permisjon"]
