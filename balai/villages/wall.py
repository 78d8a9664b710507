"""What PostgreSQL's wall between villages is set to for the code at hand (balai.dbms and
balai.pg_wall): the factory hands `wall_setting` to the database, which sets it at the start of
every transaction."""
from peewee import ProgrammingError

from balai.pg_wall import ACROSS, REGENCY
from balai.villages.context import NoVillageChosen, current_village_id, is_across, is_regency


def wall_setting():
    """ACROSS inside across_villages(); REGENCY on the regency's own pages; else the id of the
    village the code works for, as text; '' when there is none (a transaction set so sees no
    village's rows)."""
    if is_across():
        return ACROSS
    if is_regency():
        return REGENCY
    try:
        return str(int(current_village_id()))
    except NoVillageChosen:
        return ""
    except ProgrammingError:  # no village table yet (a schema being made): no village's rows
        return ""
