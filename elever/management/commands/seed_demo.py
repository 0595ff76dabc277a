import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from elever import demodata, kalender

# Known passwords: this command refuses to run in production.
DEMO_PASSORD = demodata.DEMO_PASSORD


class Command(BaseCommand):
    help = (
        "Lager en oppdiktet demo-kommune (Fjordvik kommune) med skoler, klasser, elever, "
        "foresatte, ansatte i alle roller, timeplaner og skoleruten for dette skoleåret, og "
        "skriver ut én innlogging per rolle. Samme --seed gir samme data. Kan kjøres flere "
        "ganger: finnes demo-kommunen, tilbakestilles bare passordene."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skoler",
            type=int,
            default=2,
            help=f"Antall skoler (1–{demodata.MAKS_SKOLER}, standard 2).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Frø for tilfeldige data (standard 1)."
        )
        parser.add_argument(
            "--nullstill",
            action="store_true",
            help=(
                "Slett demo-kommunen og demo-brukerne og bygg alt på nytt. Ansatte som står i "
                "leseloggen, slettes ikke, men deaktiveres."
            ),
        )

    def handle(self, *args, skoler: int, seed: int, nullstill: bool, **options):
        if settings.NAERVAER_ENV == "production":
            raise CommandError("seed_demo lager kjente passord og kjøres ikke i produksjon.")
        if not 1 <= skoler <= demodata.MAKS_SKOLER:
            raise CommandError(f"--skoler må være fra 1 til {demodata.MAKS_SKOLER}.")
        startet = time.monotonic()
        i_dag = timezone.localdate()
        with transaction.atomic():
            kommune = demodata.demokommune()
            if kommune is None or nullstill:
                kommune = demodata.bygg(skoler=skoler, seed=seed, i_dag=i_dag)
                handling = "Laget"
            else:
                avvik = demodata.avvik(kommune, skoler=skoler, seed=seed)
                if avvik:
                    raise CommandError(
                        f"{demodata.KOMMUNENAVN} finnes allerede, men ble laget med andre valg "
                        f"({avvik}). Kjør med --nullstill for å slette den og bygge den på nytt "
                        f"med --skoler {skoler} --seed {seed}."
                    )
                demodata.tilbakestill_passord()
                handling = "Fant"
            startaar = kalender.startaar(i_dag)
            if not kommune.skolear.filter(start__year=startaar).exists():
                self.stderr.write(
                    f"Demo-kommunen har ikke skoleåret {startaar}/{startaar + 1}; "
                    "kjør med --nullstill for å bygge den for dette skoleåret."
                )
            antall = demodata.antall(kommune)
            innlogginger = demodata.innlogginger()
        self._skriv(handling, kommune, seed, antall, innlogginger, time.monotonic() - startet)

    def _skriv(self, handling, kommune, seed, antall, innlogginger, sekunder) -> None:
        out = self.stdout.write
        out(
            f"{handling} {kommune.navn} (--skoler {antall['skoler']} --seed {seed}): "
            f"{antall['skoler']} skoler, {antall['klasser']} klasser, "
            f"{antall['faggrupper']} faggrupper, {antall['elever']} elever, "
            f"{antall['foresatte']} foresatte, {antall['ansatte']} ansatte, "
            f"{antall['timer']} timer i timeplanene ({sekunder:.1f} s).".replace(".", ",", 1)
        )
        if handling == "Fant":
            out(
                "Demo-kommunen fantes fra før og er ikke endret; passordene er satt tilbake. "
                "Bruk --nullstill for å bygge den på nytt."
            )
        out("")
        out(f"Demo-innlogginger på http://127.0.0.1:8000/ (passord for alle: {DEMO_PASSORD}):")
        overskrift = ("Brukernavn", "Navn", "Rolle", "Ser")
        rader = [(i.brukernavn, i.navn, i.rolle, i.ser) for i in innlogginger]
        bredder = [max(len(r[k]) for r in [overskrift, *rader]) for k in range(3)]
        for rad in [overskrift, *rader]:
            out(
                "  "
                + "  ".join(v.ljust(b) for v, b in zip(rad, bredder, strict=False))
                + "  "
                + rad[3]
            )
        out("")
        out(
            f"De andre ansatte (e-post @{demodata.EPOSTDOMENE}) har samme passord; "
            "brukernavnene står i Django-admin under Brukere."
        )
