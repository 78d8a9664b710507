"""Syarat files sent in pieces: a table `partialupload`, one row per upload on its way

A resident's browser sends a syarat file in pieces that resume where they stopped
(balai/letters/partial_uploads.py); each upload begun is a row, its bytes pieces
under partial/ in the document store. The table is new, so no row of another table changes."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def upgrade(migrator):
    class LetterRequest(Model):  # as it is at this version: only its key is named here
        class Meta:
            database, table_name = migrator.database, "letterrequest"

    class PartialUpload(Model):
        upload_id = CharField(unique=True)
        request = ForeignKeyField(LetterRequest, on_delete="CASCADE")
        requirement_key = CharField()
        original_name = CharField()
        length = IntegerField()
        created_at = DateTimeField()
        stored_at = DateTimeField(null=True)

        class Meta:
            database, table_name = migrator.database, "partialupload"

    PartialUpload.create_table(safe=False)
    migrator.database.after_create_tables([PartialUpload])  # PostgreSQL: its change trigger
