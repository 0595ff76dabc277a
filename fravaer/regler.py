"""The rules about leave (permisjon) as plain arithmetic, without the ORM (DESIGN §3).

Leave is left out of the 20 % rule, so leave must not become a way to hide absence:

- Only a granted application writes ``permisjon``; no register or import ever does.
- The limits are the kommune's (its forskrift under opplæringslova § 2-2 fourth paragraph)
  and apply to the pupil's granted leave in each school year, never per application: the
  kontaktlærer may grant while the year's total stays within the kontaktlærer limit, the
  rektor while it stays within the yearly cap, and beyond the cap nobody may (the pupil is
  withdrawn from the school instead). Ten one-day applications are ten days.
- Leave is decided before it starts. The first day counts as started: on the morning of the
  first day the pupil is already away, so the decision is no longer made beforehand. Only
  the rektor may grant leave that has started, and must record why.

``fravaer.permisjon`` reads the figures and writes the decisions; the pages show what
follows from here.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

# The validity only a granted leave application writes.
PERMISJON = "permisjon"


def kan_registreres(gyldighet: str, arsak: str = "") -> bool:
    """Whether a register or an import may set this validity and reason: every one but
    leave ("Innvilget permisjon" as a reason would pass for leave on the pupil's page)."""
    return PERMISJON not in (gyldighet, arsak)


@dataclass(frozen=True)
class Grenser:
    """A kommune's leave limits, in school days per school year."""

    kontaktlaerer: int
    maks: int

    def for_rolle(self, *, rektor: bool) -> int:
        """How much leave in a year the decider may bring a pupil to: the cap for the
        rektor, the kontaktlærer limit (never above the cap) otherwise."""
        return self.maks if rektor else min(self.kontaktlaerer, self.maks)


@dataclass(frozen=True)
class Aar:
    """One school year's leave for a pupil: the school days already granted (each day
    once, leaving out days this application covers again) and the application's own."""

    navn: str  # "2026/2027"
    innvilget: int
    soknad: int

    @property
    def etter(self) -> int:
        """The year's total if the application is granted."""
        return self.innvilget + self.soknad


class Hinder(StrEnum):
    """Why an application cannot be granted by this decider, most final first."""

    OVER_MAKS = "over_maks"  # beyond the yearly cap: nobody may grant it
    OVER_GRENSE = "over_grense"  # beyond this decider's limit: the rektor decides
    STARTET = "startet"  # the leave has started: only the rektor, with a reason


def har_startet(fra: datetime.date, i_dag: datetime.date) -> bool:
    """Whether leave from ``fra`` has started: its first day has come (see the module)."""
    return fra <= i_dag


def hinder(
    aar: Iterable[Aar],
    *,
    grenser: Grenser,
    rektor: bool,
    startet: bool,
) -> Hinder | None:
    """What stops this decider from granting the application, or None when nothing does.
    Every school year the application adds days to must stay within the limit; a year it
    only touches (the summer holiday) does not count."""
    aar = [a for a in aar if a.soknad]
    if any(a.etter > grenser.maks for a in aar):
        return Hinder.OVER_MAKS
    if any(a.etter > grenser.for_rolle(rektor=rektor) for a in aar):
        return Hinder.OVER_GRENSE
    if startet and not rektor:
        return Hinder.STARTET
    return None


def kan_avslaa(aar: Iterable[Aar], *, grenser: Grenser, rektor: bool) -> bool:
    """Whoever could grant the amount may refuse it; the rektor answers everything else,
    also what is beyond the cap (then with word about withdrawal). Refusing hides no
    absence, so it may come after the leave started."""
    return rektor or all(a.etter <= grenser.for_rolle(rektor=False) for a in aar)
