"""Daily counts for the regency's figures: tables `letterday`, `lettermonth`, `steptime`,
`activeresident`, `activemonth`

Counted from now on as each letter event is recorded (balai.letters.counting), and here filled
from the events already kept by the rules of that module as they are at this version (the step
imports nothing of Balai's; tests/regency/test_backfill.py checks that both agree). Residents
active by logging in are counted from now on only (past logins are not kept). The tables are
new, so no row of another table changes."""
import datetime
import math
from collections import Counter
from zoneinfo import ZoneInfo

from peewee import EXCLUDED, CharField, DateField, ForeignKeyField, IntegerField, Model

DECIDING = ("diajukan", "diverifikasi", "diperiksa")  # the officials' steps at this version
COLUMNS = {"kembalikan": "returned", "tolak": "rejected", "terbit": "issued"}
RATIO, LAST = 2 ** 0.25, 85  # the duration buckets (balai.tally.buckets)
FLUSH = 20000  # requests counted in memory before their counts are written


def upgrade(migrator):
    database = migrator.database

    class Village(Model):  # as it is at this version: only its key is named here
        class Meta:
            database, table_name = migrator.database, "village"

    class LetterDay(Model):
        day = DateField()
        letter_type = CharField()
        filed = IntegerField(default=0)
        returned = IntegerField(default=0)
        rejected = IntegerField(default=0)
        issued = IntegerField(default=0)
        village = ForeignKeyField(Village, index=False)  # last, as balai.villages.models makes it
        KEY = ("village", "day", "letter_type")

        class Meta:
            database, table_name = migrator.database, "letterday"
            indexes = ((("village", "day", "letter_type"), True),)

    class LetterMonth(Model):
        month = CharField()
        letter_type = CharField()
        filed = IntegerField(default=0)
        returned = IntegerField(default=0)
        rejected = IntegerField(default=0)
        issued = IntegerField(default=0)
        village = ForeignKeyField(Village, index=False)  # last, as balai.villages.models makes it
        KEY = ("village", "month", "letter_type")

        class Meta:
            database, table_name = migrator.database, "lettermonth"
            indexes = ((("village", "month", "letter_type"), True),)

    class StepTime(Model):
        month = CharField()
        step = CharField()
        bucket = IntegerField()
        decisions = IntegerField(default=0)
        village = ForeignKeyField(Village, index=False)  # last, as balai.villages.models makes it
        KEY = ("village", "month", "step", "bucket")

        class Meta:
            database, table_name = migrator.database, "steptime"
            indexes = ((("village", "month", "step", "bucket"), True),)

    class ActiveResident(Model):
        month = CharField()
        account = IntegerField()
        village = ForeignKeyField(Village, index=False)  # last, as balai.villages.models makes it
        KEY = ("village", "month", "account")

        class Meta:
            database, table_name = migrator.database, "activeresident"
            indexes = ((("village", "month", "account"), True),)

    class ActiveMonth(Model):
        month = CharField()
        residents = IntegerField(default=0)
        village = ForeignKeyField(Village, index=False)  # last, as balai.villages.models makes it
        KEY = ("village", "month")

        class Meta:
            database, table_name = migrator.database, "activemonth"
            indexes = ((("village", "month"), True),)

    tables = [LetterDay, LetterMonth, StepTime, ActiveResident, ActiveMonth]
    database.create_tables(tables, safe=False)
    database.after_create_tables(tables)  # PostgreSQL: their change triggers
    villages = database.execute_sql("SELECT id, timezone FROM village ORDER BY id").fetchall()
    for village, zone in villages:
        count_village(database, village, zone, (LetterDay, LetterMonth, StepTime, ActiveResident))
    database.execute_sql("INSERT INTO activemonth (village_id, month, residents) "
                         "SELECT village_id, month, COUNT(*) FROM activeresident "
                         "GROUP BY village_id, month")


def count_village(database, village, zone, tables):
    """Count one village's kept events, a request at a time, FLUSH requests per save."""
    events = database.execute_sql(
        "SELECT e.request_id, t.slug, e.action, e.from_status, e.to_status, e.role, "
        "e.actor_id, e.at FROM letterevent e JOIN letterrequest r ON r.id = e.request_id "
        "JOIN lettertype t ON t.id = r.letter_type_id "
        f"WHERE r.village_id = {database.param} ORDER BY e.request_id, e.at, e.id", (village,))
    counts = Counts(village, ZoneInfo(zone))
    current, earlier, seen = None, [], 0
    for request, slug, *event in events:
        event[-1] = moment(event[-1])
        if request != current:
            current, earlier, seen = request, [], seen + 1
            if seen % FLUSH == 0:
                counts.save(*tables)
        counts.add(slug, event, earlier)
        earlier.append(event)
    counts.save(*tables)


class Counts:
    """What the events add, as balai.letters.counting counted at this version."""

    def __init__(self, village, zone):
        self.village, self.zone = village, zone
        self.letters, self.steps, self.residents = Counter(), Counter(), set()

    def add(self, slug, event, earlier):
        action, before, after, role, actor, at = event
        local = at.replace(tzinfo=datetime.timezone.utc).astimezone(self.zone)
        month = local.strftime("%Y-%m")
        if action == "ajukan" and before == "draf":
            self.letters[(local.date(), slug, "filed")] += 1
            if role == "warga" and actor:
                self.residents.add((month, actor))
        elif action in COLUMNS and not (action == "kembalikan"
                                        and any(e[0] == "kembalikan" for e in earlier)):
            self.letters[(local.date(), slug, COLUMNS[action])] += 1
        if before in DECIDING and before != after:
            arrived = next((e for e in reversed(earlier) if e[2] == before and e[1] != e[2]),
                           None)
            if arrived is not None:
                self.steps[(month, before, bucket_of((at - arrived[5]).total_seconds()))] += 1

    def save(self, letters, months, steps, residents):
        for model, when in ((letters, lambda day: {"day": day}),
                            (months, lambda day: {"month": day.strftime("%Y-%m")})):
            rows = {}
            for (day, slug, column), n in self.letters.items():
                row = rows.setdefault((*when(day).values(), slug), {
                    "village": self.village, **when(day), "letter_type": slug,
                    "filed": 0, "returned": 0, "rejected": 0, "issued": 0})
                row[column] += n
            added(model, list(rows.values()), ("filed", "returned", "rejected", "issued"))
        added(steps, [{"village": self.village, "month": month, "step": step, "bucket": bucket,
                       "decisions": n} for (month, step, bucket), n in self.steps.items()],
              ("decisions",))
        for batch in chunks([{"village": self.village, "month": month, "account": account}
                             for month, account in self.residents]):
            residents.insert_many(batch).on_conflict(
                conflict_target=[residents.village, residents.month, residents.account],
                action="NOTHING").execute()
        self.letters, self.steps, self.residents = Counter(), Counter(), set()


def added(model, rows, columns):
    """Insert the rows, or add their `columns` to the rows of the same KEY."""
    target = [getattr(model, name) for name in model.KEY]
    for batch in chunks(rows):
        model.insert_many(batch).on_conflict(conflict_target=target, update={
            getattr(model, name): getattr(model, name) + getattr(EXCLUDED, name)
            for name in columns}).execute()


def chunks(rows, size=300):
    return (rows[i:i + size] for i in range(0, len(rows), size))


def bucket_of(seconds):
    return 0 if seconds < 60 else min(1 + math.floor(math.log(seconds / 60, RATIO)), LAST)


def moment(value):
    """A stored moment as a datetime (SQLite keeps text)."""
    return value if isinstance(value, datetime.datetime) else datetime.datetime.fromisoformat(value)
