"""Population imports: the SHDK and leaving (moved away, died) on person; tables
`populationimport` and `stagedrow`

person gets family_role (hubungan dalam keluarga), left_on and left_reason; the two new tables
hold an import of a spreadsheet and its rows, staged outside the live population records
(balai/operator/population_import.py). No row of another table changes."""
from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def upgrade(migrator):
    migrator.add_column("person", "family_role", CharField(default="")).run()
    migrator.add_column("person", "left_on", DateField(null=True)).run()
    migrator.add_column("person", "left_reason", CharField(default="")).run()

    class User(Model):  # as it is at this version: only its key is named here
        class Meta:
            database, table_name = migrator.database, "user"

    class PopulationImport(Model):
        created_by = ForeignKeyField(User, on_delete="CASCADE")
        created_at = DateTimeField()
        file_name = CharField()
        file_key = CharField()
        header = TextField()
        mapping = TextField()
        opensid = BooleanField()
        status = CharField(index=True)
        total_rows = IntegerField()
        done_rows = IntegerField()
        heartbeat_at = DateTimeField(null=True)
        counts = TextField()
        notes = TextField()
        message = TextField()
        applied_at = DateTimeField(null=True)

        class Meta:
            database, table_name = migrator.database, "populationimport"

    class StagedRow(Model):
        batch = ForeignKeyField(PopulationImport, on_delete="CASCADE")
        line = IntegerField()
        nik = CharField()
        values = TextField()
        cells = TextField()
        outcome = CharField()
        reason = TextField()
        changes = TextField()

        class Meta:
            database, table_name = migrator.database, "stagedrow"
            indexes = ((("batch", "outcome", "line"), False),)

    for model in (PopulationImport, StagedRow):
        model.create_table(safe=False)
    migrator.database.after_create_tables([PopulationImport, StagedRow])
