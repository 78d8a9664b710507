"""What PostgreSQL's wall between villages is set to for the code at hand (balai.dbms and
balai.pg_wall): the factory hands `wall_setting` to the database, which sets it at the start of
every transaction, and again when a village is chosen inside one (`wall_moves`)."""
from peewee import ProgrammingError

from balai.db import db
from balai.pg_wall import ACROSS, REGENCY
from balai.villages import context
from balai.villages.context import chosen_village, is_across, is_regency
from balai.villages.models import Village


def wall_setting():
    """ACROSS inside across_villages(); REGENCY on the regency's own pages; else the id of the
    village the code works for, as text; '' when there is none (a transaction set so sees no
    village's rows)."""
    if is_across():
        return ACROSS
    if is_regency():
        return REGENCY
    chosen = chosen_village()
    try:  # none chosen: the installation's only village (a question that makes none)
        village = chosen if chosen is not None else Village.only_village_id(make=False)
    except ProgrammingError:  # no village table yet (a schema being made): no village's rows
        village = None
    return "" if village is None else str(int(village))


def wall_moves():
    """A village chosen inside a transaction moves that transaction's wall with it."""
    context.when_moved(lambda: db.wall_moved())
