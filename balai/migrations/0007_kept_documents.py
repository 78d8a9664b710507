"""Dokumen saya: a table `keptdocument`, a resident's kept KTP and KK scans

A resident may keep the KTP and KK scans of a request for their next ones
(balai/letters/kept.py); each kept scan is a row naming its own file under uploads/. The table is
new, so no row of another table changes."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, Model


def upgrade(migrator):
    class Person(Model):  # as it is at this version: only its key is named here
        class Meta:
            database, table_name = migrator.database, "person"

    class KeptDocument(Model):
        person = ForeignKeyField(Person, on_delete="CASCADE")
        kind = CharField()
        original_name = CharField()
        stored_name = CharField(unique=True)
        content_type = CharField()
        size = IntegerField()
        kept_at = DateTimeField()

        class Meta:
            database, table_name = migrator.database, "keptdocument"
            indexes = ((("person", "kind"), True),)

    KeptDocument.create_table(safe=False)
    migrator.database.after_create_tables([KeptDocument])  # PostgreSQL: its change trigger
