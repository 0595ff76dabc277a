"""The Celery app. Periodic jobs are listed in BEAT_SCHEDULE, in Europe/Oslo time."""

import os
import sys

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("naervaer")


@app.on_configure.connect
def _settings_or_one_line(sender: Celery, **kwargs) -> None:
    """Load Django's settings before Celery reads its own from them.

    `celery -A config worker` (or `beat`) reads the settings lazily, deep inside its option
    parsing, so a missing or malformed variable would end in a traceback. Here it ends as
    manage.py's does: one line naming the variable, and a non-zero exit. In a Django process
    (gunicorn, manage.py, the tests) the settings are already loaded and this does nothing.
    SystemExit, unlike an exception, gets past the signal's and Celery's error handling.
    """
    from django.conf import settings

    from config.startup import explain

    try:
        settings.INSTALLED_APPS  # noqa: B018 – the access loads config.settings
    except Exception as exc:
        message = explain(exc)
        if message is None:
            raise
        sys.exit(f"Nærvær: {message}")


app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every periodic job of DESIGN §6 is added here, each also runnable as a management command.
BEAT_SCHEDULE: dict[str, dict] = {}
app.conf.beat_schedule = BEAT_SCHEDULE


@app.task(name="naervaer.ping", bind=True)
def ping(self: Task) -> dict[str, str]:
    """Round trip through broker, worker and result store; used by ``check_stack``.

    Answers with the node name of the worker that ran it (``celery@host``, or the ``-n`` name),
    so a caller can tell its own worker from another one on the same Redis.
    """
    return {"svar": "pong", "worker": self.request.hostname}
