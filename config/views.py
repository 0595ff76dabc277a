"""Views that belong to no app: the load balancer's health check and the favicon."""

import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.health import check_database, check_redis


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


@login_not_required
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico on pages without an icon link, such as the admin's.

    A temporary redirect: in production the target is a hashed file name that changes with the
    icon, and browsers keep a permanent redirect for ever.
    """
    return HttpResponseRedirect(static("img/favicon.svg"))
