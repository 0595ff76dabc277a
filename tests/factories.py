import datetime
import functools

import factory
from django.contrib.auth.hashers import make_password

from elever import models
from elever.fodselsnummer import VEKTER_K1, VEKTER_K2

PASSORD = "riktig-hest-batteri-stift"
START_2026 = datetime.date(2026, 8, 1)


def syntetisk_fnr(fodselsdato: datetime.date, start_individ: int = 500) -> str:
    """A synthetic test number (Skatteetaten's month + 80) with valid check digits, so tests
    never hold a real person's number."""
    for individ in range(start_individ, 1000):
        grunn = f"{fodselsdato:%d}{fodselsdato.month + 80:02d}{fodselsdato:%y}{individ:03d}"
        k1 = (11 - sum(v * int(s) for v, s in zip(VEKTER_K1, grunn, strict=False)) % 11) % 11
        if k1 == 10:
            continue
        k2 = (
            11 - sum(v * int(s) for v, s in zip(VEKTER_K2, grunn + str(k1), strict=False)) % 11
        ) % 11
        if k2 == 10:
            continue
        return f"{grunn}{k1}{k2}"
    raise ValueError("no free individual number")


@functools.cache
def _passordhash() -> str:
    return make_password(PASSORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = "Ola"
    last_name = "Nordmann"
    # Hashing with Argon2 once, not per user, keeps tests with many users fast.
    password = factory.LazyFunction(lambda: _passordhash())


class KommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Kommune
        skip_postgeneration_save = True

    navn = factory.Sequence(lambda n: f"Testkommune {n}")
    kommunenummer = factory.Sequence(lambda n: f"{9000 + n}")
    organisasjonsnummer = factory.Sequence(lambda n: f"{940000000 + n}")

    @factory.post_generation
    def brukernavndomener(self, create, domener, **kwargs):
        """``KommuneFactory(brukernavndomener=["fjordvik.example"])``: the domains whose
        usernames the kommune's administrator and imports may use."""
        for domene in domener or ():
            models.Brukernavndomene.objects.create(kommune=self, domene=domene)


class SkoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Skole

    kommune = factory.SubFactory(KommuneFactory)
    navn = factory.Sequence(lambda n: f"Testskole {n}")
    organisasjonsnummer = factory.Sequence(lambda n: f"{970000000 + n}")


class SkolearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Skolear
        django_get_or_create = ("kommune", "start")

    kommune = factory.SubFactory(KommuneFactory)
    start = START_2026
    slutt = datetime.date(2027, 7, 31)
    forste_skoledag = datetime.date(2026, 8, 17)
    siste_skoledag = datetime.date(2027, 6, 18)


class KlasseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Klasse

    skole = factory.SubFactory(SkoleFactory)
    skolear = factory.LazyAttribute(lambda o: SkolearFactory(kommune=o.skole.kommune))
    navn = factory.Sequence(lambda n: f"{n % 10 + 1}{chr(65 + n // 10 % 26)}")
    trinn = 5


class FaggruppeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Faggruppe

    skole = factory.SubFactory(SkoleFactory)
    skolear = factory.LazyAttribute(lambda o: SkolearFactory(kommune=o.skole.kommune))
    navn = factory.Sequence(lambda n: f"Matematikk {n}")
    fagkode = "MAT01-05"
    fagnavn = "Matematikk"


class ElevFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Elev

    kommune = factory.SubFactory(KommuneFactory)
    fornavn = factory.Sequence(lambda n: f"Elev{n}")
    etternavn = "Testesen"
    fodselsnummer = factory.Sequence(
        lambda n: syntetisk_fnr(datetime.date(2015, 1, 1) + datetime.timedelta(days=n))
    )


class ForesattFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Foresatt

    kommune = factory.SubFactory(KommuneFactory)
    fornavn = factory.Sequence(lambda n: f"Foresatt{n}")
    etternavn = "Testesen"
    telefon = "40000000"
    epost = factory.Sequence(lambda n: f"foresatt{n}@example.org")


def elev_i_klasse(klasse: models.Klasse, fra: datetime.date = START_2026, **kwargs):
    """A pupil enrolled at the class's school and in the class from ``fra``."""
    elev = ElevFactory(kommune=klasse.skole.kommune, **kwargs)
    models.Skolemedlemskap.objects.create(elev=elev, skole=klasse.skole, fra=fra)
    models.Klassemedlemskap.objects.create(elev=elev, klasse=klasse, fra=fra)
    return elev


def gi_rolle(bruker: models.User, rolle: str, omfang) -> models.Rolletildeling:
    """The role, with the account placed in the role's kommune if it has none yet (as the
    administrator's admin does for accounts it creates)."""
    if bruker.kommune_id is None:
        bruker.kommune = (
            omfang
            if isinstance(omfang, models.Kommune)
            else (getattr(omfang, "kommune", None) or omfang.skole.kommune)
        )
        bruker.save(update_fields=["kommune"])
    return models.Rolletildeling.objects.create(
        bruker=bruker, rolle=rolle, **{type(omfang).__name__.lower(): omfang}
    )


def innvilget_permisjonssoknad(elev: models.Elev, fra: datetime.date, til: datetime.date, av):
    """A granted application, as a leave entry on a day from ``fra`` to ``til`` needs
    (the database refuses leave without one)."""
    from fravaer.models import Permisjonssoknad  # tests of elever alone need no fravaer

    return Permisjonssoknad.objects.create(
        elev=elev,
        fra=fra,
        til=til,
        arsak="reise",
        skoledager=1,
        registrert_av=av,
        status=Permisjonssoknad.Status.INNVILGET,
        behandlet_av=av,
        behandlet=datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC),
        begrunnelse="Innvilget i testen.",
    )
