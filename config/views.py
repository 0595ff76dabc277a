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
    """Liveness for the load balancer: database and Redis answer.

    Anyone gets only ``{"status": "ok"}`` (200) or ``{"status": "feil"}`` (503): how long
    each part took tells a stranger how loaded the service is and when a guess is slow. The
    operator (a logged-in superuser) also sees each part with its time in milliseconds.
    """
    checks = [("database", check_database)]
    if not settings.CELERY_TASK_ALWAYS_EAGER:  # in-process tasks need no Redis
        checks.append(("redis", check_redis))
    detaljer = {}
    for name, check in checks:
        started = time.monotonic()
        try:
            check()
        except Exception:
            detaljer[name] = "feil"
        else:
            detaljer[name] = f"ok ({(time.monotonic() - started) * 1000:.0f} ms)"
    healthy = all(value.startswith("ok") for value in detaljer.values())
    svar = {"status": "ok" if healthy else "feil"}
    if request.user.is_active and request.user.is_superuser:
        svar |= detaljer
    return JsonResponse(svar, status=200 if healthy else 503)


@login_not_required
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico on pages without an icon link, such as the admin's.

    A temporary redirect: in production the target is a hashed file name that changes with the
    icon, and browsers keep a permanent redirect for ever.
    """
    return HttpResponseRedirect(static("img/favicon.svg"))
