"""The WSGI application; the Dockerfile serves it with `gunicorn config.wsgi --preload`."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# gunicorn restarts a worker that exits with any other code, for ever; on this one (its
# WORKER_BOOT_ERROR) the arbiter stops, so a missing setting stops the server with its message.
WORKER_BOOT_ERROR = 3

try:
    application = get_wsgi_application()
except Exception as exc:
    from config.startup import explain

    message = explain(exc)
    if message is None:
        raise
    print(f"Nærvær: {message}", file=sys.stderr, flush=True)
    sys.exit(WORKER_BOOT_ERROR)
