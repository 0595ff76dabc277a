"""The database's guard of DESIGN §8: a pupil with a protected address (fortrolig or strengt
fortrolig) has no address stored, and neither has any guardian of such a pupil. A guardian is
often shared with a sibling without protection, and that guardian's address is the protected
household's: shown on the sibling's page, it would give the household away.

The triggers clear the address whatever writes it (an import, the admin, raw SQL), so no page,
letter or export can show what is not there; the old value lives on only in the history.
"""

import pgtrigger

SPERRET = "adressesperre <> ''"


def _har_adresse(rad: str) -> str:
    return f"({rad}.gateadresse <> '' OR {rad}.postnummer <> '' OR {rad}.poststed <> '')"


def _tom_new() -> str:
    return "NEW.gateadresse := ''; NEW.postnummer := ''; NEW.poststed := '';"


def _tom_foresatte(hvor: str) -> str:
    """Clear the address of the guardians ``hvor`` (SQL over ``f``) selects."""
    return (
        "UPDATE elever_foresatt f SET gateadresse = '', postnummer = '', poststed = '' "
        f"WHERE {hvor} AND {_har_adresse('f')};"
    )


ELEV = [
    pgtrigger.Trigger(
        name="sperret_elev_uten_adresse",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        condition=pgtrigger.Condition(f"(NEW.{SPERRET})"),
        func=_tom_new() + " RETURN NEW;",
    ),
    pgtrigger.Trigger(
        name="sperret_elevs_foresatte_uten_adresse",
        when=pgtrigger.After,
        operation=pgtrigger.Insert | pgtrigger.Update,
        condition=pgtrigger.Condition(f"(NEW.{SPERRET})"),
        func=_tom_foresatte(
            "f.id IN (SELECT foresatt_id FROM elever_foresattrelasjon WHERE elev_id = NEW.id)"
        )
        + " RETURN NULL;",
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
        func=_tom_foresatte(
            f"f.id = NEW.foresatt_id AND EXISTS "
            f"(SELECT 1 FROM elever_elev WHERE id = NEW.elev_id AND {SPERRET})"
        )
        + " RETURN NULL;",
    ),
]
