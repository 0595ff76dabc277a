"""The one home of DESIGN §8's address rule: no address is stored for a *protected household*
— a pupil with a protected address (fortrolig or strengt fortrolig), every guardian of that
pupil, and every other child of those guardians. A guardian is often shared with a sibling
without protection, and both the guardian's and the sibling's address are the protected
household's: shown on the sibling's page, they would give the household away.

The triggers clear the address whatever writes it (an import, the admin, raw SQL), so no page,
letter or export can show what is not there; the old value lives on only in the history.
``husstand`` says the same in Python, so an import leaves out what would be cleared and a
re-import counts no change.
"""

from collections.abc import Iterable

import pgtrigger

SPERRET = "adressesperre <> ''"
TOM = "gateadresse = '', postnummer = '', poststed = ''"


def husstand[E, F](sperrede: set[E], relasjoner: Iterable[tuple[E, F]]) -> tuple[set[E], set[F]]:
    """The pupils and guardians whose address is not kept, given the protected pupils and
    the (pupil, guardian) links: the guardians of a protected pupil and all their children."""
    relasjoner = list(relasjoner)
    foresatte = {f for e, f in relasjoner if e in sperrede}
    return sperrede | {e for e, f in relasjoner if f in foresatte}, foresatte


def _har_adresse(rad: str) -> str:
    return f"({rad}.gateadresse <> '' OR {rad}.postnummer <> '' OR {rad}.poststed <> '')"


def _tom_new() -> str:
    return "NEW.gateadresse := ''; NEW.postnummer := ''; NEW.poststed := '';"


def _tom(tabell: str, hvor: str) -> str:
    """Clear the address of the rows of ``tabell`` (as ``t``) that ``hvor`` selects."""
    return f"UPDATE {tabell} t SET {TOM} WHERE {hvor} AND {_har_adresse('t')};"


def _tom_husstand_til_foresatt(foresatt: str) -> str:
    """If the guardian has a protected child, clear the guardian and all their children."""
    barn = f"t.id IN (SELECT elev_id FROM elever_foresattrelasjon WHERE foresatt_id = {foresatt})"
    return f"""
        IF EXISTS (
            SELECT 1 FROM elever_foresattrelasjon r JOIN elever_elev e ON e.id = r.elev_id
            WHERE r.foresatt_id = {foresatt} AND e.{SPERRET}
        ) THEN
            {_tom("elever_foresatt", f"t.id = {foresatt}")}
            {_tom("elever_elev", barn)}
        END IF;
    """


NEW_FORESATTE = "t.id IN (SELECT foresatt_id FROM elever_foresattrelasjon WHERE elev_id = NEW.id)"
NEW_SOSKEN = (
    "t.id IN (SELECT r2.elev_id FROM elever_foresattrelasjon r1 "
    "JOIN elever_foresattrelasjon r2 ON r2.foresatt_id = r1.foresatt_id WHERE r1.elev_id = NEW.id)"
)

ELEV = [
    pgtrigger.Trigger(
        name="sperret_elev_uten_adresse",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        condition=pgtrigger.Condition(f"(NEW.{SPERRET} OR {_har_adresse('NEW')})"),
        func=f"""
            IF NEW.{SPERRET} OR EXISTS (
                SELECT 1 FROM elever_foresattrelasjon r1
                JOIN elever_foresattrelasjon r2 ON r2.foresatt_id = r1.foresatt_id
                JOIN elever_elev e ON e.id = r2.elev_id
                WHERE r1.elev_id = NEW.id AND e.{SPERRET}
            ) THEN
                {_tom_new()}
            END IF;
            RETURN NEW;
        """,
    ),
    pgtrigger.Trigger(
        name="sperret_elevs_husstand_uten_adresse",
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update,
        condition=pgtrigger.Condition(f"(NEW.{SPERRET})"),
        func=f"""
            {_tom("elever_foresatt", NEW_FORESATTE)}
            {_tom("elever_elev", NEW_SOSKEN)}
            RETURN NULL;
        """,
    ),
]

FORESATT = [
    pgtrigger.Trigger(
        name="foresatt_til_sperret_elev_uten_adresse",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        condition=pgtrigger.Condition(_har_adresse("NEW")),
        func=f"""
            IF EXISTS (
                SELECT 1 FROM elever_foresattrelasjon r JOIN elever_elev e ON e.id = r.elev_id
                WHERE r.foresatt_id = NEW.id AND e.{SPERRET}
            ) THEN
                {_tom_new()}
            END IF;
            RETURN NEW;
        """,
    ),
]

FORESATTRELASJON = [
    pgtrigger.Trigger(
        name="ny_foresatt_til_sperret_elev_uten_adresse",
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update,
        func=_tom_husstand_til_foresatt("NEW.foresatt_id") + " RETURN NULL;",
    ),
]
