import datetime
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from elever import demodata as elever_demodata
from elever import selectors as elever_selectors
from elever.models import Klasse, User
from fravaer import demodata
from fravaer.models import Fravaer, Permisjonssoknad, Registrering


class Command(BaseCommand):
    help = (
        "Lager fraværshistorikk for demo-kommunen (manage.py seed_demo) fra første skoledag "
        "til i går: fravær, bekreftede registreringer og søknader om permisjon som venter. "
        "Samme --seed gir samme fravær. Finnes fraværet fra før, endres ingenting."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1, help="Frø (standard 1).")
        parser.add_argument(
            "--nullstill", action="store_true", help="Slett demo-fraværet og lag det på nytt."
        )

    def handle(self, *args, seed: int, nullstill: bool, **options):
        if settings.NAERVAER_ENV == "production":
            raise CommandError("seed_fravaer lager oppdiktet fravær og kjøres ikke i produksjon.")
        kommune = elever_demodata.demokommune()
        if kommune is None:
            raise CommandError("Fant ingen demo-kommune. Kjør manage.py seed_demo først.")
        i_dag = timezone.localdate()
        skolear = elever_selectors.skolear_for(kommune, i_dag)
        if skolear is None:
            raise CommandError(
                "Demo-kommunen har ikke skoleåret som pågår; kjør seed_demo på nytt."
            )
        klasser = Klasse.objects.filter(skole__kommune=kommune, skolear=skolear)
        eksisterende = Fravaer.objects.filter(elev__klassemedlemskap__klasse__in=klasser)
        startet = time.monotonic()
        with transaction.atomic():
            if eksisterende.exists() and not nullstill:
                self.stdout.write(
                    "Demo-kommunen har fravær fra før; ingenting er endret. "
                    "Bruk --nullstill for å lage det på nytt."
                )
                return
            Fravaer.objects.filter(pk__in=eksisterende.values("pk")).delete()
            Registrering.objects.filter(klasse__in=klasser).delete()
            Permisjonssoknad.objects.filter(elev__klassemedlemskap__klasse__in=klasser).delete()
            rute = elever_selectors.skolerute(skolear)
            i_gaar = rute.forrige_skoledag(i_dag)
            if i_gaar is None:
                self.stdout.write("Skoleåret har ikke begynt; det er ikke noe fravær å lage.")
                return
            teller = demodata.fravaershistorikk(klasser, i_gaar, random.Random(seed))  # noqa: S311
            self._eksempler(klasser, i_dag)
        sekunder = f"{time.monotonic() - startet:.1f}".replace(".", ",")
        self.stdout.write(
            f"Laget fravær i {kommune.navn} fra {skolear.forste_skoledag:%d.%m.%Y} til "
            f"{i_gaar:%d.%m.%Y}: {teller['hele_dagen']} hele dager, {teller['time']} timer og "
            f"{teller['for_sent']} for sent på {teller['elevdager']} elevdager "
            f"({sekunder} s)."
        )

    def _eksempler(self, klasser, i_dag) -> None:
        """What the named logins should meet: in the kontaktlærer's class a pupil away four
        days with no word from home, two days of leave the rektor granted earlier in the
        year, and leave applications of 1, 5 and 12 school days."""
        klasse = klasser.filter(
            rolletildelinger__bruker__username=elever_demodata.KONTAKT.brukernavn
        ).first()
        if klasse is None:
            return
        laerer = User.objects.get(username=elever_demodata.KONTAKT.brukernavn)
        elever = list(elever_selectors.klasseliste(klasse, i_dag))
        rute = elever_selectors.skolerute(klasse.skolear, klasse.skole)
        dager = []
        dag = i_dag
        while len(dager) < 4 and (dag := rute.forrige_skoledag(dag)):
            dager.append(dag)
        demodata.uten_melding(elever[0], dager, laerer)
        rektor = User.objects.filter(username=elever_demodata.REKTOR.brukernavn).first()
        tidligere = rute.skoledager(
            klasse.skolear.forste_skoledag, i_dag - datetime.timedelta(days=7)
        )[10:12]
        if rektor is not None and len(elever) > 4 and len(tidligere) == 2:
            demodata.innvilget_permisjon(elever[4], tidligere, laerer, rektor)
        fremtid = rute.skoledager(i_dag + datetime.timedelta(days=7), rute.siste_skoledag)
        for elev, antall in zip(elever[1:4], (1, 5, 12), strict=False):
            if len(fremtid) >= antall:
                demodata.permisjonssoknad(elev, fremtid[0], fremtid[antall - 1], antall, laerer)
