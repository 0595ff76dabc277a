"""OneRoster 1.1 CSV (bulk) for one school, read into ``Skoledata`` without touching the database.

A municipality's export usually holds every school; only the school with the given
organisation number is taken, and only the content of its rows is checked, so a wrong
fødselsnummer at another school never blocks this one. See docs/import.md for the mapping.
"""

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from elever import importdata as d
from elever.csvlesing import (
    Rad,
    Tabell,
    dato,
    dupliserte,
    epost,
    les_csv,
    tekst,
    tolk_fodselsnummer,
)
from elever.fodselsnummer import UgyldigFodselsnummer, normaliser

# The columns Nærvær needs; the others of the OneRoster 1.1 CSV are read when present.
KOLONNER: dict[str, tuple[str, ...]] = {
    "orgs.csv": ("sourcedId", "name", "identifier"),
    "academicSessions.csv": ("sourcedId", "title", "type", "startDate", "endDate"),
    "classes.csv": ("sourcedId", "title", "grades", "classType", "schoolSourcedId"),
    "users.csv": ("sourcedId", "orgSourcedIds", "role", "givenName", "familyName"),
    "enrollments.csv": ("sourcedId", "classSourcedId", "schoolSourcedId", "userSourcedId", "role"),
}
VALGFRIE_KOLONNER: dict[str, tuple[str, ...]] = {
    "manifest.csv": ("propertyName", "value"),
    "courses.csv": ("sourcedId", "title"),
    "demographics.csv": ("sourcedId", "birthDate"),
}

# userIds types that carry a fødselsnummer, compared case-insensitively.
FNR_TYPER = {"fnr", "fodselsnummer", "fødselsnummer", "nin"}
BRUKER_ID = re.compile(r"\{\s*([^:{}]+?)\s*:\s*([^{}]*?)\s*\}")
# Roles in users.csv; ``administrator`` (rektor, office staff) is staff too, so their user
# exists when someone gives them a role, but enrollments make only teachers kontaktlærer or
# faglærer.
ANSATTROLLER = {"teacher", "administrator"}
# Only ``guardian`` says the person has parental responsibility; ``parent`` and ``relative``
# may not (a parent without it must not receive documents), so they get none.
FORESATTROLLER = {"guardian": True, "parent": False, "relative": False}
SKOLEARTYPE = "schoolyear"
TERMINTYPER = {"term", "semester"}


def les_oneroster(
    filer: dict[str, bytes], *, skole_orgnr: str, syntetisk_tillatt: bool
) -> d.Skoledata:
    """Read a bulk OneRoster 1.1 CSV set (file name -> content) for the school ``skole_orgnr``.

    Raises Importfeil listing every problem found; nothing is returned for a file with errors.
    """
    tabeller = _les_tabeller(filer)
    return _Lesing(tabeller, skole_orgnr.replace(" ", ""), syntetisk_tillatt).skoledata()


def _les_tabeller(filer: dict[str, bytes]) -> dict[str, Tabell]:
    """Every file read and its columns checked; all missing files and columns reported."""
    etter_navn = {navn.rsplit("/", 1)[-1].lower(): innhold for navn, innhold in filer.items()}
    feil: list[d.Linjefeil] = []
    tabeller: dict[str, Tabell] = {}
    for navn, kolonner in KOLONNER.items() | VALGFRIE_KOLONNER.items():
        innhold = etter_navn.get(navn.lower())
        if innhold is None:
            if navn in KOLONNER:
                feil.append(
                    d.Linjefeil(navn, None, _("Filen mangler. OneRoster-eksporten må ha den med."))
                )
            continue
        try:
            tabeller[navn] = les_csv(innhold, filnavn=navn, paakrevde=kolonner)
        except d.Importfeil as exc:
            feil += exc.feil
    if manifest := tabeller.get("manifest.csv"):
        feil += [
            rad.feil(_("Bare fullstendige (bulk) OneRoster-filer støttes, ikke delta."))
            for rad in manifest.rader
            if rad["propertyName"].lower().startswith("file.") and rad["value"].lower() == "delta"
        ]
    if feil:
        raise d.Importfeil(feil)
    return tabeller


def _liste(verdi: str) -> list[str]:
    """A OneRoster list field: comma-separated inside one CSV value."""
    return [v.strip() for v in verdi.split(",") if v.strip()]


def _komma(verdi: str) -> str:
    """A list field as people write it: "MAT01-05, NOR01-06"."""
    return ", ".join(_liste(verdi))


def _aktiv(rad: Rad) -> bool:
    return rad["status"].lower() != "tobedeleted"


@dataclass
class _Register:
    """The rows of one file by sourcedId; ``slettet`` holds ids marked tobedeleted."""

    rader: dict[str, Rad] = field(default_factory=dict)
    slettet: set[str] = field(default_factory=set)

    def kjent(self, kilde_id: str) -> bool:
        return kilde_id in self.rader or kilde_id in self.slettet


class _Lesing:
    def __init__(self, tabeller: dict[str, Tabell], orgnr: str, syntetisk_tillatt: bool):
        self.tabeller, self.orgnr, self.syntetisk_tillatt = tabeller, orgnr, syntetisk_tillatt
        self.feil: list[d.Linjefeil] = []
        self.data = d.Skoledata(
            format="oneroster", skole_orgnr=orgnr, skole_kilde_id="", skolear=None
        )

    def _register(self, fil: str) -> _Register:
        register = _Register()
        tabell = self.tabeller.get(fil)
        if tabell is None:
            return register
        for rad in tabell.rader:
            if not _aktiv(rad):
                register.slettet.add(rad["sourcedId"])
            elif rad["sourcedId"]:
                register.rader.setdefault(rad["sourcedId"], rad)
            else:
                self.feil.append(rad.feil(_("sourcedId mangler.")))
        self.feil += dupliserte(
            ((r["sourcedId"], r) for r in tabell.rader if _aktiv(r) and r["sourcedId"]),
            _("sourcedId «%(verdi)s» står også på linje %(linje)s."),
        )
        return register

    def skoledata(self) -> d.Skoledata:
        skole = self._skole()
        self.data.skole_kilde_id = skole
        self.sesjoner = self._register("academicSessions.csv")
        self.klasser = self._register("classes.csv")
        self.kurs = self._register("courses.csv")
        self.brukere = self._register("users.csv")
        klasser = [r for r in self.klasser.rader.values() if r["schoolSourcedId"] == skole]
        self._grupper(klasser)
        self._skolear(klasser)
        self._personer(skole)
        self._demografi()
        self._medlemskap(skole, {r["sourcedId"] for r in klasser})
        if self.feil:
            raise d.Importfeil(self.feil)
        return self.data

    # The school

    def _skole(self) -> str:
        """The school's sourcedId; refuses at once when orgs.csv does not have the school."""
        treff = [
            rad
            for rad in self.tabeller["orgs.csv"].rader
            if _aktiv(rad) and _orgnr(rad["identifier"]) == self.orgnr
        ]
        if len(treff) != 1:
            grunn = (
                _("Fant ingen skole med organisasjonsnummer %(orgnr)s i orgs.csv (identifier).")
                if not treff
                else _("Flere rader har organisasjonsnummer %(orgnr)s (linje %(linjer)s).")
            )
            linjer = ", ".join(str(r.linje) for r in treff)
            raise d.Importfeil(
                [d.Linjefeil("orgs.csv", None, grunn % {"orgnr": self.orgnr, "linjer": linjer})]
            )
        return treff[0]["sourcedId"]

    # Classes and teaching groups

    def _grupper(self, klasser: list[Rad]) -> None:
        for rad in klasser:
            navn = rad["title"] or rad["classCode"]
            if not navn:
                self.feil.append(rad.feil(_("Klassen mangler navn (title).")))
            match rad["classType"].lower():
                case "homeroom":
                    self.data.klasser.append(
                        d.Klasse(
                            kilde_id=tekst(rad, "sourcedId", 255, self.feil),
                            navn=tekst(rad, "title", 50, self.feil, navn),
                            trinn=self._trinn(rad),
                            kilde=rad.kilde,
                        )
                    )
                case "scheduled":
                    kurs = self.kurs.rader.get(rad["courseSourcedId"])
                    fagkode = rad["subjectCodes"] or (kurs["courseCode"] if kurs else "")
                    fagnavn = rad["subjects"] or (kurs["title"] if kurs else "")
                    self.data.faggrupper.append(
                        d.Faggruppe(
                            kilde_id=tekst(rad, "sourcedId", 255, self.feil),
                            navn=tekst(rad, "title", 100, self.feil, navn),
                            fagkode=tekst(rad, "subjectCodes", 20, self.feil, _komma(fagkode)),
                            fagnavn=tekst(rad, "subjects", 100, self.feil, _komma(fagnavn)),
                            kilde=rad.kilde,
                        )
                    )
                case _:
                    self.feil.append(
                        rad.feil(
                            _("classType «%(verdi)s» er ukjent: bruk homeroom eller scheduled.")
                            % {"verdi": rad["classType"]}
                        )
                    )

    def _trinn(self, rad: Rad) -> int:
        """The grade of a homeroom: "05" or "5"; a combined class (e.g. "03,04") gets the lowest."""
        trinn = [int(g) for g in _liste(rad["grades"]) if g.isdigit() and 1 <= int(g) <= 10]
        if not trinn or len(trinn) != len(_liste(rad["grades"])):
            self.feil.append(
                rad.feil(
                    _("Trinnet «%(verdi)s» (grades) er ugyldig: en klasse må ha trinn 1–10.")
                    % {"verdi": rad["grades"]}
                )
            )
            return 0
        return min(trinn)

    # School year and terms

    def _periode(self, sesjon_id: str) -> d.Periode | None:
        """The session's dates, checked the first time it is used (once per session)."""
        if sesjon_id not in self.perioder:
            rad = self.sesjoner.rader[sesjon_id]
            start, slutt = dato(rad, "startDate", self.feil), dato(rad, "endDate", self.feil)
            periode = None
            if not (rad["startDate"] and rad["endDate"]):
                self.feil.append(rad.feil(_("startDate og endDate må fylles ut.")))
            elif start and slutt and slutt < start:
                self.feil.append(rad.feil(_("endDate er før startDate.")))
            elif start and slutt:
                periode = d.Periode(sesjon_id, rad["title"], start, slutt)
            self.perioder[sesjon_id] = periode
        return self.perioder[sesjon_id]

    def _skolear(self, klasser: list[Rad]) -> None:
        """The school year the classes' terms belong to, and its terms.

        A term points to its year with parentSourcedId; without one, the year whose dates
        cover the term is taken, and with no schoolYear in the file at all, the year is the
        span of the terms.
        """
        sesjoner, self.perioder = self.sesjoner.rader, {}
        brukte: list[str] = []
        for rad in klasser:
            for termin_id in _liste(rad["termSourcedIds"]):
                if termin_id in sesjoner:
                    brukte.append(termin_id)
                elif not self.sesjoner.kjent(termin_id):
                    self.feil.append(
                        rad.feil(
                            _(
                                "Terminen «%(id)s» (termSourcedIds) finnes ikke i "
                                "academicSessions.csv."
                            )
                            % {"id": termin_id}
                        )
                    )
        alle_aar = [k for k, rad in sesjoner.items() if rad["type"].lower() == SKOLEARTYPE]
        kandidater = {self._aar_for(k, alle_aar) for k in brukte} - {None}
        if not brukte and len(alle_aar) == 1:
            kandidater = set(alle_aar)
        if len(kandidater) > 1:
            self._flere_skolear(sorted(sesjoner[k]["title"] for k in kandidater))
            return
        terminer = [k for k, rad in sesjoner.items() if rad["type"].lower() in TERMINTYPER]
        if kandidater:
            aar_id = kandidater.pop()
            skolear = self._periode(aar_id)
            if skolear is None:
                return
            valgte = [k for k in terminer if sesjoner[k]["parentSourcedId"] == aar_id] or [
                k for k in terminer if (p := self._periode(k)) and _innenfor(p, skolear)
            ]
        else:
            valgte = [k for k in terminer if k in brukte] or terminer
            spenn = [p for k in valgte if (p := self._periode(k))]
            if not spenn:
                return
            startaar = {_startaar(p.start) for p in spenn}
            if len(startaar) > 1:
                self._flere_skolear([f"{a}/{a + 1}" for a in sorted(startaar)])
                return
            start = min(p.start for p in spenn)
            skolear = d.Periode(
                kilde_id="",
                navn=f"{_startaar(start)}/{_startaar(start) + 1}",
                start=start,
                slutt=max(p.slutt for p in spenn),
            )
        self.data.skolear = skolear
        self.data.terminer = sorted(
            (p for k in valgte if (p := self._periode(k))), key=lambda p: p.start
        )

    def _flere_skolear(self, aar: list[str]) -> None:
        self.feil.append(
            d.Linjefeil(
                "academicSessions.csv",
                None,
                _("Klassene hører til flere skoleår (%(aar)s). Eksporter ett skoleår om gangen.")
                % {"aar": ", ".join(aar)},
            )
        )

    def _aar_for(self, sesjon_id: str, alle_aar: list[str]) -> str | None:
        """The schoolYear a session belongs to: itself, up its parents, or by its dates."""
        sesjoner, naa = self.sesjoner.rader, sesjon_id
        for _steg in range(5):  # schoolYear > semester > term > gradingPeriod at most
            if naa in alle_aar:
                return naa
            naa = sesjoner[naa]["parentSourcedId"] if naa in sesjoner else ""
        periode = self._periode(sesjon_id)
        dekker = [
            k for k in alle_aar if periode and (p := self._periode(k)) and _innenfor(periode, p)
        ]
        return dekker[0] if len(dekker) == 1 else None

    # People

    def _personer(self, skole: str) -> None:
        brukere = self.brukere.rader.values()
        self.elever: dict[str, d.Elev] = {}
        self.ansatte: dict[str, d.Ansatt] = {}
        for rad in brukere:
            rolle = rad["role"].lower()
            if skole not in _liste(rad["orgSourcedIds"]):
                continue
            if rolle == "student":
                self.elever[rad["sourcedId"]] = self._elev(rad)
            elif rolle in ANSATTROLLER:
                self.ansatte[rad["sourcedId"]] = self._ansatt(rad)
        self.data.elever = list(self.elever.values())
        self.data.ansatte = list(self.ansatte.values())
        self.feil += dupliserte(
            (
                (e.fodselsnummer, self.brukere.rader[e.kilde_id])
                for e in self.data.elever
                if e.fodselsnummer
            ),
            _("Fødselsnummeret %(verdi)s står også på eleven på linje %(linje)s."),
        )
        self._foresatte(brukere)

    def _navn(self, rad: Rad) -> tuple[str, str]:
        fornavn = " ".join(filter(None, (rad["givenName"], rad["middleName"])))
        if not (fornavn and rad["familyName"]):
            self.feil.append(
                rad.feil(_("Fornavn (givenName) og etternavn (familyName) må fylles ut."))
            )
        return (
            tekst(rad, "givenName", 100, self.feil, fornavn),
            tekst(rad, "familyName", 100, self.feil),
        )

    def _fodselsnummer(self, rad: Rad) -> str | None:
        """From ``identifier`` when it is eleven digits, or a ``{Fnr:…}`` entry in userIds."""
        funnet = [
            verdi
            for type_, verdi in BRUKER_ID.findall(rad["userIds"])
            if type_.casefold() in FNR_TYPER
        ]
        identifier = normaliser(rad["identifier"])
        if len(identifier) == 11 and identifier.isdigit():
            funnet.insert(0, rad["identifier"])
        if len({normaliser(f) for f in funnet}) > 1:
            self.feil.append(
                rad.feil(
                    _("identifier og userIds har forskjellige fødselsnumre (%(numre)s).")
                    % {"numre": ", ".join(funnet)}
                )
            )
            return None
        if not funnet:
            return None
        try:
            return tolk_fodselsnummer(funnet[0], syntetisk_tillatt=self.syntetisk_tillatt)
        except UgyldigFodselsnummer as exc:
            self.feil.append(rad.feil(str(exc)))
            return None

    def _elev(self, rad: Rad) -> d.Elev:
        fornavn, etternavn = self._navn(rad)
        return d.Elev(
            kilde_id=tekst(rad, "sourcedId", 255, self.feil),
            fornavn=fornavn,
            etternavn=etternavn,
            kilde=rad.kilde,
            fodselsnummer=self._fodselsnummer(rad),
        )

    def _ansatt(self, rad: Rad) -> d.Ansatt:
        fornavn, etternavn = self._navn(rad)
        brukernavn = rad["username"] or rad["email"]
        if not brukernavn:
            self.feil.append(rad.feil(_("Den ansatte mangler brukernavn (username) og e-post.")))
        return d.Ansatt(
            kilde_id=tekst(rad, "sourcedId", 255, self.feil),
            brukernavn=tekst(rad, "username", 150, self.feil, brukernavn),
            fornavn=fornavn,
            etternavn=etternavn,
            epost=epost(rad, "email", self.feil),
            kilde=rad.kilde,
        )

    def _foresatte(self, brukere: Iterable[Rad]) -> None:
        """Guardians linked to this school's pupils, from agentSourcedIds either way round.

        A guardian is taken when linked to a pupil here, whatever their orgSourcedIds say:
        systems differ in whether guardians carry the school.
        """
        relasjoner: dict[tuple[str, str], Rad] = {}
        for rad in brukere:
            rolle = rad["role"].lower()
            if rad["sourcedId"] in self.elever:
                for agent in self._agenter(rad):
                    if agent["role"].lower() in FORESATTROLLER:
                        relasjoner.setdefault((rad["sourcedId"], agent["sourcedId"]), rad)
            elif rolle in FORESATTROLLER:
                agenter = _liste(rad["agentSourcedIds"])
                if any(a in self.elever for a in agenter):
                    for agent in self._agenter(rad):
                        if agent["sourcedId"] in self.elever:
                            relasjoner.setdefault((agent["sourcedId"], rad["sourcedId"]), rad)
        foresatte: dict[str, d.Foresatt] = {}
        for (elev_id, foresatt_id), kilde in relasjoner.items():
            rad = self.brukere.rader[foresatt_id]
            if foresatt_id not in foresatte:
                foresatte[foresatt_id] = self._foresatt(rad)
            self.data.foresattrelasjoner.append(
                d.Foresattrelasjon(
                    elev_kilde_id=elev_id,
                    foresatt_kilde_id=foresatt_id,
                    foreldreansvar=FORESATTROLLER[rad["role"].lower()],
                    kilde=kilde.kilde,
                )
            )
        self.data.foresatte = sorted(foresatte.values(), key=lambda f: f.kilde.linje)

    def _agenter(self, rad: Rad) -> list[Rad]:
        """The users ``agentSourcedIds`` names; unknown ones are errors, deleted ones skipped."""
        agenter = []
        for agent_id in _liste(rad["agentSourcedIds"]):
            if agent_id in self.brukere.rader:
                agenter.append(self.brukere.rader[agent_id])
            elif agent_id not in self.brukere.slettet:
                self.feil.append(
                    rad.feil(
                        _("agentSourcedIds viser til «%(id)s», som ikke finnes i users.csv.")
                        % {"id": agent_id}
                    )
                )
        return agenter

    def _foresatt(self, rad: Rad) -> d.Foresatt:
        fornavn, etternavn = self._navn(rad)
        return d.Foresatt(
            kilde_id=tekst(rad, "sourcedId", 255, self.feil),
            fornavn=fornavn,
            etternavn=etternavn,
            kilde=rad.kilde,
            fodselsnummer=self._fodselsnummer(rad),
            telefon=tekst(rad, "phone", 30, self.feil, rad["phone"] or rad["sms"]),
            epost=epost(rad, "email", self.feil),
        )

    def _demografi(self) -> None:
        """Birth dates for this school's pupils; ``sex`` is never read."""
        tabell = self.tabeller.get("demographics.csv")
        for rad in tabell.rader if tabell else []:
            elev = self.elever.get(rad["sourcedId"])
            if elev is not None and _aktiv(rad):
                elev.fodselsdato = dato(rad, "birthDate", self.feil)

    # Enrollments

    def _medlemskap(self, skole: str, grupper: set[str]) -> None:
        """Pupils and teachers in the school's classes and groups (``grupper``: their ids)."""
        roller = {"student": ("elev", self.elever), "teacher": ("laerer", self.ansatte)}
        for rad in self.tabeller["enrollments.csv"].rader:
            klasse_id, bruker_id = rad["classSourcedId"], rad["userSourcedId"]
            klasse = self.klasser.rader.get(klasse_id)
            if (
                not _aktiv(rad)
                or rad["role"].lower() not in roller
                or (rad["schoolSourcedId"] or (klasse and klasse["schoolSourcedId"])) != skole
            ):
                continue
            rolle, personer = roller[rad["role"].lower()]
            if klasse_id not in grupper:
                if klasse_id not in self.klasser.slettet:
                    self.feil.append(rad.feil(self._ukjent_klasse(klasse_id, klasse)))
                continue
            if bruker_id not in personer:
                if not self.brukere.kjent(bruker_id):
                    self.feil.append(
                        rad.feil(
                            _("Brukeren «%(id)s» (userSourcedId) finnes ikke i users.csv.")
                            % {"id": bruker_id}
                        )
                    )
                elif bruker_id not in self.brukere.slettet:
                    self.feil.append(
                        rad.feil(
                            _(
                                "Brukeren «%(id)s» er ikke %(rolle)s ved skolen i users.csv "
                                "(role og orgSourcedIds)."
                            )
                            % {
                                "id": bruker_id,
                                "rolle": _("elev") if rolle == "elev" else _("lærer"),
                            }
                        )
                    )
                continue
            self.data.medlemskap.append(
                d.Medlemskap(
                    gruppe_kilde_id=klasse_id,
                    person_kilde_id=bruker_id,
                    rolle=rolle,
                    kilde=rad.kilde,
                    fra=dato(rad, "beginDate", self.feil),
                    til=dato(rad, "endDate", self.feil),
                )
            )

    @staticmethod
    def _ukjent_klasse(klasse_id: str, klasse: Rad | None) -> str:
        if klasse is None:
            return _("Klassen «%(id)s» (classSourcedId) finnes ikke i classes.csv.") % {
                "id": klasse_id
            }
        return _("Klassen «%(id)s» (classSourcedId) hører ikke til skolen i classes.csv.") % {
            "id": klasse_id
        }


def _orgnr(verdi: str) -> str:
    """An organisation number as Feide writes it ("NO974557746") or with spaces, bare."""
    verdi = verdi.replace(" ", "").upper()
    return verdi.removeprefix("NO")


def _startaar(dag: datetime.date) -> int:
    """A school year starts in August; a term starting in spring belongs to the year before."""
    return dag.year if dag.month >= 7 else dag.year - 1


def _innenfor(del_: d.Periode, hel: d.Periode) -> bool:
    return hel.start <= del_.start and del_.slutt <= hel.slutt
