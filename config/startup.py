"""One-line explanations of the start-up failures an operator can fix: configuration,
an unreachable database, an unreachable Redis."""

from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured


def mask_url(url: str) -> str:
    """The URL without its password, fit for an error message or a log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def database_description() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite-fila {db['NAME']}"
    host = db.get("HOST") or "lokal socket"
    port = db.get("PORT") or 5432
    return f"databasen {db['NAME']} på {host}:{port}"


def explain(exc: BaseException) -> str | None:
    """A message naming what to fix, or None when the error is not a start-up error."""
    import kombu.exceptions
    import redis.exceptions
    from django.conf import settings
    from django.db.utils import OperationalError

    if isinstance(exc, ImproperlyConfigured):
        return f"Feil i oppsettet: {exc}"
    if isinstance(exc, OperationalError):
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return (
            f"Får ikke kontakt med {database_description()} (DATABASE_URL). "
            f"Er databasen startet og adressen riktig? Feilen var: {reason}"
        )
    if isinstance(exc, redis.exceptions.ConnectionError | kombu.exceptions.OperationalError):
        return (
            f"Får ikke kontakt med Redis på {mask_url(settings.REDIS_URL)} (REDIS_URL). "
            f"Er Redis startet? Feilen var: {exc}"
        )
    return None
