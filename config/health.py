"""Checks of the parts Nærvær stands on, for the load balancer and for operators."""

from django.conf import settings
from django.db import connection


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
