"""Writes about organisation and people: the school calendar, role assignments and imports.

Each function is one transaction. Imports are all-or-nothing: any refusal raises
``Importfeil`` inside the transaction, so nothing is written.
"""

import datetime
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from elever import adressevern, kalender
from elever import kommunegrense as grense
from elever.importdata import Importfeil, Linjefeil, Skoledata
from elever.models import (
    Elev,
    Faggruppe,
    Faggruppemedlemskap,
    Foresatt,
    Foresattrelasjon,
    Kildekobling,
    Klasse,
    Klassemedlemskap,
    Kommune,
    Rolle,
    Rolletildeling,
    Skole,
    Skolear,
    Skoleimport,
    Skolemedlemskap,
    Skoleruteunntak,
    Termin,
    User,
)
from elever.selectors import aktiv_paa, skolear_for
from elever.skolefil import les_skolefil
from elever.skolerute_csv import SkoleruteRad
from felles.sql import heltall

EN_DAG = datetime.timedelta(days=1)
logger = logging.getLogger(__name__)


# --- School calendar -----------------------------------------------------------------------


def laas_elever(elev_ids: Iterable[int]) -> None:
    """Lock the pupils' rows until the transaction ends, in id order (so two callers cannot
    deadlock): changes to a pupil's absence — a register, leave, an import — are made one
    at a time. NO KEY UPDATE: it excludes the other lockers but not rows that merely refer
    to the pupil (an import's memberships). Written as SQL; the registers call it on every
    saved row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM elever_elev WHERE id = ANY(%s::integer[]) ORDER BY id FOR NO KEY UPDATE",
            [heltall(sorted(set(elev_ids)))],
        )


def skolear_lagre(
    *,
    kommune: Kommune,
    startaar: int,
    forste_skoledag: datetime.date,
    siste_skoledag: datetime.date,
) -> Skolear:
    """Create or update a school year; its terms follow (høst to New Year, vår after)."""
    start, slutt = Skolear.grenser(startaar)
    with transaction.atomic():
        skolear = Skolear.objects.filter(kommune=kommune, start=start).first() or Skolear(
            kommune=kommune, start=start, slutt=slutt
        )
        skolear.forste_skoledag, skolear.siste_skoledag = forste_skoledag, siste_skoledag
        skolear.full_clean()
        skolear.save()
        nyttaar = datetime.date(startaar + 1, 1, 1)
        for navn, fra, til in (
            (Termin.Navn.HOST, forste_skoledag, min(siste_skoledag, nyttaar - EN_DAG)),
            (Termin.Navn.VAR, max(forste_skoledag, nyttaar), siste_skoledag),
        ):
            if fra <= til:
                Termin.objects.update_or_create(
                    skolear=skolear, navn=navn, defaults={"start": fra, "slutt": til}
                )
            else:
                Termin.objects.filter(skolear=skolear, navn=navn).delete()
    return skolear


def skoleruteunntak_opprett(
    *,
    kommune: Kommune,
    skole: Skole | None,
    type: str,
    navn: str,
    fra: datetime.date,
    til: datetime.date,
) -> Skoleruteunntak:
    if skole is not None and skole.kommune_id != kommune.pk:
        raise ValidationError(_("Skolen hører ikke til denne kommunen."))
    unntak = Skoleruteunntak(kommune=kommune, skole=skole, type=type, navn=navn, fra=fra, til=til)
    unntak.full_clean()
    unntak.save()
    return unntak


@dataclass
class Skoleruteresultat:
    skolear: list[str] = field(default_factory=list)
    unntak: int = 0


def skolerute_importer(
    *, kommune: Kommune, rader: list[SkoleruteRad], filnavn: str = "skolerute.csv"
) -> Skoleruteresultat:
    """Replace the calendar of every school year the file covers with what the file says.

    The first and last school day are the first and last day any school has pupils; a weekday
    without pupils becomes a planning day (teachers work), a holiday (the comment says
    "ferie") or another day off; a weekend day or public holiday with pupils becomes an extra
    school day. Days off shared by every school in the file are stored once for the kommune.
    """
    skoler: dict[str, Skole] = {}
    for skole in kommune.skoler.all():
        skoler[skole.organisasjonsnummer] = skoler[skole.navn.casefold()] = skole

    def skole_for(rad: SkoleruteRad) -> Skole | None:
        """The row's school by organisation number or name; None for every school."""
        navn = rad.skole.strip()
        return skoler.get(navn.replace(" ", "")) or skoler.get(navn.casefold()) if navn else None

    feil = [
        Linjefeil(
            filnavn,
            rad.linje,
            _("Skolen «%(skole)s» finnes ikke i %(kommune)s.")
            % {"skole": rad.skole, "kommune": kommune.navn},
        )
        for rad in rader
        if rad.skole.strip() and skole_for(rad) is None
    ]
    if not rader:
        feil.append(Linjefeil(filnavn, None, _("Filen har ingen dager.")))
    if feil:
        raise Importfeil(feil)

    per_aar: dict[int, list[SkoleruteRad]] = defaultdict(list)
    for rad in rader:
        per_aar[kalender.startaar(rad.dato)].append(rad)
    # A school year's first and last day come from the file, so it must cover the whole year.
    for startaar, aarets in per_aar.items():
        fra, til = min(r.dato for r in aarets), max(r.dato for r in aarets)
        if fra.month != 8 or til.month not in (6, 7):
            feil.append(
                Linjefeil(
                    filnavn,
                    None,
                    _(
                        "Filen dekker bare %(fra)s–%(til)s av skoleåret %(aar)s. Skoleruten må "
                        "dekke hele skoleåret, fra august til juni."
                    )
                    % {
                        "fra": f"{fra:%d.%m.%Y}",
                        "til": f"{til:%d.%m.%Y}",
                        "aar": f"{startaar}/{startaar + 1}",
                    },
                )
            )
    if feil:
        raise Importfeil(feil)

    resultat = Skoleruteresultat()
    with transaction.atomic():
        for startaar, aarets in sorted(per_aar.items()):
            elevdager = [r.dato for r in aarets if r.elevdag]
            if not elevdager:
                continue
            skolear = skolear_lagre(
                kommune=kommune,
                startaar=startaar,
                forste_skoledag=min(elevdager),
                siste_skoledag=max(elevdager),
            )
            Skoleruteunntak.objects.filter(
                kommune=kommune, fra__lte=skolear.slutt, til__gte=skolear.start
            ).delete()
            resultat.skolear.append(skolear.navn)
            resultat.unntak += _lagre_unntak(kommune, skolear, aarets, skole_for)
    return resultat


def _lagre_unntak(kommune, skolear, rader, skole_for) -> int:
    helligdager = kalender.offentlige_fridager(skolear.start, skolear.slutt)
    # (dato, skole or None) -> (type, name); None for the kommune-wide rows.
    dager: dict[tuple[datetime.date, Skole | None], tuple[str, str]] = {}
    skoler_i_fil = {skole_for(r) for r in rader} - {None}
    for rad in rader:
        if not skolear.forste_skoledag <= rad.dato <= skolear.siste_skoledag:
            continue
        vanlig_skoledag = rad.dato.weekday() < 5 and rad.dato not in helligdager
        if rad.elevdag and not vanlig_skoledag:
            dager[rad.dato, skole_for(rad)] = (Skoleruteunntak.Type.SKOLEDAG, rad.kommentar)
        elif not rad.elevdag and vanlig_skoledag:
            if rad.laererdag:
                type_ = Skoleruteunntak.Type.PLANLEGGINGSDAG
            elif "ferie" in rad.kommentar.casefold():
                type_ = Skoleruteunntak.Type.FERIE
            else:
                type_ = Skoleruteunntak.Type.FRIDAG
            dager[rad.dato, skole_for(rad)] = (type_, rad.kommentar)
    # A day that is the same for every school in the file belongs to the kommune.
    per_dato: dict[datetime.date, dict[Skole | None, tuple[str, str]]] = defaultdict(dict)
    for (dato, skole), verdi in dager.items():
        per_dato[dato][skole] = verdi
    grupper: dict[tuple[Skole | None, str, str], list[datetime.date]] = defaultdict(list)
    for dato, per_skole in per_dato.items():
        verdier = set(per_skole.values())
        if None in per_skole or (set(per_skole) >= skoler_i_fil and len(verdier) == 1):
            type_, navn = per_skole.get(None) or next(iter(verdier))
            grupper[None, type_, navn].append(dato)
        else:
            for skole, (type_, navn) in per_skole.items():
                grupper[skole, type_, navn].append(dato)
    standardnavn = dict(Skoleruteunntak.Type.choices)
    nye = [
        Skoleruteunntak(
            kommune=kommune,
            skole=skole,
            type=type_,
            navn=(navn or str(standardnavn[type_]))[:100],
            fra=fra,
            til=til,
        )
        for (skole, type_, navn), datoer in grupper.items()
        for fra, til in kalender.slaa_sammen(
            datoer, over_helg=type_ != Skoleruteunntak.Type.SKOLEDAG
        )
    ]
    Skoleruteunntak.objects.bulk_create(nye)
    return len(nye)


# --- Roles ---------------------------------------------------------------------------------


def rolletildeling_opprett(*, bruker: User, rolle: str, omfang) -> Rolletildeling:
    """Give ``bruker`` ``rolle`` over ``omfang`` (a Kommune, Skole, Klasse or Faggruppe)."""
    tildeling = Rolletildeling(
        bruker=bruker, rolle=rolle, **{type(omfang).__name__.lower(): omfang}
    )
    tildeling.full_clean()
    tildeling.save()
    return tildeling


# --- Roster import -------------------------------------------------------------------------


@dataclass
class Importresultat:
    """What an import did, or would do: counts per kind and the names worth reading."""

    antall: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    nye_elever: list[str] = field(default_factory=list)
    sluttet: list[str] = field(default_factory=list)
    klassebytter: list[str] = field(default_factory=list)

    def tell(self, hva: str, endring: str) -> None:
        self.antall[hva][endring] += 1

    def tabell(self) -> list[tuple[str, Counter]]:
        """The counts as table rows with a label each, in a fixed order."""
        return [(etikett, self.antall[hva]) for hva, etikett in ETIKETTER if hva in self.antall]

    def som_dict(self) -> dict:
        return {
            "antall": {hva: dict(tall) for hva, tall in self.antall.items()},
            "nye_elever": self.nye_elever,
            "sluttet": self.sluttet,
            "klassebytter": self.klassebytter,
        }

    @property
    def ingen_endringer(self) -> bool:
        return not any(
            n for tall in self.antall.values() for e, n in tall.items() if e != "uendret"
        )


ETIKETTER = (
    ("klasser", _lazy("Klasser")),
    ("faggrupper", _lazy("Faggrupper")),
    ("elever", _lazy("Elever")),
    ("foresatte", _lazy("Foresatte")),
    ("foresattrelasjoner", _lazy("Koblinger elev–foresatt")),
    ("ansatte", _lazy("Ansatte")),
    ("roller", _lazy("Lærerroller")),
)


class _Forhandsvisning(Exception):
    """Raised at the end of a preview so the transaction rolls back."""


def skoledata_importer(
    *, skole: Skole, data: Skoledata, dato: datetime.date, forhandsvis: bool = False
) -> Importresultat:
    """Bring the school's classes, teaching groups, pupils, guardians and teachers in line
    with the file, as of ``dato``.

    Rows are found by their source id (per school), then by fødselsnummer, and updated in
    place: importing the same file twice changes nothing. A pupil missing from the file has
    left: the school, class and group memberships end the day before ``dato``; nothing is
    deleted. With ``forhandsvis`` the work is done and rolled back, so the preview shows
    exactly what confirming will do.
    """
    if data.skole_orgnr != skole.organisasjonsnummer:
        raise Importfeil(
            [Linjefeil(data.format, None, _("Filen gjelder en annen skole enn den valgte."))]
        )
    resultat = Importresultat()
    try:
        with transaction.atomic():
            _Import(skole, data, dato, resultat).kjor()
            if forhandsvis:
                raise _Forhandsvisning
    except _Forhandsvisning:
        pass
    except IntegrityError as exc:
        logger.exception("Import for %s refused by the database", skole)
        raise Importfeil(
            [
                Linjefeil(
                    data.format,
                    None,
                    _(
                        "Importen ville gitt en elev to skoler eller klasser samtidig, eller to "
                        "personer samme fødselsnummer. Ingenting er lagret. Kontakt "
                        "driftsansvarlig."
                    ),
                )
            ]
        ) from exc
    return resultat


class _Import:
    """One import run; keeps the lookups so each kind of row costs a few queries in all."""

    def __init__(self, skole: Skole, data: Skoledata, dato: datetime.date, resultat):
        self.skole, self.data, self.dato, self.resultat = skole, data, dato, resultat
        self.feil: list[Linjefeil] = []
        self.forste_import = not Skolemedlemskap.objects.filter(skole=skole).exists()
        self.koblinger = {k.kilde_id: k for k in Kildekobling.objects.filter(skole=skole)}

    def kjor(self) -> None:
        self.skolear = self._skolear()
        if self.data.skole_kilde_id and self.skole.kilde_id != self.data.skole_kilde_id:
            self.skole.kilde_id = self.data.skole_kilde_id
            self.skole.save(update_fields=["kilde_id"])
        self.klasser = self._grupper(Klasse, self.data.klasser, "klasser")
        self.faggrupper = self._grupper(Faggruppe, self.data.faggrupper, "faggrupper")
        self.husstander = self._husstander_med_sperre()
        self.elever = self._elever()
        self.foresatte = self._foresatte()
        self.ansatte = self._ansatte()
        if self.feil:
            raise Importfeil(self.feil)
        self._skolemedlemskap()
        self._klassemedlemskap()
        if self.data.foresatte:  # A file without guardians says nothing about them.
            self._foresattrelasjoner()
        # The simple CSV has no teaching groups or teachers: it must not empty them.
        if self.data.format == "oneroster":
            self._faggruppemedlemskap()
            self._laererroller()
        if self.feil:
            raise Importfeil(self.feil)

    # School year and groups

    def _skolear(self) -> Skolear:
        periode = self.data.skolear
        oppslag = periode.start if periode else self.dato
        skolear = skolear_for(self.skole.kommune_id, oppslag)
        if skolear is None and periode is not None:
            startaar = kalender.startaar(periode.start)
            start, slutt = Skolear.grenser(startaar)
            skolear = skolear_lagre(
                kommune=self.skole.kommune,
                startaar=startaar,
                forste_skoledag=max(periode.start, start),
                siste_skoledag=min(periode.slutt, slutt),
            )
        if skolear is None:
            raise Importfeil(
                [
                    Linjefeil(
                        self.data.format,
                        None,
                        _(
                            "Kommunen har ikke noe skoleår for %(dato)s. Legg inn skoleruten "
                            "først, eller bruk en fil som har skoleåret med."
                        )
                        % {"dato": f"{oppslag:%d.%m.%Y}"},
                    )
                ]
            )
        self.forste_dag = max(skolear.start, min(self.dato, skolear.slutt))
        return skolear

    def _grupper(self, modell, rader, hva: str) -> dict[str, Klasse | Faggruppe]:
        eksisterende = list(modell.objects.filter(skole=self.skole, skolear=self.skolear))
        etter_kilde = {g.kilde_id: g for g in eksisterende if g.kilde_id}
        etter_navn = {g.navn: g for g in eksisterende}
        grupper = {}
        for rad in rader:
            gruppe = etter_kilde.get(rad.kilde_id) or etter_navn.get(rad.navn)
            verdier = {"kilde_id": rad.kilde_id, "navn": rad.navn}
            if modell is Klasse:
                verdier["trinn"] = rad.trinn
            else:
                verdier |= {"fagkode": rad.fagkode, "fagnavn": rad.fagnavn}
            grupper[rad.kilde_id] = self._lagre(
                gruppe or modell(skole=self.skole, skolear=self.skolear), verdier, hva
            )
        return grupper

    def _lagre(self, objekt, verdier: dict, hva: str):
        """Create or update ``objekt`` with ``verdier``, counting what happened."""
        ny = objekt.pk is None
        endret = [f for f, v in verdier.items() if getattr(objekt, f) != v]
        for felt_, verdi in verdier.items():
            setattr(objekt, felt_, verdi)
        if ny or endret:
            objekt.save()
        self.resultat.tell(hva, "nye" if ny else "endret" if endret else "uendret")
        return objekt

    def kommunens(self, modell):
        """Rows of ``modell`` that belong to the importing school's kommune: nothing is ever
        matched across kommuner (DESIGN §10)."""
        return modell.objects.filter(kommune=self.skole.kommune_id)

    def _koble(self, kilde_id: str, **mal) -> None:
        kobling = self.koblinger.get(kilde_id)
        if kobling is None:
            self.koblinger[kilde_id] = Kildekobling.objects.create(
                skole=self.skole, kilde_id=kilde_id, **mal
            )

    def _koblet(self, kilde_id: str, felt_: str):
        kobling = self.koblinger.get(kilde_id)
        return getattr(kobling, felt_) if kobling else None

    # People

    def _elever(self) -> dict[str, Elev]:
        fnr = [e.fodselsnummer for e in self.data.elever if e.fodselsnummer]
        etter_fnr = {e.fodselsnummer: e for e in self.kommunens(Elev).filter(fodselsnummer__in=fnr)}
        elever = {}
        for rad in self.data.elever:
            elev = self._koblet(rad.kilde_id, "elev")
            if elev and rad.fodselsnummer and elev.fodselsnummer not in (None, rad.fodselsnummer):
                self.feil.append(
                    Linjefeil(
                        rad.kilde.fil,
                        rad.kilde.linje,
                        _(
                            "Eleven %(navn)s har et annet fødselsnummer enn sist. Rett det i "
                            "skolens system, eller kontakt Nærværs administrator."
                        )
                        % {"navn": f"{rad.fornavn} {rad.etternavn}"},
                    )
                )
                continue
            elev = elev or (etter_fnr.get(rad.fodselsnummer) if rad.fodselsnummer else None)
            verdier = {"fornavn": rad.fornavn, "etternavn": rad.etternavn}
            if rad.fodselsnummer:
                verdier["fodselsnummer"] = rad.fodselsnummer
            if rad.fodselsdato:
                verdier["fodselsdato"] = rad.fodselsdato
            if rad.adressesperre is not None:
                verdier["adressesperre"] = rad.adressesperre
            if rad.adresse is not None and not self._uten_adresse(Elev, rad.kilde_id, elev):
                verdier |= {
                    "gateadresse": rad.adresse.gate,
                    "postnummer": rad.adresse.postnummer,
                    "poststed": rad.adresse.poststed,
                }
            ny = elev is None
            elev = self._lagre(elev or Elev(kommune=self.skole.kommune), verdier, "elever")
            self._koble(rad.kilde_id, elev=elev)
            if ny:
                self.resultat.nye_elever.append(elev.navn)
            elever[rad.kilde_id] = elev
        return elever

    def _foresatte(self) -> dict[str, Foresatt]:
        fnr = [f.fodselsnummer for f in self.data.foresatte if f.fodselsnummer]
        etter_fnr = {
            f.fodselsnummer: f for f in self.kommunens(Foresatt).filter(fodselsnummer__in=fnr)
        }
        foresatte = {}
        for rad in self.data.foresatte:
            foresatt = self._koblet(rad.kilde_id, "foresatt") or (
                etter_fnr.get(rad.fodselsnummer) if rad.fodselsnummer else None
            )
            verdier = {
                "fornavn": rad.fornavn,
                "etternavn": rad.etternavn,
                "telefon": rad.telefon,
                "epost": rad.epost,
            }
            if rad.fodselsnummer:
                verdier["fodselsnummer"] = rad.fodselsnummer
            if rad.adresse is not None and not self._uten_adresse(Foresatt, rad.kilde_id, foresatt):
                verdier |= {
                    "gateadresse": rad.adresse.gate,
                    "postnummer": rad.adresse.postnummer,
                    "poststed": rad.adresse.poststed,
                }
            foresatt = self._lagre(
                foresatt or Foresatt(kommune=self.skole.kommune), verdier, "foresatte"
            )
            self._koble(rad.kilde_id, foresatt=foresatt)
            foresatte[rad.kilde_id] = foresatt
        return foresatte

    def _husstander_med_sperre(self) -> set[tuple[type, str | int]]:
        """Source ids from the file and ids already known of the pupils and guardians of
        protected households (``adressevern.husstand``), whose address the database clears:
        leaving it out here keeps a re-import from counting them as changed every time."""
        sperret_i_fil = {
            r.kilde_id
            for r in self.data.elever
            if r.adressesperre
            or (
                r.adressesperre is None
                and (e := self._koblet(r.kilde_id, "elev"))
                and e.adressesperre
            )
        }
        elever, foresatte = adressevern.husstand(
            sperret_i_fil,
            ((r.elev_kilde_id, r.foresatt_kilde_id) for r in self.data.foresattrelasjoner),
        )
        foresatte_til_sperret = Foresattrelasjon.objects.filter(
            elev__kommune=self.skole.kommune_id, elev__adressesperre__gt=""
        ).values("foresatt_id")
        kjente = Foresattrelasjon.objects.filter(foresatt__in=foresatte_til_sperret)
        kjente_elever, kjente_foresatte = adressevern.husstand(
            set(kjente.filter(elev__adressesperre__gt="").values_list("elev_id", flat=True)),
            kjente.values_list("elev_id", "foresatt_id"),
        )
        # Source ids are text and ids numbers, so the two kinds of key never meet.
        return {(Elev, k) for k in elever | kjente_elever} | {
            (Foresatt, k) for k in foresatte | kjente_foresatte
        }

    def _uten_adresse(self, modell, kilde_id: str, objekt: Elev | Foresatt | None) -> bool:
        return (modell, kilde_id) in self.husstander or (
            objekt is not None and (modell, objekt.pk) in self.husstander
        )

    def _ansatte(self) -> dict[str, User]:
        """Staff usernames must lie in the kommune's own domains, and only the kommune's
        ordinary accounts are matched: never an operator's or a Django staff account. Every
        other name gets the same answer whether or not it exists anywhere (DESIGN §10)."""
        if not self.data.ansatte:
            return {}
        domener = set(self.skole.kommune.brukernavndomener.values_list("domene", flat=True))
        if not domener:
            self.feil.append(Linjefeil(self.data.format, None, grense.domenekrav(domener)))
            return {}
        brukernavn = [a.brukernavn.lower() for a in self.data.ansatte]
        kontoer = {
            u.username.lower(): u
            for u in self.kommunens(User)
            .alias(brukernavn_sm=Lower("username"))
            .filter(brukernavn_sm__in=brukernavn)
        }
        ansatte = {}
        for rad in self.data.ansatte:
            bruker = self._koblet(rad.kilde_id, "ansatt") or kontoer.get(rad.brukernavn.lower())
            if grense.domene(rad.brukernavn) not in domener or (
                bruker is not None and (bruker.is_superuser or bruker.is_staff)
            ):
                self.feil.append(
                    Linjefeil(
                        rad.kilde.fil,
                        rad.kilde.linje,
                        _("Brukernavnet %(navn)s kan ikke brukes for en ansatt i Nærvær.")
                        % {"navn": rad.brukernavn}
                        + " "
                        + grense.domenekrav(domener),
                    )
                )
                continue
            ny = bruker is None
            if ny:
                # Staff log in with Feide in production; a password is set by the administrator.
                bruker = User(username=rad.brukernavn, kommune=self.skole.kommune)
                bruker.set_unusable_password()
            bruker = self._lagre(
                bruker,
                {"first_name": rad.fornavn, "last_name": rad.etternavn, "email": rad.epost},
                "ansatte",
            )
            self._koble(rad.kilde_id, ansatt=bruker)
            ansatte[rad.kilde_id] = bruker
        return ansatte

    # Memberships

    def _slutt(self, fra: datetime.date) -> datetime.date:
        """The last day of a membership that ends with this import."""
        return max(fra, self.forste_dag - EN_DAG)

    def _avslutt(self, medlemskap) -> None:
        medlemskap.til = self._slutt(medlemskap.fra)
        medlemskap.save(update_fields=["til"])

    def _aktive(self, modell, gruppe: str) -> dict:
        """Pupil id -> the imported pupils' memberships in force on the first day."""
        return {
            m.elev_id: m
            for m in modell.objects.filter(
                aktiv_paa(self.forste_dag), elev__in=list(self.elever.values())
            ).select_related(gruppe)
        }

    def _avslutt_grupper(self, elev: Elev, skole_id: int) -> None:
        """End the pupil's class and teaching-group memberships at a school they leave."""
        for relatert in (
            Klassemedlemskap.objects.filter(
                aktiv_paa(self.forste_dag), elev=elev, klasse__skole=skole_id
            ),
            Faggruppemedlemskap.objects.filter(
                aktiv_paa(self.forste_dag), elev=elev, faggruppe__skole=skole_id
            ),
        ):
            for m in relatert:
                self._avslutt(m)

    def _skolemedlemskap(self) -> None:
        aktive = self._aktive(Skolemedlemskap, "skole")
        forrige_slutt = {
            elev_id: til + EN_DAG
            for elev_id, til in Skolemedlemskap.objects.filter(
                elev__in=list(self.elever.values()), til__isnull=False
            )
            .values("elev_id")
            .annotate(til=Max("til"))
            .values_list("elev_id", "til")
        }
        for elev in self.elever.values():
            medlemskap = aktive.get(elev.pk)
            if medlemskap and medlemskap.skole_id == self.skole.pk:
                continue
            fra = self.forste_dag
            if medlemskap:  # Moving from another school: that enrolment ends, history stays.
                self._avslutt(medlemskap)
                self._avslutt_grupper(elev, medlemskap.skole_id)
                fra = medlemskap.til + EN_DAG
            elif self.forste_import:
                # The school's first import: its pupils belong from the start of the year,
                # so absence imported for earlier in the year has a class to belong to, but
                # never from before they left another school.
                fra = max(self.skolear.start, forrige_slutt.get(elev.pk, self.skolear.start))
            Skolemedlemskap.objects.create(elev=elev, skole=self.skole, fra=fra)
        # Pupils the file no longer has have left the school.
        importerte = [e.pk for e in self.elever.values()]
        for medlemskap in (
            Skolemedlemskap.objects.filter(aktiv_paa(self.forste_dag), skole=self.skole)
            .exclude(elev__in=importerte)
            .select_related("elev")
        ):
            self._avslutt(medlemskap)
            self.resultat.tell("elever", "sluttet")
            self.resultat.sluttet.append(medlemskap.elev.navn)
            self._avslutt_grupper(medlemskap.elev, self.skole.pk)

    def _elevmedlemskap(self, grupper: dict) -> dict[int, set[str]]:
        """Pupil id -> the source ids of the groups the file puts them in."""
        onsket: dict[int, set[str]] = defaultdict(set)
        for rad in self.data.medlemskap:
            if rad.rolle == "elev" and rad.gruppe_kilde_id in grupper:
                elev = self.elever.get(rad.person_kilde_id)
                if elev is not None:
                    onsket[elev.pk].add(rad.gruppe_kilde_id)
        return onsket

    def _klassemedlemskap(self) -> None:
        onsket = self._elevmedlemskap(self.klasser)
        aktive = self._aktive(Klassemedlemskap, "klasse")
        for elev in self.elever.values():
            kilder = sorted(onsket.get(elev.pk, ()))
            if len(kilder) > 1:
                rad = next(r for r in self.data.elever if self.elever.get(r.kilde_id) == elev)
                self.feil.append(
                    Linjefeil(
                        rad.kilde.fil,
                        rad.kilde.linje,
                        _("Eleven %(navn)s står i flere klasser: %(klasser)s.")
                        % {
                            "navn": elev.navn,
                            "klasser": ", ".join(self.klasser[k].navn for k in kilder),
                        },
                    )
                )
                continue
            ny_klasse = self.klasser[kilder[0]] if kilder else None
            medlemskap = aktive.get(elev.pk)
            if medlemskap and ny_klasse and medlemskap.klasse_id == ny_klasse.pk:
                continue
            fra = self._forste_dag_for(elev)
            if medlemskap and (ny_klasse or medlemskap.klasse.skole_id == self.skole.pk):
                self._avslutt(medlemskap)
                fra = medlemskap.til + EN_DAG
                if ny_klasse:
                    self.resultat.klassebytter.append(
                        f"{elev.navn}: {medlemskap.klasse.navn} → {ny_klasse.navn}"
                    )
            if ny_klasse:
                Klassemedlemskap.objects.create(elev=elev, klasse=ny_klasse, fra=fra)

    def _forste_dag_for(self, elev: Elev) -> datetime.date:
        """A membership starts when the pupil's enrolment at this school started, if that is
        later than the start of the school year; otherwise on the import date."""
        skolemedlemskap = elev.skolemedlemskap.filter(skole=self.skole, til__isnull=True).first()
        if (
            skolemedlemskap
            and skolemedlemskap.fra >= self.skolear.start
            and not elev.klassemedlemskap.filter(til__gte=skolemedlemskap.fra).exists()
        ):
            return skolemedlemskap.fra
        return self.forste_dag

    def _faggruppemedlemskap(self) -> None:
        onsket = self._elevmedlemskap(self.faggrupper)
        aktive: dict[int, dict[int, Faggruppemedlemskap]] = defaultdict(dict)
        for m in Faggruppemedlemskap.objects.filter(
            aktiv_paa(self.forste_dag), faggruppe__skole=self.skole
        ):
            aktive[m.elev_id][m.faggruppe_id] = m
        for elev in self.elever.values():
            onskede = {self.faggrupper[k].pk for k in onsket.get(elev.pk, ())}
            for faggruppe_id, m in aktive[elev.pk].items():
                if faggruppe_id not in onskede:
                    self._avslutt(m)
            for faggruppe_id in onskede - set(aktive[elev.pk]):
                Faggruppemedlemskap.objects.create(
                    elev=elev, faggruppe_id=faggruppe_id, fra=self._forste_dag_for(elev)
                )

    def _foresattrelasjoner(self) -> None:
        onsket: dict[tuple[int, int], bool] = {}
        for rad in self.data.foresattrelasjoner:
            elev = self.elever.get(rad.elev_kilde_id)
            foresatt = self.foresatte.get(rad.foresatt_kilde_id)
            if elev and foresatt:
                # Parental responsibility when any source row says so.
                onsket[elev.pk, foresatt.pk] = onsket.get((elev.pk, foresatt.pk), False) or (
                    rad.foreldreansvar
                )
        eksisterende = {
            (r.elev_id, r.foresatt_id): r
            for r in Foresattrelasjon.objects.filter(elev__in=list(self.elever.values()))
        }
        for noekkel, relasjon in eksisterende.items():
            if noekkel not in onsket:
                relasjon.delete()
                self.resultat.tell("foresattrelasjoner", "fjernet")
        for (elev_id, foresatt_id), ansvar in onsket.items():
            relasjon = eksisterende.get((elev_id, foresatt_id))
            if relasjon is None:
                Foresattrelasjon.objects.create(
                    elev_id=elev_id,
                    foresatt_id=foresatt_id,
                    foreldreansvar=ansvar,
                    kan_motta_dokumenter=ansvar,
                )
                self.resultat.tell("foresattrelasjoner", "nye")
            elif relasjon.foreldreansvar != ansvar:
                # Losing parental responsibility also ends the right to documents; gaining it
                # gives the right, which staff can still withdraw by hand.
                relasjon.foreldreansvar = relasjon.kan_motta_dokumenter = ansvar
                relasjon.save(update_fields=["foreldreansvar", "kan_motta_dokumenter"])
                self.resultat.tell("foresattrelasjoner", "endret")
            else:
                self.resultat.tell("foresattrelasjoner", "uendret")

    def _laererroller(self) -> None:
        onsket: set[tuple[int, str, int]] = set()
        for rad in self.data.medlemskap:
            bruker = self.ansatte.get(rad.person_kilde_id)
            if rad.rolle != "laerer" or bruker is None:
                continue
            if rad.gruppe_kilde_id in self.klasser:
                onsket.add((bruker.pk, "klasse", self.klasser[rad.gruppe_kilde_id].pk))
            elif rad.gruppe_kilde_id in self.faggrupper:
                onsket.add((bruker.pk, "faggruppe", self.faggrupper[rad.gruppe_kilde_id].pk))
        if not onsket:
            return  # A file without teachers says nothing about them.
        grupper = Q(klasse__in=self.klasser.values()) | Q(faggruppe__in=self.faggrupper.values())
        eksisterende = {}
        # Roles given by hand are never removed by a file; only those an import gave.
        for t in Rolletildeling.objects.filter(
            grupper, rolle__in=[Rolle.KONTAKTLAERER, Rolle.FAGLAERER]
        ):
            noekkel = (
                (t.bruker_id, "klasse", t.klasse_id)
                if t.klasse_id
                else (
                    t.bruker_id,
                    "faggruppe",
                    t.faggruppe_id,
                )
            )
            eksisterende[noekkel] = t
        for noekkel, tildeling in eksisterende.items():
            if noekkel not in onsket and tildeling.fra_import:
                tildeling.delete()
                self.resultat.tell("roller", "fjernet")
        for bruker_id, felt_, gruppe_id in onsket - set(eksisterende):
            Rolletildeling.objects.create(
                bruker_id=bruker_id,
                rolle=Rolle.KONTAKTLAERER if felt_ == "klasse" else Rolle.FAGLAERER,
                fra_import=True,
                **{f"{felt_}_id": gruppe_id},
            )
            self.resultat.tell("roller", "nye")


def skoleimport_last_opp(
    *, skole: Skole, bruker: User, filnavn: str, innhold: bytes
) -> tuple[Skoleimport, Importresultat]:
    """Keep an uploaded file and return the preview of what importing it will change.
    Refused files are not kept."""
    data = les_skolefil(
        innhold,
        filnavn=filnavn,
        skole_orgnr=skole.organisasjonsnummer,
        syntetisk_tillatt=settings.TILLAT_SYNTETISKE_FODSELSNUMMER,
    )
    resultat = skoledata_importer(
        skole=skole, data=data, dato=timezone.localdate(), forhandsvis=True
    )
    # Files nobody confirmed are not kept: the user's earlier ones, and anyone's after a day.
    Skoleimport.objects.filter(importert__isnull=True).filter(
        Q(skole=skole, lastet_opp_av=bruker)
        | Q(opprettet__lt=timezone.now() - datetime.timedelta(days=1))
    ).delete()
    opplasting = Skoleimport.objects.create(
        skole=skole, lastet_opp_av=bruker, filnavn=filnavn, innhold=innhold
    )
    return opplasting, resultat


def skoleimport_bekreft(*, opplasting: Skoleimport) -> Importresultat:
    """Import a previewed file; the file's content is deleted, the summary kept."""
    with transaction.atomic():
        opplasting = Skoleimport.objects.select_for_update().get(pk=opplasting.pk)
        if opplasting.importert:
            raise ValidationError(_("Denne filen er allerede importert."))
        data = les_skolefil(
            bytes(opplasting.innhold),
            filnavn=opplasting.filnavn,
            skole_orgnr=opplasting.skole.organisasjonsnummer,
            syntetisk_tillatt=settings.TILLAT_SYNTETISKE_FODSELSNUMMER,
        )
        resultat = skoledata_importer(skole=opplasting.skole, data=data, dato=timezone.localdate())
        opplasting.innhold = b""
        opplasting.importert = timezone.now()
        opplasting.resultat = resultat.som_dict()
        opplasting.save(update_fields=["innhold", "importert", "resultat"])
    return resultat
