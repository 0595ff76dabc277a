from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from elever.importdata import Importfeil
from elever.models import Kommune
from elever.services import skolerute_importer
from elever.skolerute_csv import les_skolerute


class Command(BaseCommand):
    help = (
        "Importerer skoleruten for en kommune fra CSV slik kommunene publiserer den "
        "(dato,skole,elevdag,laererdag,sfodag,kommentar). Erstatter ferier og fridager for "
        "skoleårene filen dekker. Alt eller ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("fil")
        parser.add_argument(
            "--kommune", required=True, help="Kommunens organisasjonsnummer (eller kommunenummer)"
        )

    def handle(self, *args, fil, kommune, **options):
        nummer = kommune.replace(" ", "")
        kommune_ = Kommune.objects.filter(organisasjonsnummer=nummer).first() or (
            Kommune.objects.filter(kommunenummer=nummer).first()
        )
        if kommune_ is None:
            raise CommandError(f"Fant ingen kommune med nummer {nummer}.")
        sti = Path(fil)
        if not sti.is_file():
            raise CommandError(f"Fant ikke filen {fil}.")
        try:
            resultat = skolerute_importer(
                kommune=kommune_,
                rader=les_skolerute(sti.read_bytes(), filnavn=sti.name),
                filnavn=sti.name,
            )
        except Importfeil as exc:
            linjer = "\n".join(f"  {m}" for m in exc.meldinger())
            raise CommandError(f"Skoleruten ble avvist, ingenting er lagret:\n{linjer}") from exc
        self.stdout.write(
            f"Skoleruten for {kommune_.navn} er importert: skoleår {', '.join(resultat.skolear)}, "
            f"{resultat.unntak} ferier og fridager."
        )
