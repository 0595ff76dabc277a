from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from elever.importdata import Importfeil
from elever.models import Skole
from elever.services import skoledata_importer
from elever.skolefil import les_skolefil


class Command(BaseCommand):
    help = (
        "Importerer elever, klasser, faggrupper, foresatte og lærere for én skole fra "
        "OneRoster 1.1 CSV (mappe eller zip) eller den enkle CSV-varianten (docs/import.md). "
        "Alt eller ingenting: er noe feil, lagres ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("kilde", help="Mappe med OneRoster-filene, en zip-fil eller en CSV-fil")
        parser.add_argument("--skole", required=True, help="Skolens organisasjonsnummer")
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis hva som ville endret seg, uten å lagre"
        )

    def handle(self, *args, kilde, skole, dry_run, **options):
        orgnr = skole.replace(" ", "")
        skole_ = Skole.objects.filter(organisasjonsnummer=orgnr).first()
        if skole_ is None:
            raise CommandError(
                f"Fant ingen skole med organisasjonsnummer {orgnr} i Nærvær. "
                "Administratoren legger inn skolen først."
            )
        sti = Path(kilde)
        if not sti.exists():
            raise CommandError(f"Fant ikke {kilde}.")
        try:
            data = les_skolefil(
                sti if sti.is_dir() else sti.read_bytes(),
                filnavn=sti.name,
                skole_orgnr=orgnr,
                syntetisk_tillatt=settings.TILLAT_SYNTETISKE_FODSELSNUMMER,
            )
            resultat = skoledata_importer(
                skole=skole_, data=data, dato=timezone.localdate(), forhandsvis=dry_run
            )
        except Importfeil as exc:
            linjer = "\n".join(f"  {m}" for m in exc.meldinger())
            raise CommandError(f"Importen ble avvist, ingenting er lagret:\n{linjer}") from exc
        self.stdout.write(
            ("Dette ville blitt endret (ingenting er lagret):" if dry_run else "Importert:")
            + f" {skole_.navn}"
        )
        for etikett, tall in resultat.tabell():
            self.stdout.write(
                f"  {etikett}: {tall['nye']} nye, {tall['endret']} endret, "
                f"{tall['uendret']} uendret"
                + (f", {tall['sluttet']} sluttet" if tall["sluttet"] else "")
                + (f", {tall['fjernet']} fjernet" if tall["fjernet"] else "")
            )
