"""What each process keeps of the organisation between requests: calendars, timetables, the
school-day plans made from them and the memberships, and users' roles. Every register
request and every set of figures needs them, and they change a few times a year (calendar,
timetable) or at most daily (memberships and roles, by import or by an administrator).

Everything is kept under the organisation's version: a counter the database moves in the
same commit as any change to those tables, bulk writes and raw SQL included (migration
``elever.0004``). Reading it is one small query per use, or one per request for a GET
(which changes nothing, so it may go on with the version it read first); a new version
empties the store. Whatever a value is made from must be read after its version, never
taken from the caller (``selectors._skolerute`` reads the school year again). A
transaction that has itself changed the organisation gets None and reads past the store,
for its changes are not anybody else's yet; a GET then keeps what it read for itself
alone. What is kept is shared between requests and threads: callers must not change it.
"""

import threading
from collections.abc import Callable, Hashable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import connection
from django.http import HttpRequest, HttpResponse

# A kommune's calendars and timetables, its users' roles and recent plans; past it, the
# store starts again empty.
MAKS_OPPFORINGER = 10_000

_VERSJON = """
SELECT versjon, current_setting('naervaer.organisasjon_endret', true)
FROM elever_organisasjonsversjon
"""

_laas = threading.Lock()
_lager: dict[Hashable, object] = {}
_lagerets_versjon = -1


@dataclass
class _Lesing:
    """A GET request's reading of the organisation."""

    versjon: int | None = None
    lest: bool = False
    lager: dict[Hashable, object] = field(default_factory=dict)


_lesing: ContextVar[_Lesing | None] = ContextVar("organisasjonslesing", default=None)


class LesingMiddleware:
    """Lets a GET or HEAD request read the organisation's version once."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _lesing.set(_Lesing())
        try:
            return self.get_response(request)
        finally:
            _lesing.reset(token)


def versjon() -> int | None:
    """The organisation's version now, or None when this transaction has changed it."""
    lesing = _lesing.get()
    if lesing is not None and lesing.lest:
        return lesing.versjon
    with connection.cursor() as cursor:
        cursor.execute(_VERSJON)
        versjon, endret = cursor.fetchone()
    versjon = None if endret == "ja" else versjon
    if lesing is not None:
        lesing.versjon, lesing.lest = versjon, True
    return versjon


def hent[T](versjon: int | None, nokkel: Hashable, lag: Callable[[], T]) -> T:
    """What ``lag()`` returns, made once per process while the organisation stays at
    ``versjon`` (from ``versjon()``, read before anything ``lag`` reads, so nothing newer is
    kept under an older version)."""
    return hent_mange(versjon, [nokkel], lambda mangler: {nokkel: lag()})[nokkel]


def hent_mange[K: Hashable, T](
    versjon: int | None, nokler: Iterable[K], lag: Callable[[list[K]], dict[K, T]]
) -> dict[K, T]:
    """Like ``hent`` for many keys: ``lag`` gets those not kept, all at once, and returns
    a value for each."""
    global _lagerets_versjon
    nokler = list(nokler)
    if versjon is None:
        return _hent_i_foresporselen(nokler, lag)
    with _laas:
        if versjon > _lagerets_versjon:
            _lager.clear()
            _lagerets_versjon = versjon
        elif versjon < _lagerets_versjon:
            return lag(nokler)  # a request that began before the change: keep nothing
        funnet = {n: _lager[n] for n in nokler if n in _lager}
    mangler = [n for n in nokler if n not in funnet]
    if mangler:
        nye = lag(mangler)
        with _laas:
            if versjon == _lagerets_versjon:
                if len(_lager) + len(nye) > MAKS_OPPFORINGER:
                    _lager.clear()
                _lager.update(nye)
        funnet.update(nye)
    return funnet  # type: ignore[return-value]


def _hent_i_foresporselen[K: Hashable, T](
    nokler: list[K], lag: Callable[[list[K]], dict[K, T]]
) -> dict[K, T]:
    lesing = _lesing.get()
    if lesing is None:
        return lag(nokler)
    funnet = {n: lesing.lager[n] for n in nokler if n in lesing.lager}
    if mangler := [n for n in nokler if n not in funnet]:
        nye = lag(mangler)
        lesing.lager.update(nye)
        funnet.update(nye)
    return funnet  # type: ignore[return-value]


def tom() -> None:
    """Forget everything kept (for tests that measure a cold start)."""
    global _lagerets_versjon
    with _laas:
        _lager.clear()
        _lagerets_versjon = -1
