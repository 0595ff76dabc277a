from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from elever.models import User

# Known passwords: this command refuses to run in production.
DEMO_PASSORD = "naervaer-demo"
DEMO_BRUKERE = [
    {"username": "admin", "first_name": "Anne", "last_name": "Admin", "is_superuser": True},
    {"username": "kari", "first_name": "Kari", "last_name": "Nordmann", "is_superuser": False},
]


class Command(BaseCommand):
    help = "Lager demodata (kan kjøres flere ganger) og skriver ut innloggingene."

    def handle(self, *args, **options):
        if settings.NAERVAER_ENV == "production":
            raise CommandError("seed_demo lager kjente passord og kjøres ikke i produksjon.")
        with transaction.atomic():
            for data in DEMO_BRUKERE:
                user, _ = User.objects.update_or_create(
                    username=data["username"],
                    defaults={**data, "is_staff": data["is_superuser"], "is_active": True},
                )
                user.set_password(DEMO_PASSORD)
                user.save(update_fields=["password"])
        self.stdout.write(
            f"Demo-innlogginger på http://127.0.0.1:8000/ (passord for alle: {DEMO_PASSORD}):"
        )
        for data in DEMO_BRUKERE:
            rolle = "administrator" if data["is_superuser"] else "ansatt"
            self.stdout.write(
                f"  {data['username']:<8} {data['first_name']} {data['last_name']} ({rolle})"
            )
