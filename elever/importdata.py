"""What a school's roster file says, in one shape whatever the format (OneRoster 1.1 or the
simple CSV), before anything touches the database. Parsers fill it; ``elever.services``
compares it with the database and writes it in one transaction.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import ngettext

# A refusal shows this many reasons and counts the rest: enough to see what is wrong with a
# file, and a file of 50 000 bad lines still gives a small page.
MAKS_VISTE_FEIL = 100


@dataclass(frozen=True)
class Linjefeil:
    """One reason a file was refused: which file, which line (1 = the header), and why."""

    fil: str
    linje: int | None
    grunn: str

    def __str__(self) -> str:
        if self.linje is None:
            return f"{self.fil}: {self.grunn}"
        return f"{self.fil}, linje {self.linje}: {self.grunn}"


class Importfeil(Exception):
    """The file is refused whole; ``feil`` lists every reason found, in file and line order."""

    def __init__(self, feil: list[Linjefeil]):
        self.feil = sorted(feil, key=lambda f: (f.fil, f.linje or 0))
        super().__init__("\n".join(self.meldinger()))

    def meldinger(self) -> list[str]:
        """The first MAKS_VISTE_FEIL reasons as text, then a line counting the rest."""
        meldinger = [str(f) for f in self.feil[:MAKS_VISTE_FEIL]]
        resten = len(self.feil) - MAKS_VISTE_FEIL
        if resten > 0:
            meldinger.append(
                ngettext("… og %(antall)s feil til.", "… og %(antall)s feil til.", resten)
                % {"antall": f"{resten:,}".replace(",", "\u00a0")}
            )
        return meldinger


@dataclass(frozen=True)
class Kilde:
    """Where a row came from, so later errors can name file and line."""

    fil: str
    linje: int


@dataclass
class Periode:
    """A school year or a term as the file names it."""

    kilde_id: str
    navn: str
    start: datetime.date
    slutt: datetime.date


@dataclass
class Klasse:
    """A homeroom class (basisgruppe): OneRoster classType=homeroom."""

    kilde_id: str
    navn: str
    trinn: int
    kilde: Kilde


@dataclass
class Faggruppe:
    """A teaching group: OneRoster classType=scheduled. ``fagkode`` is the Udir subject code."""

    kilde_id: str
    navn: str
    fagkode: str
    fagnavn: str
    kilde: Kilde


@dataclass
class Adresse:
    gate: str
    postnummer: str
    poststed: str


@dataclass
class Elev:
    kilde_id: str
    fornavn: str
    etternavn: str
    kilde: Kilde
    fodselsnummer: str | None = None  # validated, eleven digits
    fodselsdato: datetime.date | None = None
    # None: the file says nothing, so a flag set by hand is kept. "" means no protection.
    adressesperre: str | None = None
    adresse: Adresse | None = None


@dataclass
class Foresatt:
    kilde_id: str
    fornavn: str
    etternavn: str
    kilde: Kilde
    fodselsnummer: str | None = None
    telefon: str = ""
    epost: str = ""
    adresse: Adresse | None = None


@dataclass
class Foresattrelasjon:
    """A guardian's link to a pupil. ``foreldreansvar`` only when the file says so (OneRoster
    role ``guardian``, or the simple CSV's column); ``parent``/``relative`` get none."""

    elev_kilde_id: str
    foresatt_kilde_id: str
    foreldreansvar: bool
    kilde: Kilde


@dataclass
class Ansatt:
    kilde_id: str
    brukernavn: str
    fornavn: str
    etternavn: str
    epost: str
    kilde: Kilde


@dataclass
class Medlemskap:
    """A pupil or a teacher in a class or teaching group (OneRoster enrollments)."""

    gruppe_kilde_id: str
    person_kilde_id: str
    rolle: str  # "elev" or "laerer"
    kilde: Kilde
    fra: datetime.date | None = None
    til: datetime.date | None = None


@dataclass
class Skoledata:
    """Everything one file set says about one school."""

    format: str  # "oneroster" or "enkel"
    skole_orgnr: str
    skole_kilde_id: str
    skolear: Periode | None
    terminer: list[Periode] = field(default_factory=list)
    klasser: list[Klasse] = field(default_factory=list)
    faggrupper: list[Faggruppe] = field(default_factory=list)
    elever: list[Elev] = field(default_factory=list)
    foresatte: list[Foresatt] = field(default_factory=list)
    foresattrelasjoner: list[Foresattrelasjon] = field(default_factory=list)
    ansatte: list[Ansatt] = field(default_factory=list)
    medlemskap: list[Medlemskap] = field(default_factory=list)
