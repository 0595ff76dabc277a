from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from config import health
from config.startup import explain


class Command(BaseCommand):
    help = "Sjekker database, Redis, en Celery-worker og PDF-motoren, og sier hva som svikter."

    def add_arguments(self, parser):
        parser.add_argument(
            "--uten-worker", action="store_true", help="Ikke vent på svar fra en worker."
        )

    def handle(self, *args, uten_worker: bool = False, **options):
        checks = [
            ("Database", health.check_database),
            ("PDF (WeasyPrint)", lambda: f"{health.check_pdf()} byte"),
        ]
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write("Redis og Celery-worker: brukes ikke (oppgaver kjøres i prosessen)")
        else:
            checks.insert(1, ("Redis", health.check_redis))
            if not uten_worker:
                checks.append(("Celery-worker", health.check_worker))
        failed = 0
        for name, check in checks:
            try:
                detail = check()
            except Exception as exc:
                failed += 1
                self.stderr.write(f"{name}: FEIL — {explain(exc) or exc}")
            else:
                self.stdout.write(f"{name}: ok{f' ({detail})' if detail else ''}")
        if failed:
            raise CommandError(f"{failed} av {len(checks)} sjekker feilet.")
