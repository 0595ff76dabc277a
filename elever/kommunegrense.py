"""The database's guard of DESIGN §10: a row that joins two people or a person and a school
joins them only inside one kommune, whatever wrote it (an import, the admin, raw SQL).

Each trigger compares the kommune of the row's two ends and refuses the write with a
check violation (an ``IntegrityError`` in Django) when they differ. The ends are SQL
expressions over ``NEW``; a ``NULL`` end (an account that belongs to no kommune) differs
from every kommune.
"""

import pgtrigger

SKOLE = "(SELECT kommune_id FROM elever_skole WHERE id = {})"
KLASSE = (
    "(SELECT s.kommune_id FROM elever_klasse k JOIN elever_skole s ON s.id = k.skole_id "
    "WHERE k.id = {})"
)
FAGGRUPPE = (
    "(SELECT s.kommune_id FROM elever_faggruppe g JOIN elever_skole s ON s.id = g.skole_id "
    "WHERE g.id = {})"
)
ELEV = "(SELECT kommune_id FROM elever_elev WHERE id = {})"
FORESATT = "(SELECT kommune_id FROM elever_foresatt WHERE id = {})"
BRUKER = "(SELECT kommune_id FROM elever_user WHERE id = {})"


def samme_kommune(navn: str, venstre: str, hoyre: str) -> pgtrigger.Trigger:
    """Refuse an insert or update where ``venstre`` and ``hoyre`` lie in different kommuner."""
    return pgtrigger.Trigger(
        name=navn,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        func=f"""
            IF ({venstre}) IS DISTINCT FROM ({hoyre}) THEN
                RAISE EXCEPTION 'Raden kobler sammen to kommuner (%).', TG_TABLE_NAME
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        """,
    )


def fast_kommune(navn: str) -> pgtrigger.Trigger:
    """A pupil or guardian stays in the kommune that registered them: one who moves to
    another kommune is a new record there."""
    return pgtrigger.Trigger(
        name=navn,
        when=pgtrigger.Before,
        operation=pgtrigger.Update,
        condition=pgtrigger.Q(old__kommune__df=pgtrigger.F("new__kommune")),
        func="""
            RAISE EXCEPTION 'En person kan ikke flyttes til en annen kommune (%).', TG_TABLE_NAME
                USING ERRCODE = 'check_violation';
        """,
    )


ROLLENS_KOMMUNE = (
    "COALESCE(NEW.kommune_id, "
    + SKOLE.format("NEW.skole_id")
    + ", "
    + KLASSE.format("NEW.klasse_id")
    + ", "
    + FAGGRUPPE.format("NEW.faggruppe_id")
    + ")"
)
KOBLINGENS_MAL = (
    "COALESCE("
    + ELEV.format("NEW.elev_id")
    + ", "
    + FORESATT.format("NEW.foresatt_id")
    + ", "
    + BRUKER.format("NEW.ansatt_id")
    + ")"
)
