#!/usr/bin/env python3
"""Django's command-line utility, with start-up errors told in one line instead of a traceback."""

import contextlib
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if sys.version_info < (3, 12):  # noqa: UP036 – tell, don't crash, on an old python3
        sys.exit(
            f"Nærvær krever Python 3.12 eller nyere (dette er {sys.version.split()[0]}). "
            "Kjør via .venv/bin/python, eller se README."
        )
    from django.core.management import execute_from_command_line

    from config.startup import explain

    try:
        with _historikk(sys.argv):
            execute_from_command_line(sys.argv)
    except Exception as exc:
        message = explain(exc)
        if message is None:
            raise
        sys.exit(f"Nærvær: {message}")


def _historikk(argv: list[str]) -> contextlib.AbstractContextManager:
    """Whatever a command changes (imports, seeds, ``shell``) is kept in the history with the
    command's name, as a page's changes are kept with its user and URL."""
    from django.db import connection

    if len(argv) < 2 or connection.vendor != "postgresql":  # SQLite: offline checks only
        return contextlib.nullcontext()
    import pghistory

    return pghistory.context(command=argv[1])


if __name__ == "__main__":
    main()
