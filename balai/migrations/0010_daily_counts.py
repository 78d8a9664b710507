"""Daily counts for the regency's figures: tables `letterday`, `steptime`,
`activeresident`, `activemonth`

Counted from now on as each letter event is recorded (balai.letters.counting), and here filled
from the events already kept, the same way. Residents active by logging in are counted from now
on only (past logins are not kept). The tables are new, so no row of another table changes."""
import datetime

from peewee import CharField, DateField, ForeignKeyField, IntegerField, Model

from balai.letters.counting import recount


def upgrade(migrator):
    database = migrator.database

    class Village(Model):  # as it is at this version: only its key is named here
        class Meta:
            database, table_name = migrator.database, "village"

    class LetterDay(Model):
        village = ForeignKeyField(Village, on_delete="CASCADE")
        day = DateField()
        month = CharField()
        letter_type = CharField()
        filed = IntegerField(default=0)
        returned = IntegerField(default=0)
        rejected = IntegerField(default=0)
        issued = IntegerField(default=0)
        KEY = ("village", "day", "letter_type")

        class Meta:
            database, table_name = migrator.database, "letterday"
            indexes = ((("village", "day", "letter_type"), True), (("month", "village"), False))

    class StepTime(Model):
        village = ForeignKeyField(Village, on_delete="CASCADE")
        month = CharField()
        step = CharField()
        bucket = IntegerField()
        decisions = IntegerField(default=0)
        KEY = ("village", "month", "step", "bucket")

        class Meta:
            database, table_name = migrator.database, "steptime"
            indexes = ((("village", "month", "step", "bucket"), True), (("month", "step"), False))

    class ActiveResident(Model):
        village = ForeignKeyField(Village, on_delete="CASCADE")
        month = CharField()
        account = IntegerField()
        KEY = ("village", "month", "account")

        class Meta:
            database, table_name = migrator.database, "activeresident"
            indexes = ((("village", "month", "account"), True),)

    class ActiveMonth(Model):
        village = ForeignKeyField(Village, on_delete="CASCADE")
        month = CharField()
        residents = IntegerField(default=0)
        KEY = ("village", "month")

        class Meta:
            database, table_name = migrator.database, "activemonth"
            indexes = ((("village", "month"), True), (("month",), False))

    tables = [LetterDay, StepTime, ActiveResident, ActiveMonth]
    database.create_tables(tables, safe=False)
    database.after_create_tables(tables)  # PostgreSQL: their change triggers
    village = database.execute_sql(
        "SELECT id, timezone FROM village ORDER BY id LIMIT 1").fetchone()
    if village is None:
        return
    events = database.execute_sql(
        "SELECT e.request_id, t.slug, e.action, e.from_status, e.to_status, e.role, "
        "e.actor_id, e.at FROM letterevent e JOIN letterrequest r ON r.id = e.request_id "
        "JOIN lettertype t ON t.id = r.letter_type_id ORDER BY e.request_id, e.at, e.id")
    recount((row[:-1] + (moment(row[-1]),) for row in events), village[0], village[1],
            lambda counts: counts.save(tables))


def moment(value):
    """A stored moment as a datetime (SQLite keeps text)."""
    return value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(value)
