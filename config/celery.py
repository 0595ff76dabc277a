"""The Celery app. Periodic jobs are listed in BEAT_SCHEDULE, in Europe/Oslo time."""

import os
import socket

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("naervaer")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job of DESIGN §6 is added here, each also runnable as a management command.
BEAT_SCHEDULE: dict[str, dict] = {}
app.conf.beat_schedule = BEAT_SCHEDULE


@app.task(name="naervaer.ping")
def ping() -> dict[str, str]:
    """Round trip through broker, worker and result store; used by ``check_stack``."""
    return {"svar": "pong", "worker": socket.gethostname()}
