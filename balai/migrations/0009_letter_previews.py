"""Draft letter images for the officials: a table `letterpreview`, one row per request

The page where an official decides a request shows the letter as it will print, as images the
worker makes (balai/letters/preview.py); the row names the request's version they are of and
how many pages are ready. The table is new, so no row of another table changes."""
from peewee import DateTimeField, ForeignKeyField, IntegerField, Model


def upgrade(migrator):
    class LetterRequest(Model):  # as it is at this version: only its key is named here
        class Meta:
            database, table_name = migrator.database, "letterrequest"

    class LetterPreview(Model):
        request = ForeignKeyField(LetterRequest, unique=True, on_delete="CASCADE")
        version = IntegerField()
        pages = IntegerField(default=0)
        asked_at = DateTimeField()

        class Meta:
            database, table_name = migrator.database, "letterpreview"

    LetterPreview.create_table(safe=False)
    migrator.database.after_create_tables([LetterPreview])  # PostgreSQL: its change trigger
