from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from elever import tilgang
from elever.importdata import Importfeil
from elever.models import User
from fravaer.fravaerfil import les_fravaerfil
from fravaer.services import fravaer_importer


class Command(BaseCommand):
    help = (
        "Importerer fraværshistorikk fra CSV (docs/import.md): elev (fødselsnummer eller "
        "elevens id fra elevimporten), dato, omfang, time, minutter, gyldighet, meldt. Alt "
        "eller ingenting; samme fil to ganger gir de samme radene."
    )

    def add_arguments(self, parser):
        parser.add_argument("fil")
        parser.add_argument(
            "--bruker", required=True, help="Brukernavnet til den som står for importen"
        )
        parser.add_argument("--dry-run", action="store_true", help="Kontroller uten å lagre")

    def handle(self, *args, fil, bruker, dry_run, **options):
        ansvarlig = User.objects.filter(username=bruker).first()
        if ansvarlig is None:
            raise CommandError(f"Fant ingen bruker «{bruker}».")
        sti = Path(fil)
        if not sti.is_file():
            raise CommandError(f"Fant ikke filen {fil}.")
        lesefeil = []
        try:
            resultat = fravaer_importer(
                rader=les_fravaerfil(sti.read_bytes(), filnavn=sti.name, feil=lesefeil),
                registrert_av=ansvarlig,
                innenfor=tilgang.elever(ansvarlig),
                forhandsvis=dry_run,
                lesefeil=lesefeil,
            )
        except Importfeil as exc:
            linjer = "\n".join(f"  {m}" for m in exc.meldinger())
            raise CommandError(f"Importen ble avvist, ingenting er lagret:\n{linjer}") from exc
        self.stdout.write(
            ("Kontrollert (ingenting er lagret): " if dry_run else "Importert: ")
            + f"{resultat.oppforinger} fraværsoppføringer på {resultat.dager} elevdager."
        )
