"""A fictional kommune for demos and manual testing (``manage.py seed_demo``).

Fjordvik kommune (kommunenummer 9901, which no real kommune has) with schools, classes on
trinn 1–10, pupils, guardians, staff in every role, timetables and the calendar of the
current school year. Nothing here is a real person: fødselsnumre are Skatteetaten's synthetic
test numbers (month + 80), e-mail addresses use the reserved example domains, and the places
are made up.

Deterministic: the same seed on the same school year gives the same names, numbers and
structure. Everything random is drawn from one ``random.Random(seed)`` in a fixed order;
nothing depends on dict or set ordering. The only use of the clock is choosing the school
year (the one containing today).
"""

import datetime
import random
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from dateutil.easter import easter
from django.contrib.auth.hashers import make_password
from django.db.models import PROTECT, Q, QuerySet
from stdnum.no import orgnr as stdnum_orgnr

from elever import fodselsnummer, kalender, tilgang
from elever.leselogg import Lesing
from elever.models import (
    Brukernavndomene,
    Elev,
    Faggruppe,
    Faggruppemedlemskap,
    Foresatt,
    Foresattrelasjon,
    Klasse,
    Klassemedlemskap,
    Kommune,
    Rolle,
    Rolletildeling,
    Skole,
    Skolear,
    Skolemedlemskap,
    Skoleruteunntak,
    Skoletime,
    User,
)
from elever.services import skolear_lagre

# Known password: seed_demo refuses to run in production.
DEMO_PASSORD = "naervaer-demo"
KOMMUNENAVN = "Fjordvik kommune"
KOMMUNENUMMER = "9901"
# The demo kommune's username domain (its "Feide realm") and staff e-mail domain; it also
# marks the users --nullstill deletes (or, if the read log names them, deactivates).
EPOSTDOMENE = "fjordvik.kommune.example"
FORESATT_EPOSTDOMENER = ("example.org", "example.net", "epost.example")

EN_DAG = datetime.timedelta(days=1)

# --- Places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Skolested:
    navn: str
    postnummer: str
    poststed: str


SKOLER = (
    Skolested("Fjordvik skole", "9901", "Fjordvik"),
    Skolested("Nordli skole", "9903", "Nordli"),
    Skolested("Bakkehaugen skole", "9905", "Bakkehaugen"),
    Skolested("Solstrand skole", "9907", "Solstrand"),
    Skolested("Lyngmo skole", "9909", "Lyngmo"),
    Skolested("Elvetun skole", "9911", "Elvetun"),
    Skolested("Granåsen skole", "9913", "Granåsen"),
    Skolested("Havbakken skole", "9915", "Havbakken"),
    Skolested("Steinvika skole", "9917", "Steinvika"),
    Skolested("Furulund skole", "9919", "Furulund"),
    Skolested("Kvernmyra skole", "9921", "Kvernmyra"),
    Skolested("Sjøbakken skole", "9923", "Sjøbakken"),
)
MAKS_SKOLER = len(SKOLER)

GATER = (
    "Fjordveien",
    "Skoleveien",
    "Kirkebakken",
    "Sjøgata",
    "Granlia",
    "Bjørkeveien",
    "Furuveien",
    "Rognveien",
    "Løkkeveien",
    "Havnegata",
    "Solbakken",
    "Engveien",
    "Fiolveien",
    "Myrveien",
    "Haugveien",
    "Strandveien",
    "Bekkeveien",
    "Lyngveien",
    "Tunveien",
    "Åsveien",
    "Kvernhusveien",
    "Nausttunet",
    "Moloveien",
    "Liaveien",
)

# --- Names ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bakgrunn:
    """Names that go together: children's first names, adults' first names, surnames."""

    vekt: int  # per thousand families
    barn: tuple[str, ...]
    voksne: tuple[str, ...]
    etternavn: tuple[str, ...]


NORSK = Bakgrunn(
    800,
    barn=(
        "Nora", "Emma", "Ella", "Maja", "Olivia", "Sofie", "Leah", "Ingrid", "Sara", "Frida",
        "Astrid", "Ada", "Hedda", "Selma", "Tiril", "Vilde", "Thea", "Mathilde", "Linnea",
        "Iben", "Aurora", "Amalie", "Sigrid", "Eline", "Hanna", "Ronja", "Live", "Julie",
        "Jakob", "Emil", "Noah", "Oliver", "Filip", "William", "Lucas", "Liam", "Henrik",
        "Oskar", "Aksel", "Theodor", "Elias", "Kasper", "Magnus", "Johannes", "Isak",
        "Sander", "Tobias", "Jonas", "Mathias", "Håkon", "Sindre", "Eirik", "Even", "Sigurd",
        "Ulrik", "Brage", "Edvard", "Torstein", "Vetle", "Mikkel", "Olav", "Herman",
    ),
    voksne=(
        "Kari", "Anne", "Hilde", "Marianne", "Ingrid", "Silje", "Camilla", "Ida", "Kristin",
        "Linda", "Heidi", "Tone", "Marte", "Ingvild", "Lene", "Trine", "Hanne", "Siri",
        "Mona", "Elin", "Guro", "Ragnhild", "Karoline", "Stine", "Ole", "Lars", "Morten",
        "Thomas", "Anders", "Kristian", "Espen", "Jon", "Per", "Geir", "Stian", "Martin",
        "Andreas", "Øyvind", "Trond", "Rune", "Jørgen", "Eirik", "Håvard", "Tor", "Vegard",
        "Bjørn", "Knut", "Sverre",
    ),
    etternavn=(
        "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
        "Kristiansen", "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg",
        "Haugen", "Hagen", "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen",
        "Henriksen", "Lund", "Halvorsen", "Sørensen", "Moen", "Gundersen", "Iversen",
        "Strand", "Solberg", "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken",
        "Kristoffersen", "Mathisen", "Lie", "Amundsen", "Rasmussen", "Lunde", "Solheim",
        "Berge", "Moe", "Nygård", "Bakke", "Fredriksen", "Holm", "Lien", "Hauge", "Evensen",
        "Sæther", "Aas", "Myhre", "Haugland", "Thomassen", "Sivertsen", "Danielsen",
        "Sandvik", "Rønning", "Næss", "Vik", "Haug", "Birkeland", "Isaksen", "Ruud", "Aasen",
        "Strøm", "Myklebust", "Tangen", "Ødegård", "Helland", "Bøe", "Aune", "Tveit",
        "Brekke", "Mikkelsen",
    ),
)  # fmt: skip
BAKGRUNNER = (
    NORSK,
    Bakgrunn(  # Sámi
        20,
        barn=("Ánte", "Máret", "Elle", "Risten", "Niillas", "Áslat", "Sárá", "Inga", "Biret"),
        voksne=("Máhtte", "Ánne", "Jovnna", "Káren", "Piera", "Ingá", "Mikkal", "Ellen"),
        etternavn=("Gaup", "Somby", "Eira", "Hætta", "Buljo", "Utsi", "Bongo", "Turi"),
    ),
    Bakgrunn(  # Polish
        40,
        barn=("Jakub", "Kacper", "Szymon", "Antoni", "Zuzanna", "Julia", "Oliwia", "Wiktoria",
              "Lena", "Zofia", "Filip", "Maja"),
        voksne=("Marek", "Tomasz", "Piotr", "Katarzyna", "Agnieszka", "Monika", "Paweł",
                "Joanna"),
        etternavn=("Nowak", "Mazur", "Krawczyk", "Kaczmarek", "Wójcik", "Kowalczyk", "Dudek",
                   "Pawlak"),
    ),
    Bakgrunn(  # Somali
        30,
        barn=("Hamza", "Abdirahman", "Mohamed", "Ayaan", "Hodan", "Amina", "Sagal", "Yusuf",
              "Ilhan", "Hibo"),
        voksne=("Abdullahi", "Ahmed", "Faduma", "Asha", "Hassan", "Khadra", "Omar", "Sahra"),
        etternavn=("Warsame", "Abdi", "Hassan", "Farah", "Osman", "Jama", "Mohamud"),
    ),
    Bakgrunn(  # Arabic-speaking (Syria, Iraq)
        30,
        barn=("Omar", "Karam", "Adam", "Ali", "Ibrahim", "Rama", "Lana", "Maryam", "Zainab",
              "Layla", "Noor", "Yara"),
        voksne=("Khaled", "Rami", "Samer", "Rasha", "Huda", "Dima", "Mahmoud", "Reem"),
        etternavn=("Haddad", "Khalil", "Al-Hassan", "Mahmoud", "Ibrahim", "Saleh", "Darwish"),
    ),
    Bakgrunn(  # Eritrean
        20,
        barn=("Yonas", "Filmon", "Natnael", "Senait", "Helen", "Ruth", "Meron", "Abel",
              "Saron"),
        voksne=("Tesfaye", "Mehari", "Yohannes", "Selam", "Tsega", "Almaz", "Daniel"),
        etternavn=("Tesfay", "Haile", "Kidane", "Gebremedhin", "Tekle", "Berhe"),
    ),
    Bakgrunn(  # Vietnamese
        15,
        barn=("Minh", "Linh", "Anh", "Khoa", "Bao", "Mai", "Vy", "Lan", "Huy"),
        voksne=("Thanh", "Hoa", "Dung", "Tuan", "Hanh", "Long"),
        etternavn=("Nguyen", "Tran", "Le", "Pham", "Vu", "Hoang"),
    ),
    Bakgrunn(  # Ukrainian
        20,
        barn=("Oleksandr", "Maksym", "Artem", "Mykyta", "Sofiia", "Anastasiia", "Daryna",
              "Polina", "Bohdan"),
        voksne=("Andrii", "Serhii", "Olena", "Iryna", "Natalia", "Dmytro", "Yuliia"),
        etternavn=("Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk",
                   "Kravchenko"),
    ),
    Bakgrunn(  # Pakistani
        15,
        barn=("Ayaan", "Zayan", "Hamza", "Ali", "Aisha", "Inaya", "Hania", "Zara", "Musa"),
        voksne=("Imran", "Asif", "Bilal", "Sadia", "Nadia", "Farah", "Usman"),
        etternavn=("Khan", "Hussain", "Iqbal", "Butt", "Chaudhry", "Rana"),
    ),
    Bakgrunn(  # Tamil
        10,
        barn=("Kavin", "Arun", "Nila", "Tharsika", "Abinaya", "Sajith", "Mathu"),
        voksne=("Suresh", "Kumaran", "Vasuki", "Shanthi", "Ramesh", "Priya"),
        etternavn=("Sivakumar", "Rajendran", "Thavarajah", "Selvarajah", "Nadarajah"),
    ),
)  # fmt: skip

# --- Subjects and timetable -----------------------------------------------------------------


@dataclass(frozen=True)
class Fag:
    kode: str  # LK20 læreplankode (Udir)
    navn: str


FAG = {
    "NOR": Fag("NOR01-06", "Norsk"),
    "MAT": Fag("MAT01-05", "Matematikk"),
    "ENG": Fag("ENG01-04", "Engelsk"),
    "NAT": Fag("NAT01-04", "Naturfag"),
    "SAF": Fag("SAF01-04", "Samfunnsfag"),
    "RLE": Fag("RLE01-03", "KRLE"),
    "KHV": Fag("KHV01-02", "Kunst og håndverk"),
    "MUS": Fag("MUS01-02", "Musikk"),
    "MHE": Fag("MHE01-02", "Mat og helse"),
    "KRO": Fag("KRO01-05", "Kroppsøving"),
    "SPA": Fag("FSP01-02", "Spansk"),
    "TYS": Fag("FSP01-02", "Tysk"),
}
FREMMEDSPRAAK = "FSP"  # one timetable slot, two groups: Spansk and Tysk at the same time
# Lessons per week (Monday–Friday) by trinn; the sum fills every slot of the week.
TIMEFORDELING = {
    "1-4": {"NOR": 7, "MAT": 5, "ENG": 2, "NAT": 2, "SAF": 2, "RLE": 2, "KHV": 2, "MUS": 1,
            "KRO": 2},
    "5-7": {"NOR": 6, "MAT": 5, "ENG": 3, "NAT": 3, "SAF": 3, "RLE": 2, "KHV": 3, "MUS": 2,
            "MHE": 1, "KRO": 2},
    "8-10": {"NOR": 4, "MAT": 4, "ENG": 3, "NAT": 3, "SAF": 3, "RLE": 1, FREMMEDSPRAAK: 2,
             "KHV": 1, "MUS": 1, "MHE": 1, "KRO": 2},
}  # fmt: skip
# Teaching groups per class; on 8–10 the language choice adds Spansk or Tysk.
FAGGRUPPER = {"1-4": ("NOR", "MAT", "ENG"), "5-7": ("NOR", "MAT", "ENG")}
FAGGRUPPER["8-10"] = ("NOR", "MAT", "ENG", "NAT", "SPA", "TYS")


def _t(tekst: str) -> datetime.time:
    return datetime.time.fromisoformat(tekst)


# 45-minute lessons on barnetrinnet, 60 on ungdomstrinnet; a long break for lunch.
KLOKKESLETT_45 = tuple(
    (_t(a), _t(b))
    for a, b in (
        ("08:30", "09:15"),
        ("09:25", "10:10"),
        ("10:20", "11:05"),
        ("11:35", "12:20"),
        ("12:30", "13:15"),
        ("13:25", "14:10"),
    )
)
KLOKKESLETT_60 = tuple(
    (_t(a), _t(b))
    for a, b in (
        ("08:30", "09:30"),
        ("09:40", "10:40"),
        ("10:50", "11:50"),
        ("12:20", "13:20"),
        ("13:30", "14:30"),
    )
)


def trinngruppe(trinn: int) -> str:
    return "1-4" if trinn <= 4 else "5-7" if trinn <= 7 else "8-10"


def klokkeslett(trinn: int) -> tuple[tuple[datetime.time, datetime.time], ...]:
    """Start and end of each lesson of the day: 5 lessons on 1–4 and 8–10, 6 on 5–7."""
    if trinn <= 4:
        return KLOKKESLETT_45[:5]
    return KLOKKESLETT_45 if trinn <= 7 else KLOKKESLETT_60


# --- Named logins ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Demobruker:
    brukernavn: str
    fornavn: str
    etternavn: str


ADMIN = Demobruker("admin", "Siri", "Haugland")
SKOLEKONTOR = Demobruker("skolekontor", "Per", "Ødegård")
REKTOR = Demobruker("rektor", "Hilde", "Brekke")
RESSURS = Demobruker("ressurs", "Amir", "Haddad")
KONTAKT = Demobruker("kontakt", "Kari", "Nordmann")
FAG_ = Demobruker("fag", "Jonas", "Berg")
NAVNGITTE = (ADMIN, SKOLEKONTOR, REKTOR, RESSURS, KONTAKT, FAG_)
NAVNGITTE_BRUKERNAVN = tuple(b.brukernavn for b in NAVNGITTE)
KONTAKT_KLASSE = "5A"  # at the first school
FAG_KLASSE, FAG_FAG = "8A", "MAT"  # the teaching group "8A Matematikk" at the first school

# --- Numbers --------------------------------------------------------------------------------


def organisasjonsnummer(rng: random.Random, brukt: set[str]) -> str:
    """A valid, unused organisation number starting with 9, drawn from ``rng``."""
    while True:
        nummer = f"9{rng.randrange(10**8):08d}"
        if stdnum_orgnr.is_valid(nummer) and nummer not in brukt:
            brukt.add(nummer)
            return nummer


def syntetisk_fodselsnummer(rng: random.Random, dato: datetime.date, brukt: set[str]) -> str:
    """An unused synthetic fødselsnummer (Skatteetaten's test numbers: month + 80) for
    ``dato``, with individual number in the range of its century and valid check digits."""
    forste, siste = (500, 999) if dato.year >= 2000 else (0, 499)
    while True:
        grunn = f"{dato:%d}{dato.month + 80:02d}{dato:%y}{rng.randint(forste, siste):03d}"
        kontroll = fodselsnummer.kontrollsifre(grunn)
        if kontroll is None:
            continue
        nummer = f"{grunn}{kontroll}"
        if nummer not in brukt:
            fodselsnummer.valider(nummer, syntetisk_tillatt=True)
            brukt.add(nummer)
            return nummer


def _ascii(tekst: str) -> str:
    """Letters for an e-mail address or a username: æøå spelt out, accents and marks dropped."""
    tekst = tekst.lower().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "ł": "l"}))
    tekst = unicodedata.normalize("NFKD", tekst)
    return "".join(c for c in tekst if c.isascii() and c.isalnum())


# --- Calendar -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unntaksdag:
    type: str
    navn: str
    fra: datetime.date
    til: datetime.date


@dataclass(frozen=True)
class Skoleruteplan:
    startaar: int
    forste_skoledag: datetime.date
    siste_skoledag: datetime.date
    unntak: tuple[Unntaksdag, ...]


def skoleruteplan(startaar: int) -> Skoleruteplan:
    """A typical Norwegian school calendar, about 190 school days.

    First day the Monday or Tuesday nearest 18 August, last day 20 June or the weekday
    before; høstferie in ISO week 40, juleferie from 22 December until the first weekday
    after New Year, which is a planning day; vinterferie in week 9; påskeferie Monday to
    Wednesday before Easter; a planning day on the Friday of week 44 and a day off after
    Kristi himmelfartsdag.
    """
    aar, neste = startaar, startaar + 1
    kandidater = [datetime.date(aar, 8, d) for d in range(15, 22)]
    forste = min(
        (d for d in kandidater if d.weekday() <= 1),
        key=lambda d: abs((d - datetime.date(aar, 8, 18)).days),
    )
    siste = datetime.date(neste, 6, 20)
    while siste.weekday() >= 5:
        siste -= EN_DAG
    etter_nyttaar = datetime.date(neste, 1, 2)
    while etter_nyttaar.weekday() >= 5:
        etter_nyttaar += EN_DAG
    paaske = easter(neste)
    himmelfart = paaske + datetime.timedelta(days=39)
    uke = datetime.date.fromisocalendar
    T = Skoleruteunntak.Type
    unntak = (
        Unntaksdag(T.FERIE, "Høstferie", uke(aar, 40, 1), uke(aar, 40, 5)),
        Unntaksdag(T.PLANLEGGINGSDAG, "Planleggingsdag", uke(aar, 44, 5), uke(aar, 44, 5)),
        Unntaksdag(T.FERIE, "Juleferie", datetime.date(aar, 12, 22), etter_nyttaar - EN_DAG),
        Unntaksdag(T.PLANLEGGINGSDAG, "Planleggingsdag", etter_nyttaar, etter_nyttaar),
        Unntaksdag(T.FERIE, "Vinterferie", uke(neste, 9, 1), uke(neste, 9, 5)),
        Unntaksdag(
            T.FERIE,
            "Påskeferie",
            paaske - datetime.timedelta(days=6),
            paaske - datetime.timedelta(days=4),
        ),
        Unntaksdag(
            T.FRIDAG, "Fri etter Kristi himmelfartsdag", himmelfart + EN_DAG, himmelfart + EN_DAG
        ),
    )
    return Skoleruteplan(startaar, forste, siste, unntak)


# --- Finding and deleting the demo ----------------------------------------------------------


def demokommune() -> Kommune | None:
    return Kommune.objects.filter(kommunenummer=KOMMUNENUMMER).first()


def kommune_orgnr(seed: int) -> str:
    """The kommune's organisation number for ``seed``: the first draw, so it tells which seed
    an existing demo was built with."""
    return organisasjonsnummer(random.Random(seed), set())  # noqa: S311 (fictional data)


def avvik(kommune: Kommune, *, skoler: int, seed: int) -> str | None:
    """Why the existing demo differs from what these options would build, or None."""
    grunner = []
    antall = kommune.skoler.count()
    if antall != skoler:
        grunner.append(f"den har {antall} skoler, ikke {skoler}")
    if kommune.organisasjonsnummer != kommune_orgnr(seed):
        grunner.append(f"den ble laget med en annen --seed enn {seed}")
    return "; ".join(grunner) or None


def demobrukere():
    return User.objects.filter(
        Q(email__iendswith=f"@{EPOSTDOMENE}")
        | Q(username__iendswith=f"@{EPOSTDOMENE}")
        | Q(username__in=NAVNGITTE_BRUKERNAVN)
    )


def slett() -> None:
    """Delete the demo kommune with its schools and everything under them, and the demo
    staff. The named logins are kept (emptied of roles) so their sessions survive, and so
    are the staff the read log names (``_slett_ansatte``)."""
    kommune = demokommune()
    if kommune is not None:
        skoler = Skole.objects.filter(kommune=kommune)
        _slett_med_det_som_viser_til(Elev.objects.filter(kommune=kommune))
        Foresatt.objects.filter(kommune=kommune).delete()
        # Lessons first: deleting a group would empty their group (SET_NULL), and two
        # language lessons at the same time would then collide.
        Skoletime.objects.filter(klasse__skole__in=skoler).delete()
        Faggruppe.objects.filter(skole__in=skoler).delete()
        Klasse.objects.filter(skole__in=skoler).delete()
        skoler.delete()
        Skoleruteunntak.objects.filter(kommune=kommune).delete()
        Skolear.objects.filter(kommune=kommune).delete()
        Rolletildeling.objects.filter(kommune=kommune).delete()
        _slett_ansatte(
            demobrukere().filter(kommune=kommune).exclude(username__in=NAVNGITTE_BRUKERNAVN)
        )
        # Names in the demo's domain are the demo's (deleted above); with the domain gone,
        # the accounts left can be without a kommune.
        Brukernavndomene.objects.filter(kommune=kommune).delete()
        User.objects.filter(kommune=kommune).update(kommune=None)
        kommune.delete()
    _slett_ansatte(demobrukere().exclude(username__in=NAVNGITTE_BRUKERNAVN))


def _slett_ansatte(brukere: QuerySet) -> None:
    """Delete demo staff, except those who have read a pupil's data: the read log is
    append-only and must always say who read (``elever.leselogg``), so such an account is
    kept, deactivated, and a later demo that makes a user of the same name takes it up again
    (``_Bygger._ansatt``)."""
    lesere = Lesing.objects.values("bruker")
    brukere.filter(pk__in=lesere).update(is_active=False)
    _slett_med_det_som_viser_til(brukere.exclude(pk__in=lesere))


def _slett_med_det_som_viser_til(rader: QuerySet) -> None:
    """Delete ``rader`` and first what other apps keep about them and protect from deletion
    (a demo pupil's absence, what a demo teacher registered), without this app knowing
    those apps: outside the demo such history is never deleted."""
    for relasjon in rader.model._meta.related_objects:
        if relasjon.on_delete is PROTECT:
            relasjon.related_model._base_manager.filter(
                **{f"{relasjon.field.name}__in": rader.values("pk")}
            ).delete()
    rader.delete()


def tilbakestill_passord() -> int:
    """Give every user of the demo the demo password again; the number of users. Staff kept
    from an earlier demo for the read log's sake (``slett``), who hold no role, stay
    deactivated."""
    i_bruk = Rolletildeling.objects.filter(bruker__kommune__kommunenummer=KOMMUNENUMMER)
    return (
        demobrukere()
        .filter(Q(pk__in=i_bruk.values("bruker")) | Q(username__in=NAVNGITTE_BRUKERNAVN))
        .update(password=make_password(DEMO_PASSORD), is_active=True)
    )


# --- Building -------------------------------------------------------------------------------


@dataclass
class _Familie:
    bakgrunn: Bakgrunn
    etternavn: str
    sperre: str
    adresse: tuple[str, str, str] | None
    foresatte: list[tuple[Foresatt, bool]] = field(default_factory=list)
    trinn: set[int] = field(default_factory=set)
    fornavn: set[str] = field(default_factory=set)


@dataclass
class _Klasse:
    klasse: Klasse
    kontaktlaerer: User
    grupper: dict[str, Faggruppe] = field(default_factory=dict)


class _Bygger:
    """Builds the demo in memory in a fixed order, then writes it with bulk_create."""

    def __init__(self, *, antall_skoler: int, seed: int, i_dag: datetime.date):
        self.rng = random.Random(seed)  # noqa: S311 (fictional data, not security)
        self.antall_skoler = antall_skoler
        self.startaar = kalender.startaar(i_dag)
        # Staff of an earlier demo kept for the read log (``slett``), by username: a user of
        # the same name is that account again, so the same seed gives the same usernames.
        self.beholdte = {
            u.username: u for u in demobrukere().exclude(username__in=NAVNGITTE_BRUKERNAVN)
        }
        # Numbers and usernames that exist outside the demo are never reused.
        self.brukt_fnr = set(
            Elev.objects.exclude(fodselsnummer=None).values_list("fodselsnummer", flat=True)
        ) | set(
            Foresatt.objects.exclude(fodselsnummer=None).values_list("fodselsnummer", flat=True)
        )
        self.brukt_orgnr = set(Skole.objects.values_list("organisasjonsnummer", flat=True))
        self.brukt_brukernavn = (
            set(
                User.objects.exclude(username__in=NAVNGITTE_BRUKERNAVN).values_list(
                    "username", flat=True
                )
            )
            - set(self.beholdte)
        ) | set(NAVNGITTE_BRUKERNAVN)
        self.brukt_epost: set[str] = set()
        self.passord = make_password(DEMO_PASSORD)
        self.navngitte: dict[str, User] = {}
        self.nye_brukere: list[User] = []
        self.skoler: list[Skole] = []
        self.klasser: list[Klasse] = []
        self.faggrupper: list[Faggruppe] = []
        self.roller: list[Rolletildeling] = []
        self.timer: list[Skoletime] = []
        self.elever: list[Elev] = []
        self.foresatte: list[Foresatt] = []
        self.skolemedlemskap: list[Skolemedlemskap] = []
        self.klassemedlemskap: list[Klassemedlemskap] = []
        self.faggruppemedlemskap: list[Faggruppemedlemskap] = []
        self.relasjoner: list[Foresattrelasjon] = []

    # People

    def _bakgrunn(self) -> Bakgrunn:
        return self.rng.choices(BAKGRUNNER, weights=[b.vekt for b in BAKGRUNNER])[0]

    def _brukernavn(self, fornavn: str, etternavn: str) -> str:
        """``fornavn.etternavn@<the demo's domain>``, as Feide would name them."""
        grunn = f"{_ascii(fornavn)}.{_ascii(etternavn)}"
        navn, n = f"{grunn}@{EPOSTDOMENE}", 1
        while navn in self.brukt_brukernavn:
            n += 1
            navn = f"{grunn}{n}@{EPOSTDOMENE}"
        self.brukt_brukernavn.add(navn)
        return navn

    def _ansatt(self) -> User:
        bakgrunn = NORSK if self.rng.random() < 0.85 else self._bakgrunn()
        fornavn = self.rng.choice(bakgrunn.voksne)
        etternavn = self.rng.choice(bakgrunn.etternavn)
        brukernavn = self._brukernavn(fornavn, etternavn)
        bruker = self.beholdte.pop(brukernavn, None) or User(username=brukernavn)
        bruker.kommune = self.kommune
        bruker.first_name, bruker.last_name = fornavn, etternavn
        bruker.email = brukernavn
        bruker.password = self.passord
        bruker.is_active = True
        self.nye_brukere.append(bruker)
        return bruker

    def _navngitt(self, demo: Demobruker) -> User:
        """A named login: the existing user of that name brought up to date, or a new one."""
        bruker = User.objects.filter(username=demo.brukernavn).first() or User(
            username=demo.brukernavn
        )
        bruker.first_name, bruker.last_name = demo.fornavn, demo.etternavn
        bruker.email = f"{demo.brukernavn}@{EPOSTDOMENE}"
        bruker.password = self.passord
        bruker.is_active = True
        bruker.kommune = self.kommune
        bruker.is_superuser = bruker.is_staff = demo is ADMIN
        bruker.save()
        self.navngitte[demo.brukernavn] = bruker
        return bruker

    def _rolle(self, bruker: User, rolle: str, omfang) -> None:
        self.roller.append(
            Rolletildeling(bruker=bruker, rolle=rolle, **{type(omfang).__name__.lower(): omfang})
        )

    def _telefon(self) -> str:
        return f"{self.rng.choice('49')}{self.rng.randrange(10**7):07d}"

    def _epost(self, fornavn: str, etternavn: str) -> str:
        domene = self.rng.choice(FORESATT_EPOSTDOMENER)
        grunn = f"{_ascii(fornavn)}.{_ascii(etternavn)}"
        epost, n = f"{grunn}@{domene}", 1
        while epost in self.brukt_epost:
            n += 1
            epost = f"{grunn}{n}@{domene}"
        self.brukt_epost.add(epost)
        return epost

    def _adresse(self, sted: Skolested) -> tuple[str, str, str]:
        nummer = str(self.rng.randint(1, 120))
        if self.rng.random() < 0.15:
            nummer += self.rng.choice("AB")
        return f"{self.rng.choice(GATER)} {nummer}", sted.postnummer, sted.poststed

    def _dato_i(self, aar: int) -> datetime.date:
        start = datetime.date(aar, 1, 1)
        return start + datetime.timedelta(days=self.rng.randrange(365))

    def _foresatt(
        self, familie: _Familie, etternavn: str, fodselsaar: int, adresse, *, ansvar: bool
    ) -> None:
        fornavn = self.rng.choice(familie.bakgrunn.voksne)
        while fornavn in {f.fornavn for f, _ in familie.foresatte}:
            fornavn = self.rng.choice(familie.bakgrunn.voksne)
        gate, postnummer, poststed = adresse or ("", "", "")
        foresatt = Foresatt(
            kommune=self.kommune,
            fornavn=fornavn,
            etternavn=etternavn,
            fodselsnummer=syntetisk_fodselsnummer(
                self.rng, self._dato_i(fodselsaar), self.brukt_fnr
            ),
            telefon=self._telefon(),
            epost=self._epost(fornavn, etternavn),
            gateadresse=gate,
            postnummer=postnummer,
            poststed=poststed,
        )
        self.foresatte.append(foresatt)
        familie.foresatte.append((foresatt, ansvar))

    def _familie(self, sted: Skolested, barnets_fodselsaar: int, sperre: str | None) -> _Familie:
        bakgrunn = self._bakgrunn()
        if sperre is None:
            sperre = ""
            if self.rng.random() < 1 / 65:  # with siblings, about 1 pupil in 60
                sperre = "strengt_fortrolig" if self.rng.random() < 0.2 else "fortrolig"
        # A protected address is never stored for the pupil nor for those living with them.
        adresse = None if sperre else self._adresse(sted)
        familie = _Familie(bakgrunn, self.rng.choice(bakgrunn.etternavn), sperre, adresse)
        aar = barnets_fodselsaar - self.rng.randint(24, 42)
        annet_navn = (
            familie.etternavn if self.rng.random() < 0.55 else self.rng.choice(bakgrunn.etternavn)
        )
        type_ = self.rng.random()
        self._foresatt(familie, familie.etternavn, aar, adresse, ansvar=True)
        if type_ < 0.70:  # two parents with parental responsibility
            bor_sammen = self.rng.random() < 0.85 or sperre
            annen_adresse = adresse if bor_sammen else self._adresse(sted)
            self._foresatt(
                familie, annet_navn, aar + self.rng.randint(-4, 4), annen_adresse, ansvar=True
            )
        elif type_ < 0.82:  # one parent alone
            pass
        elif type_ < 0.92:  # the other parent without parental responsibility, elsewhere
            annen_adresse = None if sperre else self._adresse(sted)
            self._foresatt(
                familie, annet_navn, aar + self.rng.randint(-4, 4), annen_adresse, ansvar=False
            )
        else:  # two with parental responsibility and a step-parent without
            self._foresatt(familie, annet_navn, aar + self.rng.randint(-4, 4), adresse, ansvar=True)
            steforelder = self.rng.choice(NORSK.etternavn)
            annen_adresse = None if sperre else self._adresse(sted)
            self._foresatt(
                familie, steforelder, aar + self.rng.randint(-4, 4), annen_adresse, ansvar=False
            )
        return familie

    def _elev(
        self,
        sted: Skolested,
        familier: list[_Familie],
        info: _Klasse,
        skole: Skole,
        skolear: Skolear,
        sperre: str | None = None,
    ) -> Elev:
        trinn = info.klasse.trinn
        fodselsdato = self._dato_i(self.startaar - 5 - trinn)
        familie = None
        if sperre is None and self.rng.random() < 0.12:
            kandidater = [f for f in familier if trinn not in f.trinn and len(f.trinn) < 4]
            if kandidater:
                familie = self.rng.choice(kandidater)
        if familie is None:
            familie = self._familie(sted, fodselsdato.year, sperre)
            familier.append(familie)
        familie.trinn.add(trinn)
        bakgrunn = familie.bakgrunn if self.rng.random() < 0.9 else NORSK
        fornavn = self.rng.choice(bakgrunn.barn)
        while fornavn in familie.fornavn:
            fornavn = self.rng.choice(bakgrunn.barn + NORSK.barn)
        familie.fornavn.add(fornavn)
        gate, postnummer, poststed = familie.adresse or ("", "", "")
        elev = Elev(
            kommune=self.kommune,
            fornavn=fornavn,
            etternavn=familie.etternavn,
            fodselsnummer=syntetisk_fodselsnummer(self.rng, fodselsdato, self.brukt_fnr),
            fodselsdato=fodselsdato,
            adressesperre=familie.sperre,
            gateadresse=gate,
            postnummer=postnummer,
            poststed=poststed,
        )
        self.elever.append(elev)
        self.skolemedlemskap.append(Skolemedlemskap(elev=elev, skole=skole, fra=skolear.start))
        self.klassemedlemskap.append(
            Klassemedlemskap(elev=elev, klasse=info.klasse, fra=skolear.start)
        )
        grupper = [k for k in FAGGRUPPER[trinngruppe(trinn)] if k not in ("SPA", "TYS")]
        if trinn >= 8:
            grupper.append("SPA" if self.rng.random() < 0.55 else "TYS")
        for kode in grupper:
            self.faggruppemedlemskap.append(
                Faggruppemedlemskap(elev=elev, faggruppe=info.grupper[kode], fra=skolear.start)
            )
        for foresatt, ansvar in familie.foresatte:
            self.relasjoner.append(
                Foresattrelasjon(
                    elev=elev, foresatt=foresatt, foreldreansvar=ansvar, kan_motta_dokumenter=ansvar
                )
            )
        return elev

    # Schools

    def _skole(self, nr: int, kommune: Kommune, skolear: Skolear) -> None:
        sted = SKOLER[nr]
        forste = nr == 0
        skole = Skole(
            kommune=kommune,
            navn=sted.navn,
            organisasjonsnummer=organisasjonsnummer(self.rng, self.brukt_orgnr),
        )
        self.skoler.append(skole)
        self._rolle(self._navngitt(REKTOR) if forste else self._ansatt(), Rolle.REKTOR, skole)
        self._rolle(self._ansatt(), Rolle.REKTOR, skole)  # avdelingsleder
        self._rolle(self._navngitt(RESSURS) if forste else self._ansatt(), Rolle.RESSURSTEAM, skole)
        self._rolle(self._ansatt(), Rolle.RESSURSTEAM, skole)

        klasser: list[_Klasse] = []
        for trinn in range(1, 11):
            parallelle = 2 if self.rng.random() < 0.5 else 1
            for bokstav in "AB"[:parallelle]:
                klasse = Klasse(skole=skole, skolear=skolear, navn=f"{trinn}{bokstav}", trinn=trinn)
                er_kontakt = forste and klasse.navn == KONTAKT_KLASSE
                laerer = self._navngitt(KONTAKT) if er_kontakt else self._ansatt()
                self.klasser.append(klasse)
                self._rolle(laerer, Rolle.KONTAKTLAERER, klasse)
                info = _Klasse(klasse, laerer)
                for kode in FAGGRUPPER[trinngruppe(trinn)]:
                    fag = FAG[kode]
                    gruppe = Faggruppe(
                        skole=skole,
                        skolear=skolear,
                        navn=f"{klasse.navn} {fag.navn}",
                        fagkode=fag.kode,
                        fagnavn=fag.navn,
                    )
                    info.grupper[kode] = gruppe
                    self.faggrupper.append(gruppe)
                klasser.append(info)
        laerere = self._faglaerere(klasser, forste)
        self._timeplan(klasser, laerere)

        # Pupils: the first school's 5A has a pupil with a protected address, 8A one with a
        # strictly protected address, so the demo shows both.
        familier: list[_Familie] = []
        for info in klasser:
            for i in range(self.rng.randint(22, 28)):
                sperre = None
                if forste and i == 0 and info.klasse.navn == KONTAKT_KLASSE:
                    sperre = "fortrolig"
                elif forste and i == 0 and info.klasse.navn == FAG_KLASSE:
                    sperre = "strengt_fortrolig"
                self._elev(sted, familier, info, skole, skolear, sperre)

    def _faglaerere(self, klasser: list[_Klasse], forste: bool) -> dict[int, User]:
        """Who teaches each teaching group (by ``id`` of the group): the kontaktlærer on
        1–7, subject teachers with up to three groups each on 8–10."""
        laerere: dict[int, User] = {}
        for info in klasser:
            if info.klasse.trinn <= 7:
                for gruppe in info.grupper.values():
                    laerere[id(gruppe)] = info.kontaktlaerer
        for kode in FAGGRUPPER["8-10"]:
            grupper = [
                (info.klasse.navn, info.grupper[kode]) for info in klasser if info.klasse.trinn >= 8
            ]
            ledige: list[Faggruppe] = []
            for klassenavn, gruppe in grupper:
                if forste and kode == FAG_FAG and klassenavn == FAG_KLASSE:
                    laerere[id(gruppe)] = self._navngitt(FAG_)  # this group only
                else:
                    ledige.append(gruppe)
            for start in range(0, len(ledige), 3):
                laerer = self._ansatt()
                for gruppe in ledige[start : start + 3]:
                    laerere[id(gruppe)] = laerer
        for info in klasser:
            for gruppe in info.grupper.values():
                self._rolle(laerere[id(gruppe)], Rolle.FAGLAERER, gruppe)
        return laerere

    def _timeplan(self, klasser: list[_Klasse], laerere: dict[int, User]) -> None:
        """Monday–Friday for each class, the subjects spread over the week (at most two
        lessons of a subject a day) and no subject teacher in two places at once."""
        opptatt: dict[tuple[int, int], set[str]] = defaultdict(set)
        for info in klasser:
            # A week that has to put a teacher in two places is drawn again.
            for _forsok in range(50):
                uke, kollisjoner = self._uke(info, laerere, opptatt)
                if not kollisjoner:
                    break
            for ukedag, nummer, fag, grupper in uke:
                start, slutt = klokkeslett(info.klasse.trinn)[nummer - 1]
                for gruppe in grupper:
                    laerer = laerere[id(gruppe)]
                    opptatt[ukedag, nummer].add(laerer.username)
                    self.timer.append(
                        Skoletime(
                            klasse=info.klasse,
                            ukedag=ukedag,
                            nummer=nummer,
                            fagkode=gruppe.fagkode,
                            fagnavn=gruppe.fagnavn,
                            faggruppe=gruppe,
                            laerer=laerer,
                            start=start,
                            slutt=slutt,
                        )
                    )
                if not grupper:
                    self.timer.append(
                        Skoletime(
                            klasse=info.klasse,
                            ukedag=ukedag,
                            nummer=nummer,
                            fagkode=FAG[fag].kode,
                            fagnavn=FAG[fag].navn,
                            laerer=info.kontaktlaerer,
                            start=start,
                            slutt=slutt,
                        )
                    )

    def _uke(
        self, info: _Klasse, laerere: dict[int, User], opptatt: dict[tuple[int, int], set[str]]
    ) -> tuple[list[tuple[int, int, str, list[Faggruppe]]], int]:
        """One class's week as (ukedag, nummer, subject, groups), and how many lessons put
        a subject teacher where they already teach."""
        fordeling = TIMEFORDELING[trinngruppe(info.klasse.trinn)]
        fagliste = list(fordeling)  # fixed order
        igjen = Counter(fordeling)

        def grupper_for(fag: str) -> list[Faggruppe]:
            if fag == FREMMEDSPRAAK:
                return [info.grupper[k] for k in ("SPA", "TYS")]
            return [info.grupper[fag]] if fag in info.grupper else []

        uke, kollisjoner = [], 0
        for ukedag in range(1, 6):
            i_dag: Counter = Counter()
            for nummer in range(1, len(klokkeslett(info.klasse.trinn)) + 1):
                travle = opptatt[ukedag, nummer]

                def ledig(fag: str, travle=travle) -> bool:
                    return all(laerere[id(g)].username not in travle for g in grupper_for(fag))

                aktuelle = [f for f in fagliste if igjen[f] > 0]
                kandidater = [f for f in aktuelle if i_dag[f] < 2 and ledig(f)] or [
                    f for f in aktuelle if ledig(f)
                ]
                if not kandidater:
                    kandidater, kollisjoner = aktuelle, kollisjoner + 1
                fag = self.rng.choices(kandidater, weights=[igjen[f] for f in kandidater])[0]
                igjen[fag] -= 1
                i_dag[fag] += 1
                uke.append((ukedag, nummer, fag, grupper_for(fag)))
        return uke, kollisjoner

    # The whole kommune

    def bygg(self) -> Kommune:
        kommune = Kommune.objects.create(
            navn=KOMMUNENAVN,
            kommunenummer=KOMMUNENUMMER,
            organisasjonsnummer=organisasjonsnummer(self.rng, set()),  # first draw: see avvik()
        )
        # Kept staff hold names in the demo's domain: they join the kommune before it claims
        # the domain (elever.kommunegrense refuses a domain others hold names in).
        User.objects.filter(pk__in=[u.pk for u in self.beholdte.values()]).update(kommune=kommune)
        Brukernavndomene.objects.create(kommune=kommune, domene=EPOSTDOMENE)
        self.brukt_orgnr.add(kommune.organisasjonsnummer)
        self.kommune = kommune
        plan = skoleruteplan(self.startaar)
        skolear = skolear_lagre(
            kommune=kommune,
            startaar=plan.startaar,
            forste_skoledag=plan.forste_skoledag,
            siste_skoledag=plan.siste_skoledag,
        )
        Skoleruteunntak.objects.bulk_create(
            Skoleruteunntak(kommune=kommune, type=u.type, navn=u.navn, fra=u.fra, til=u.til)
            for u in plan.unntak
        )
        self._rolle(self._navngitt(ADMIN), Rolle.ADMINISTRATOR, kommune)
        self._rolle(self._navngitt(SKOLEKONTOR), Rolle.SKOLEKONTOR, kommune)
        for nr in range(self.antall_skoler):
            self._skole(nr, kommune, skolear)

        User.objects.bulk_update(
            [u for u in self.nye_brukere if u.pk is not None],
            ["kommune", "first_name", "last_name", "email", "password", "is_active"],
        )
        # Parents before children, so every foreign key has its id.
        for modell, rader in (
            (User, [u for u in self.nye_brukere if u.pk is None]),
            (Skole, self.skoler),
            (Klasse, self.klasser),
            (Faggruppe, self.faggrupper),
            (Rolletildeling, self.roller),
            (Skoletime, self.timer),
            (Elev, self.elever),
            (Foresatt, self.foresatte),
            (Skolemedlemskap, self.skolemedlemskap),
            (Klassemedlemskap, self.klassemedlemskap),
            (Faggruppemedlemskap, self.faggruppemedlemskap),
            (Foresattrelasjon, self.relasjoner),
        ):
            modell.objects.bulk_create(rader, batch_size=2000)
        return kommune


def bygg(*, skoler: int, seed: int, i_dag: datetime.date) -> Kommune:
    """Build the demo kommune for the school year containing ``i_dag``, after deleting any
    earlier demo and leftover demo staff (``slett``)."""
    if not 1 <= skoler <= MAKS_SKOLER:
        raise ValueError(f"Velg mellom 1 og {MAKS_SKOLER} skoler.")
    slett()
    return _Bygger(antall_skoler=skoler, seed=seed, i_dag=i_dag).bygg()


# --- What the logins see --------------------------------------------------------------------


@dataclass(frozen=True)
class Innlogging:
    brukernavn: str
    navn: str
    rolle: str
    ser: str


def _omfang(tildeling: Rolletildeling) -> tuple[str, str]:
    """What a role is over, and the school (or kommune) it belongs to."""
    if tildeling.klasse_id:
        return tildeling.klasse.navn, tildeling.klasse.skole.navn
    if tildeling.faggruppe_id:
        return tildeling.faggruppe.navn, tildeling.faggruppe.skole.navn
    if tildeling.skole_id:
        return tildeling.skole.navn, tildeling.skole.navn
    return tildeling.kommune.navn, tildeling.kommune.navn


def rolletekst(bruker: User) -> str:
    """The user's roles in a few words, e.g. «Kontaktlærer for 5A på Fjordvik skole»."""
    etter_rolle: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for t in bruker.rolletildelinger.select_related(
        "kommune", "skole", "klasse__skole", "faggruppe__skole"
    ):
        etter_rolle[t.rolle].append(_omfang(t))
    deler = []
    for rolle in Rolle:
        omfang = sorted(etter_rolle.get(rolle.value, []))
        steder = ", ".join(sorted({sted for _, sted in omfang}))
        if len(omfang) == 1 and omfang[0][0] == steder:
            deler.append(f"{rolle.label}, {steder}")
        elif len(omfang) == 1:
            deler.append(f"{rolle.label} for {omfang[0][0]} på {steder}")
        elif omfang:
            hva = "klasser" if rolle == Rolle.KONTAKTLAERER else "faggrupper"
            deler.append(f"{rolle.label} for {len(omfang)} {hva}")
    if bruker.is_superuser:
        deler.append("superbruker i Django-admin")
    return "; ".join(deler) or "ingen rolle"


def innlogginger() -> list[Innlogging]:
    """One row per named login: who it is, its roles and what it sees today, counted with
    the access rules themselves (``elever.tilgang``)."""
    kommune = demokommune()
    forste = kommune.skoler.filter(navn=SKOLER[0].navn).first() if kommune else None
    skole = forste.navn if forste else "skolen"
    gruppe = f"{FAG_KLASSE} {FAG[FAG_FAG].navn}"

    def ser(brukernavn: str, n: int) -> str:
        elever = f"{n} elever" if n else "ingen elever"
        return {
            ADMIN.brukernavn: f"alle elevene i kommunen ({elever}), skoleruten, import, roller",
            SKOLEKONTOR.brukernavn: f"ingen klasser eller elever (statistikk kommer), {elever}",
            REKTOR.brukernavn: f"alle elevene på {skole} ({elever}), ansatte, fødselsnumre",
            RESSURS.brukernavn: f"alle elevene på {skole} ({elever})",
            KONTAKT.brukernavn: f"elevene i {KONTAKT_KLASSE} ({elever}) og foresatte deres",
            FAG_.brukernavn: f"elevene i {gruppe} ({elever}), ikke foresatte",
        }[brukernavn]

    brukere = {u.username: u for u in User.objects.filter(username__in=NAVNGITTE_BRUKERNAVN)}
    return [
        Innlogging(
            brukernavn=demo.brukernavn,
            navn=brukere[demo.brukernavn].get_full_name(),
            rolle=rolletekst(brukere[demo.brukernavn]),
            ser=ser(demo.brukernavn, tilgang.elever(brukere[demo.brukernavn]).count()),
        )
        for demo in NAVNGITTE
        if demo.brukernavn in brukere
    ]


def antall(kommune: Kommune) -> dict[str, int]:
    """What the demo kommune holds, for the summary line."""
    skoler = kommune.skoler.all()
    elever = Elev.objects.filter(skolemedlemskap__skole__in=skoler).distinct()
    return {
        "skoler": skoler.count(),
        "klasser": Klasse.objects.filter(skole__in=skoler).count(),
        "faggrupper": Faggruppe.objects.filter(skole__in=skoler).count(),
        "elever": elever.count(),
        "foresatte": Foresatt.objects.filter(relasjoner__elev__in=elever).distinct().count(),
        "ansatte": User.objects.filter(kommune=kommune, email__iendswith=f"@{EPOSTDOMENE}").count(),
        "timer": Skoletime.objects.filter(klasse__skole__in=skoler).count(),
    }
