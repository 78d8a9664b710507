"""Service standards: lettertype.service_days and step_days; tables dayoff and stepreminder

Each letter type carries its published standard (working days to complete, a target per step);
the defaults are what the steps promised residents before (1 working day each, 3 in all). The
village's own days off (dayoff) and the reminders sent for steps past their target
(stepreminder, one row per request, step visit and level) are new tables."""
from peewee import (
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def upgrade(migrator):
    class LetterRequest(Model):  # as it is at this version: only its key is named here
        class Meta:
            database, table_name = migrator.database, "letterrequest"

    class DayOff(Model):
        date = DateField(unique=True)
        reason = CharField()

        class Meta:
            database, table_name = migrator.database, "dayoff"

    class StepReminder(Model):
        request = ForeignKeyField(LetterRequest, on_delete="CASCADE")
        step = CharField()
        since_event = IntegerField()
        level = CharField()
        sent_at = DateTimeField()

        class Meta:
            database, table_name = migrator.database, "stepreminder"
            indexes = ((("request", "since_event", "level"), True),)

    migrator.add_column("lettertype", "service_days", IntegerField(default=3)).run()
    migrator.add_column("lettertype", "step_days", TextField(default="{}")).run()
    DayOff.create_table(safe=False)
    StepReminder.create_table(safe=False)
    migrator.database.after_create_tables([DayOff, StepReminder])  # PostgreSQL: change triggers
