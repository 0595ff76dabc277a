"""Checks of the parts Nærvær stands on, for the load balancer and for operators."""

import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_redis() -> None:
    from redis import Redis

    Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3, socket_timeout=3).ping()


def check_worker(timeout: float = 20) -> str:
    """Send a task and wait for a worker's answer; returns the worker's host name."""
    from config.celery import ping

    return ping.delay().get(timeout=timeout)["worker"]


def check_pdf() -> int:
    """Render a page with Norwegian letters; returns the PDF's size in bytes."""
    from rapporter.pdf import render_pdf

    return len(render_pdf("pdf/dokument.html", {"tittel": "Prøveside: æ ø å Æ Ø Å"}))


@never_cache
@require_GET
@login_not_required
def helse(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: database and Redis answer. Shows no data."""
    checks = [("database", check_database)]
    if not settings.CELERY_TASK_ALWAYS_EAGER:  # in-process tasks need no Redis
        checks.append(("redis", check_redis))
    status = {}
    for name, check in checks:
        started = time.monotonic()
        try:
            check()
        except Exception:
            status[name] = "feil"
        else:
            status[name] = f"ok ({(time.monotonic() - started) * 1000:.0f} ms)"
    healthy = all(value.startswith("ok") for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)
