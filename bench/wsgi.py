"""The app as the Dockerfile serves it (``config.wsgi``), with a ``Server-Timing`` header
giving the time spent inside Django, so the script can tell server time from the loopback
and client around it."""

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from config.wsgi import application as _application


def application(environ, start_response):
    start = time.perf_counter()

    def start_response_med_tid(status, headers, exc_info=None):
        # Django calls this once the whole response is built.
        ms = (time.perf_counter() - start) * 1000
        headers.append(("Server-Timing", f"app;dur={ms:.2f}"))
        return start_response(status, headers, exc_info)

    return _application(environ, start_response_med_tid)
