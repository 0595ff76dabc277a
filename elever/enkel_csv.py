"""The simple CSV for schools without a OneRoster export: one row per pupil (docs/import.md).

Made by hand in Excel, so it is read leniently where that is safe (semicolons or commas,
"Ja"/"JA", either date style) and strictly where a mistake would reach a family: a
fødselsnummer, parental responsibility or a protected address that cannot be read refuses
the file.
"""

import hashlib
import re

from django.utils.translation import gettext as _

from elever import importdata as d
from elever.csvlesing import Rad, dupliserte, epost, les_csv, tekst, tolk_fodselsnummer
from elever.fodselsnummer import UgyldigFodselsnummer

KOLONNER = ("fodselsnummer", "fornavn", "etternavn", "klasse", "trinn", "adressesperre")
ADRESSEKOLONNER = ("adresse", "postnummer", "poststed")
FORESATTFELT = ("fornavn", "etternavn", "fodselsnummer", "telefon", "epost", "foreldreansvar")
FORESATTE = ("foresatt1", "foresatt2")
# An empty cell keeps what is stored: a protection set by hand is removed only when the file
# says so explicitly ("ingen" or "nei"), never by a blank cell in a spreadsheet.
ADRESSESPERRE = {
    "": None,
    "ingen": "",
    "nei": "",
    "fortrolig": "fortrolig",
    "strengt_fortrolig": "strengt_fortrolig",
    "strengt fortrolig": "strengt_fortrolig",
}
JA_NEI = {"ja": True, "nei": False, "": False}


def les_enkel_csv(
    innhold: bytes, *, filnavn: str, skole_orgnr: str, syntetisk_tillatt: bool
) -> d.Skoledata:
    """Read the simple CSV; Importfeil lists every wrong line, and nothing is returned then."""
    tabell = les_csv(innhold, filnavn=filnavn, paakrevde=KOLONNER)
    orgnr = skole_orgnr.replace(" ", "")
    lesing = _Lesing(syntetisk_tillatt, med_adresse=any(tabell.har(k) for k in ADRESSEKOLONNER))
    for rad in tabell.rader:
        lesing.rad(rad)
    lesing.sjekk_dubletter()
    if lesing.feil:
        raise d.Importfeil(lesing.feil)
    data = lesing.data
    data.skole_orgnr, data.skole_kilde_id = orgnr, f"orgnr:{orgnr}"
    return data


def foresatt_kilde_id(fornavn: str, etternavn: str, telefon: str, epost: str) -> str:
    """A guardian without fødselsnummer is recognised by name, phone and e-mail, written
    the same way every time (case, spaces, +47), hashed so the id holds no personal data."""
    noekkel = "|".join(_likt(v) for v in (fornavn, etternavn, _telefon(telefon), epost))
    return "foresatt:" + hashlib.sha256(noekkel.encode()).hexdigest()[:20]


def _telefon(verdi: str) -> str:
    """A Norwegian phone number's eight digits, however it was typed; others digits only."""
    sifre = re.sub(r"\D", "", verdi)
    if (len(sifre), sifre[:2]) == (10, "47") or (len(sifre), sifre[:4]) == (12, "0047"):
        return sifre[-8:]
    return sifre


def _likt(verdi: str) -> str:
    return " ".join(verdi.split()).casefold()


class _Lesing:
    def __init__(self, syntetisk_tillatt: bool, *, med_adresse: bool):
        self.syntetisk_tillatt, self.med_adresse = syntetisk_tillatt, med_adresse
        self.feil: list[d.Linjefeil] = []
        self.data = d.Skoledata(format="enkel", skole_orgnr="", skole_kilde_id="", skolear=None)
        self.klasser: dict[str, d.Klasse] = {}
        self.foresatte: dict[str, tuple[d.Foresatt, Rad]] = {}
        self.elevrader: list[tuple[d.Elev, Rad]] = []

    def rad(self, rad: Rad) -> None:
        fnr = self._fodselsnummer(rad, "fodselsnummer", paakrevd=True)
        elev = d.Elev(
            kilde_id=tekst(rad, "elev_id", 255, self.feil) or f"fnr:{fnr}",
            fornavn=self._navn(rad, "fornavn"),
            etternavn=self._navn(rad, "etternavn"),
            kilde=rad.kilde,
            fodselsnummer=fnr,
            adressesperre=self._adressesperre(rad),
            adresse=self._adresse(rad) if self.med_adresse else None,
        )
        if elev.adressesperre and elev.adresse and any(vars(elev.adresse).values()):
            self.feil.append(
                rad.feil(
                    _(
                        "Eleven har adressesperre, så adressen skal ikke stå i filen. Fjern "
                        "adresse, postnummer og poststed på denne linjen."
                    )
                )
            )
        self.data.elever.append(elev)
        self.elevrader.append((elev, rad))
        klasse = self._klasse(rad)
        if klasse is not None:
            self.data.medlemskap.append(
                d.Medlemskap(
                    gruppe_kilde_id=klasse.kilde_id,
                    person_kilde_id=elev.kilde_id,
                    rolle="elev",
                    kilde=rad.kilde,
                )
            )
        ansvar: dict[str, bool] = {}
        for prefiks in FORESATTE:
            foresatt_id, foreldreansvar = self._foresatt(rad, prefiks)
            if foresatt_id:
                ansvar[foresatt_id] = ansvar.get(foresatt_id, False) or foreldreansvar
        self.data.foresattrelasjoner += [
            d.Foresattrelasjon(elev.kilde_id, foresatt_id, foreldreansvar, rad.kilde)
            for foresatt_id, foreldreansvar in ansvar.items()
        ]

    def sjekk_dubletter(self) -> None:
        self.feil += dupliserte(
            ((e.fodselsnummer, r) for e, r in self.elevrader if e.fodselsnummer),
            _("Fødselsnummeret %(verdi)s står også på linje %(linje)s."),
        )
        self.feil += dupliserte(
            ((e.kilde_id, r) for e, r in self.elevrader if r["elev_id"]),
            _("elev_id «%(verdi)s» står også på linje %(linje)s."),
        )

    def _navn(self, rad: Rad, kolonne: str) -> str:
        if not rad[kolonne]:
            self.feil.append(rad.feil(_("%(kolonne)s må fylles ut.") % {"kolonne": kolonne}))
        return tekst(rad, kolonne, 100, self.feil)

    def _fodselsnummer(self, rad: Rad, kolonne: str, *, paakrevd: bool) -> str | None:
        if not rad[kolonne]:
            if paakrevd:
                self.feil.append(rad.feil(_("%(kolonne)s må fylles ut.") % {"kolonne": kolonne}))
            return None
        try:
            return tolk_fodselsnummer(rad[kolonne], syntetisk_tillatt=self.syntetisk_tillatt)
        except UgyldigFodselsnummer as exc:
            self.feil.append(
                rad.feil(f"{kolonne}: {exc}" if kolonne != "fodselsnummer" else str(exc))
            )
            return None

    def _adressesperre(self, rad: Rad) -> str | None:
        verdi = " ".join(rad["adressesperre"].casefold().split())
        if verdi not in ADRESSESPERRE:
            self.feil.append(
                rad.feil(
                    _(
                        "adressesperre «%(verdi)s» er ukjent: la feltet stå tomt, eller skriv "
                        "fortrolig, strengt_fortrolig eller ingen."
                    )
                    % {"verdi": rad["adressesperre"]}
                )
            )
            return ""
        return ADRESSESPERRE[verdi]

    def _adresse(self, rad: Rad, prefiks: str = "") -> d.Adresse:
        postnummer = rad[f"{prefiks}postnummer"]
        if postnummer and not (len(postnummer) == 4 and postnummer.isdigit()):
            self.feil.append(
                rad.feil(
                    _("%(kolonne)s «%(verdi)s» må være fire sifre.")
                    % {"kolonne": f"{prefiks}postnummer", "verdi": postnummer}
                )
            )
        return d.Adresse(
            gate=tekst(rad, f"{prefiks}adresse", 200, self.feil),
            postnummer=postnummer,
            poststed=tekst(rad, f"{prefiks}poststed", 100, self.feil),
        )

    def _klasse(self, rad: Rad) -> d.Klasse | None:
        navn = tekst(rad, "klasse", 50, self.feil)
        trinn = int(rad["trinn"]) if rad["trinn"].isdigit() else 0
        if not 1 <= trinn <= 10:
            self.feil.append(
                rad.feil(
                    _("trinn «%(verdi)s» er ugyldig: skriv et tall fra 1 til 10.")
                    % {"verdi": rad["trinn"]}
                )
            )
        if not navn:
            self.feil.append(rad.feil(_("klasse må fylles ut.")))
            return None
        klasse = self.klasser.get(navn)
        if klasse is None:
            klasse = self.klasser[navn] = d.Klasse(f"klasse:{navn}", navn, trinn, rad.kilde)
            self.data.klasser.append(klasse)
        elif trinn and klasse.trinn and trinn != klasse.trinn:
            self.feil.append(
                rad.feil(
                    _("Klassen %(klasse)s har trinn %(trinn)d på linje %(linje)d.")
                    % {"klasse": navn, "trinn": klasse.trinn, "linje": klasse.kilde.linje}
                )
            )
        return klasse

    def _foresatt(self, rad: Rad, prefiks: str) -> tuple[str | None, bool]:
        """The guardian in the ``foresatt1_``/``foresatt2_`` columns: (kilde_id, ansvar)."""
        felt = {f: rad[f"{prefiks}_{f}"] for f in FORESATTFELT}
        if not any(felt.values()):
            return None, False
        feil_foer = len(self.feil)
        fornavn = self._navn(rad, f"{prefiks}_fornavn")
        etternavn = self._navn(rad, f"{prefiks}_etternavn")
        fnr = self._fodselsnummer(rad, f"{prefiks}_fodselsnummer", paakrevd=False)
        ansvar = felt["foreldreansvar"].casefold()
        if ansvar not in JA_NEI:
            self.feil.append(
                rad.feil(
                    _("%(kolonne)s «%(verdi)s» er ukjent: skriv ja eller nei.")
                    % {"kolonne": f"{prefiks}_foreldreansvar", "verdi": felt["foreldreansvar"]}
                )
            )
        foresatt = d.Foresatt(
            kilde_id="",
            fornavn=fornavn,
            etternavn=etternavn,
            kilde=rad.kilde,
            fodselsnummer=fnr,
            telefon=tekst(rad, f"{prefiks}_telefon", 30, self.feil),
            epost=epost(rad, f"{prefiks}_epost", self.feil),
        )
        if len(self.feil) > feil_foer:
            return None, False
        foresatt.kilde_id = (
            f"fnr:{fnr}"
            if fnr
            else foresatt_kilde_id(fornavn, etternavn, foresatt.telefon, foresatt.epost)
        )
        self._slaa_sammen(foresatt, rad)
        return foresatt.kilde_id, JA_NEI[ansvar]

    def _slaa_sammen(self, foresatt: d.Foresatt, rad: Rad) -> None:
        """Siblings share a guardian: one Foresatt, details that do not contradict merged."""
        tidligere = self.foresatte.get(foresatt.kilde_id)
        if tidligere is None:
            self.foresatte[foresatt.kilde_id] = (foresatt, rad)
            self.data.foresatte.append(foresatt)
            return
        forste, forste_rad = tidligere
        for felt in ("fornavn", "etternavn", "telefon", "epost"):
            ny, gammel = getattr(foresatt, felt), getattr(forste, felt)
            normaliser = _telefon if felt == "telefon" else _likt
            if ny and gammel and normaliser(ny) != normaliser(gammel):
                self.feil.append(
                    rad.feil(
                        _(
                            "Foresatt %(navn)s står med et annet %(felt)s (%(gammel)s) på linje "
                            "%(linje)d. Skriv det likt på begge linjene."
                        )
                        % {
                            "navn": f"{foresatt.fornavn} {foresatt.etternavn}",
                            "felt": felt,
                            "gammel": gammel,
                            "linje": forste_rad.linje,
                        }
                    )
                )
            elif ny and not gammel:
                setattr(forste, felt, ny)
