"""The floors: what a request costs in this stack when the view does (almost) nothing.

Both go through every middleware of the app, logged in and (for the POST) CSRF-checked like
the register, so the ratio shows what the register's own work costs.
"""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

# Created by bench/registrering.py in the bench database only; no migration ships it.
GULVTABELL = "bench_gulv"


@require_GET
def tom(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def insert(request: HttpRequest) -> HttpResponse:
    """Exactly one INSERT (autocommit), the least a write can cost."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {GULVTABELL} (verdi) VALUES (%s)",  # noqa: S608 (a constant)
            [request.POST.get("verdi", "")],
        )
    return HttpResponse("ok", content_type="text/plain")
