"""The database's guard of DESIGN §10: a row that joins two people or a person and a school
joins them only inside one kommune, whatever wrote it (an import, the admin, raw SQL).

Each trigger compares the kommune of the row's two ends and refuses the write with a
check violation (an ``IntegrityError`` in Django) when they differ. The ends are SQL
expressions over ``NEW``; a ``NULL`` end (an account that belongs to no kommune) differs
from every kommune.
"""

import pgtrigger
from django.utils.translation import gettext as _

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


def samme_kommune(
    navn: str, venstre: str, hoyre: str, *, naar: str | None = None, bare_endring: bool = False
) -> pgtrigger.Trigger:
    """Refuse an insert or update where ``venstre`` and ``hoyre`` lie in different kommuner;
    only when the SQL condition ``naar`` holds, if given; only on update if ``bare_endring``."""
    return pgtrigger.Trigger(
        name=navn,
        when=pgtrigger.Before,
        operation=pgtrigger.Update if bare_endring else pgtrigger.Insert | pgtrigger.Update,
        condition=pgtrigger.Condition(naar) if naar else None,
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


def i_samme_kommune(navn: str, felt: str) -> pgtrigger.Trigger:
    """A school (``felt`` kommune), class or teaching group (``felt`` skole) stays in its
    kommune: moved, it would carry its pupils' memberships and its teachers' roles across."""
    ende = SKOLE if felt == "skole" else "{}"
    return samme_kommune(
        navn,
        ende.format(f"OLD.{felt}_id"),
        ende.format(f"NEW.{felt}_id"),
        naar=f"(OLD.{felt}_id <> NEW.{felt}_id)",
        bare_endring=True,
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


# --- Usernames -----------------------------------------------------------------------------
# Usernames are one namespace for the installation (they log in), split by domain: a name
# ``navn@domene`` whose domain a kommune has registered (``Brukernavndomene``) belongs to that
# kommune's accounts only. So whoever acts for one kommune only ever handles names of its own
# domains, and learns nothing of another kommune's accounts from a name being taken.


def domene(brukernavn: str) -> str | None:
    """The domain of ``navn@domene`` in lower case, or None for a name without one; the
    triggers below read it the same way (``substring(… from '.@([^@]*)$')``)."""
    navn, alfa, domene_ = brukernavn.rpartition("@")
    return domene_.lower() if alfa and navn else None


def domenekrav(domener) -> str:
    """What a name must look like for a kommune with ``domener``; the same words whether or
    not the name someone tried exists anywhere."""
    if not domener:
        return _(
            "Kommunen har ikke fått noe brukernavndomene ennå. Driftsansvarlig må legge inn "
            "kommunens domene (for eksempel fjordvik.kommune.no) før brukere kan opprettes "
            "eller importeres."
        )
    slutt = f" {_('eller')} ".join(f"@{d}" for d in sorted(domener))
    return _("Brukernavnet må slutte på %(domener)s.") % {"domener": slutt}


def brukernavn_i_egen_kommune(navn: str) -> pgtrigger.Trigger:
    """An account's name in a registered domain belongs to that domain's kommune."""
    return pgtrigger.Trigger(
        name=navn,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        declare=[("eier", "integer")],
        func="""
            IF TG_OP = 'UPDATE' AND NEW.username = OLD.username
               AND NEW.kommune_id IS NOT DISTINCT FROM OLD.kommune_id THEN
                RETURN NEW;
            END IF;
            SELECT kommune_id INTO eier FROM elever_brukernavndomene
             WHERE domene = lower(substring(NEW.username from '.@([^@]*)$'));
            IF FOUND AND eier IS DISTINCT FROM NEW.kommune_id THEN
                RAISE EXCEPTION 'Brukernavnet ligger i domenet til en annen kommune.'
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        """,
    )


def domene_uten_andres_brukere(navn: str) -> pgtrigger.Trigger:
    """A domain is registered for a kommune only while no account outside it has a name in
    the domain: the operator moves or renames such accounts first."""
    return pgtrigger.Trigger(
        name=navn,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update,
        func="""
            IF EXISTS (
                SELECT 1 FROM elever_user
                 WHERE lower(substring(username from '.@([^@]*)$')) = lower(NEW.domene)
                   AND kommune_id IS DISTINCT FROM NEW.kommune_id
            ) THEN
                RAISE EXCEPTION 'Brukere utenfor kommunen har brukernavn i domenet %.', NEW.domene
                    USING ERRCODE = 'check_violation';
            END IF;
            RETURN NEW;
        """,
    )
