"""One entry point for whatever a school uploads: a OneRoster zip or folder, or the simple CSV.

Zip files come from strangers, so they are opened with limits (number of files, unpacked size)
before anything is read; a small zip that unpacks to gigabytes is refused, not unpacked.
"""

import io
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

from elever.enkel_csv import les_enkel_csv
from elever.importdata import Importfeil, Linjefeil, Skoledata
from elever.oneroster import KOLONNER, VALGFRIE_KOLONNER, les_oneroster

MAKS_FILER = 50
MAKS_FILSTORRELSE = 50 * 1024 * 1024  # unpacked, per file
MAKS_TOTAL = 200 * 1024 * 1024  # unpacked, all files
ONEROSTER_FILER = {navn.lower() for navn in KOLONNER | VALGFRIE_KOLONNER}


def les_skolefil(
    innhold: bytes | Path, *, filnavn: str, skole_orgnr: str, syntetisk_tillatt: bool
) -> Skoledata:
    """Read a OneRoster zip (bytes or path), a folder of OneRoster CSVs, or the simple CSV.

    Raises Importfeil with every reason the file cannot be imported.
    """
    if isinstance(innhold, Path):
        if innhold.is_dir():
            return les_oneroster(
                _mappe(innhold), skole_orgnr=skole_orgnr, syntetisk_tillatt=syntetisk_tillatt
            )
        innhold = innhold.read_bytes()
    if innhold.startswith(b"PK"):
        return les_oneroster(
            _pakk_ut(innhold, filnavn), skole_orgnr=skole_orgnr, syntetisk_tillatt=syntetisk_tillatt
        )
    hode = innhold[:2000].lower()
    if filnavn.lower() in ONEROSTER_FILER or b"sourcedid" in hode:
        raise Importfeil(
            [
                Linjefeil(
                    filnavn,
                    None,
                    _(
                        "Dette er én av OneRoster-filene. Last opp hele eksporten samlet i én "
                        "zip-fil."
                    ),
                )
            ]
        )
    if filnavn.lower().endswith(".zip"):
        raise Importfeil([_skadet_zip(filnavn)])
    if not filnavn.lower().endswith((".csv", ".txt")):
        raise Importfeil(
            [
                Linjefeil(
                    filnavn,
                    None,
                    _("Filen må være en zip-fil med OneRoster-filer eller en CSV-fil."),
                )
            ]
        )
    return les_enkel_csv(
        innhold, filnavn=filnavn, skole_orgnr=skole_orgnr, syntetisk_tillatt=syntetisk_tillatt
    )


def _mappe(mappe: Path) -> dict[str, bytes]:
    """The OneRoster CSVs in a folder (or the one sub-folder that holds them)."""
    filer = [
        f
        for f in mappe.rglob("*")
        if f.suffix.lower() == ".csv" and f.is_file() and "__MACOSX" not in f.parts
    ]
    return _velg({f.relative_to(mappe).as_posix(): f for f in filer}, mappe.name, Path.read_bytes)


def _pakk_ut(innhold: bytes, filnavn: str) -> dict[str, bytes]:
    try:
        arkiv = zipfile.ZipFile(io.BytesIO(innhold))
        medlemmer = [m for m in arkiv.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        raise Importfeil([_skadet_zip(filnavn)]) from None
    if len(medlemmer) > MAKS_FILER:
        raise Importfeil(
            [
                Linjefeil(
                    filnavn,
                    None,
                    _("Zip-filen har %(antall)d filer; en OneRoster-eksport har under %(maks)d.")
                    % {"antall": len(medlemmer), "maks": MAKS_FILER},
                )
            ]
        )
    # Some Windows tools write backslashes between folders.
    stier = {m.filename: PurePosixPath(m.filename.replace("\\", "/")) for m in medlemmer}
    relevante = {
        stier[m.filename].as_posix(): m
        for m in medlemmer
        if stier[m.filename].name.lower() in ONEROSTER_FILER
        and "__MACOSX" not in stier[m.filename].parts
    }
    for m in relevante.values():
        if m.file_size > MAKS_FILSTORRELSE:
            raise Importfeil([_for_stor(filnavn, m.filename)])
    if sum(m.file_size for m in relevante.values()) > MAKS_TOTAL:
        raise Importfeil([_for_store(filnavn)])
    lest = 0

    def les(m: zipfile.ZipInfo) -> bytes:
        nonlocal lest
        try:
            with arkiv.open(m) as fil:
                data = fil.read(MAKS_FILSTORRELSE + 1)
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError):
            raise Importfeil([_skadet_zip(filnavn)]) from None
        lest += len(data)
        if len(data) > MAKS_FILSTORRELSE:  # the header lied about the size
            raise Importfeil([_for_stor(filnavn, m.filename)])
        if lest > MAKS_TOTAL:
            raise Importfeil([_for_store(filnavn)])
        return data

    return _velg(relevante, filnavn, les)


def _velg[T](filer: dict[str, T], kilde: str, les: Callable[[T], bytes]) -> dict[str, bytes]:
    """Read each OneRoster file once; the same name in two folders is ambiguous, refused."""
    etter_navn: dict[str, list[str]] = {}
    for sti in filer:
        navn = PurePosixPath(sti).name
        if navn.lower() in ONEROSTER_FILER:
            etter_navn.setdefault(navn, []).append(sti)
    doble = sorted(navn for navn, stier in etter_navn.items() if len(stier) > 1)
    if doble:
        raise Importfeil(
            [
                Linjefeil(
                    kilde,
                    None,
                    _("%(filer)s finnes i flere mapper. Ta med bare én OneRoster-eksport.")
                    % {"filer": ", ".join(doble)},
                )
            ]
        )
    return {navn: les(filer[stier[0]]) for navn, stier in etter_navn.items()}


def _for_stor(filnavn: str, medlem: str) -> Linjefeil:
    """One file in the zip is over the limit per file: name it and that limit."""
    return Linjefeil(
        filnavn,
        None,
        _("%(fil)s blir for stor pakket ut: over %(mb)d MB, som er grensen per fil.")
        % {"fil": medlem, "mb": MAKS_FILSTORRELSE // (1024 * 1024)},
    )


def _for_store(filnavn: str) -> Linjefeil:
    """Each file is within its limit, but together they are over the limit for all."""
    return Linjefeil(
        filnavn,
        None,
        _("OneRoster-filene blir for store pakket ut: over %(mb)d MB til sammen.")
        % {"mb": MAKS_TOTAL // (1024 * 1024)},
    )


def _skadet_zip(filnavn: str) -> Linjefeil:
    return Linjefeil(
        filnavn, None, _("Zip-filen kan ikke åpnes. Den kan være skadet eller passordbeskyttet.")
    )
