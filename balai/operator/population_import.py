"""Population imports: a spreadsheet's rows staged and checked outside the live table, shown
as a preview, then applied to the population records in one short transaction.

An import is a row of PopulationImport (its file in the document store under imports/, its
column mapping, where it stands); each row of its file becomes a StagedRow: new, changed
(with the fields that change), unchanged or invalid (with the reasons). Staging writes in
batches of its own, so residents keep logging in and uploading while it runs; applying
writes every new and changed record at once, or nothing. Records are matched by NIK, so
importing the same file again updates instead of duplicating. The worker runs both steps
(balai.operator.tasks); the database says what is unfinished."""
import datetime
import logging
import secrets

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from balai.db import JSONField, db, now
from balai.operator.columns import LABELS, is_opensid
from balai.operator.row_values import digits_of, record_values, text_of
from balai.operator.spreadsheet import SpreadsheetError, read_rows
from balai.people.models import Person, User
from balai.storage import documents
from balai.villages.models import Village, VillageModel

log = logging.getLogger(__name__)

BATCH = 500  # staged rows written per transaction
STALE = datetime.timedelta(minutes=2)  # a staging worker silent this long was killed
STAGING, APPLYING = ("queued", "staging"), "applying"
FIELDS_OF = {"status": ("left_reason", "left_on"), "left_on": ()}  # a column -> record fields
RECORD_FIELDS = ("nik", "kk_number", "name", "birth_place", "birth_date", "sex", "religion",
                 "marital_status", "occupation", "citizenship", "address", "rt", "rw", "dusun",
                 "family_role", "left_reason", "left_on")
DATES = ("birth_date", "left_on")
STATUS_LABELS = {"mapping": "Menunggu pilihan kolom", "queued": "Menunggu giliran",
                 "staging": "Sedang diperiksa", "ready": "Siap diterapkan",
                 "applying": "Sedang diterapkan", "applied": "Sudah diterapkan",
                 "failed": "Gagal", "cancelled": "Dibatalkan"}


class PopulationImport(VillageModel):
    """One spreadsheet brought in by the operator, from upload to applied."""
    created_by = ForeignKeyField(User, on_delete="CASCADE")
    created_at = DateTimeField(default=now)
    file_name = CharField()
    file_key = CharField()
    header = JSONField(default=list)
    mapping = JSONField(default=dict)  # {"column index": field}
    opensid = BooleanField(default=False)
    status = CharField(default="mapping", index=True)
    total_rows = IntegerField(default=0)
    done_rows = IntegerField(default=0)
    heartbeat_at = DateTimeField(null=True)
    counts = JSONField(default=dict)  # {"new": n, "changed": n, "unchanged": n, "invalid": n}
    notes = JSONField(default=list)  # what the operator should look at, e.g. a KK without head
    message = TextField(default="")
    applied_at = DateTimeField(null=True)

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def running(self):
        return self.status in STAGING + (APPLYING,)

    @property
    def percent(self):
        if self.status == "applying":
            return 100
        return int(100 * self.done_rows / self.total_rows) if self.total_rows else 0

    def fields(self):
        return set(self.mapping.values())

    def ignored_columns(self):
        """The file's headers that no field was taken from."""
        return [name for index, name in enumerate(self.header)
                if str(index) not in self.mapping and name]

    def staged(self, outcome):
        return self.rows.where(StagedRow.outcome == outcome).order_by(StagedRow.line)

    @classmethod
    def recent(cls):
        return cls.select().order_by(cls.created_at.desc(), cls.id.desc()).limit(10)

    @classmethod
    def to_stage(cls):
        """Imports whose staging is due: queued, or begun by a worker that fell silent."""
        return cls.select().where((cls.status == "queued") | (
            (cls.status == "staging") & (cls.heartbeat_at < now() - STALE)))

    @classmethod
    def to_apply(cls):
        return cls.select().where(cls.status == APPLYING)


class StagedRow(VillageModel):
    """One row of an import's file as it would change the population records."""
    batch = ForeignKeyField(PopulationImport, backref="rows", on_delete="CASCADE")
    line = IntegerField()  # the row's number in the spreadsheet (the header is row 1)
    nik = CharField(default="")
    values = JSONField(default=dict)  # the record's fields, dates as ISO text
    cells = JSONField(default=list)  # the row as read, for the CSV of rejected rows
    outcome = CharField()  # new, changed, unchanged, invalid
    reason = TextField(default="")
    changes = JSONField(default=list)  # [field, old, new] for a changed record

    class Meta:
        indexes = ((("batch", "outcome", "line"), False),)

    @property
    def change_labels(self):
        return [(LABELS.get(field, field), old, new) for field, old, new in self.changes]


def begin(user, file_name, data, header, mapping):
    """A new import of a file already read (its header row given), kept in the store."""
    key = f"imports/{secrets.token_hex(12)}"
    documents().put(key, data)
    with db.atomic():
        return PopulationImport.create(created_by=user, file_name=file_name[:200], file_key=key,
                                       header=[text_of(h) for h in header],
                                       opensid=is_opensid(header), mapping=mapping)


def first_rows(batch, count):
    """The first rows under the header, as examples beside the column choices."""
    return read_rows(documents().get(batch.file_key))[1:1 + count]


def cancel(batch):
    """Drop an import that has not been applied, with its staged rows and its file."""
    with db.atomic():
        dropped = PopulationImport.update(status="cancelled").where(
            (PopulationImport.id == batch.id)
            & PopulationImport.status.in_(("mapping", "ready", "failed"))).execute()
        if dropped:
            StagedRow.delete().where(StagedRow.batch == batch.id).execute()
    if dropped:
        documents().delete(batch.file_key)
    return bool(dropped)


def queue_with(batch, mapping):
    """Take the operator's mapping and queue the import for staging; False if it moved on."""
    with db.atomic():
        return bool(PopulationImport.update(mapping=mapping, status="queued", done_rows=0)
                    .where((PopulationImport.id == batch.id)
                           & (PopulationImport.status == "mapping")).execute())


def claim_staging(import_id):
    """Mark the import as being staged by this worker; None when another has it or it is done."""
    with db.atomic():
        batch = PopulationImport.to_stage().where(PopulationImport.id == import_id).first()
        if batch is None:
            return None
        batch.status, batch.heartbeat_at, batch.done_rows = "staging", now(), 0
        batch.save()
        StagedRow.delete().where(StagedRow.batch == batch).execute()  # a killed run's rows
        return batch


def stage(import_id):
    """Read the file, check every row and compare it with the records; the preview's data."""
    batch = claim_staging(import_id)
    if batch is None:
        return
    try:
        stage_rows(batch)
    except SpreadsheetError as error:
        finish(batch, "failed", str(error))
    except Exception as error:  # not retried for ever: the operator sees it and uploads again
        log.exception("population import %s could not be staged", import_id)
        finish(batch, "failed", "Berkas ini tidak dapat diperiksa. Unggah lagi; bila tetap "
               f"gagal, hubungi pengelola Balai. ({type(error).__name__})")


def stage_rows(batch):
    rows = read_rows(documents().get(batch.file_key))[1:]
    rows = rows[:end_of_opensid_data(batch, rows)]
    progress(batch, total_rows=len(rows))
    today = Village.current().localtime(now()).date()
    columns = {int(index): field for index, field in batch.mapping.items()}
    lines = lines_by_nik(rows, columns)
    existing, fields = existing_records(set(lines)), written_fields(batch.fields())
    counts, heads = {"new": 0, "changed": 0, "unchanged": 0, "invalid": 0}, {}
    for start in range(0, len(rows), BATCH):
        checked = [check_row(line, row, columns, today, lines)
                   for line, row in enumerate(rows[start:start + BATCH], start=start + 2)]
        for row in checked:
            if not row["reason"]:
                values = row["values"]
                heads[values["kk_number"]] = (heads.get(values["kk_number"], 0)
                                              + (values["family_role"] == "Kepala Keluarga"))
        staged = [compare(row, existing, fields) for row in checked]
        for row in staged:
            counts[row["outcome"]] += 1
        with db.atomic():
            insert_all(StagedRow, [dict(row, batch=batch.id) for row in staged])
        progress(batch, done_rows=start + len(staged))
    notes = family_notes(heads) if "family_role" in batch.fields() else []
    finish(batch, "ready", counts=counts, notes=notes)


def family_notes(heads):
    """The KKs of the file with no head of family, or more than one, for the operator to check."""
    notes = []
    for problem, numbers in (
            ("tanpa kepala keluarga", [kk for kk, n in heads.items() if n == 0]),
            ("dengan lebih dari satu kepala keluarga", [kk for kk, n in heads.items() if n > 1])):
        if numbers:
            shown = ", ".join(sorted(numbers)[:5]) + (", ..." if len(numbers) > 5 else "")
            notes.append(f"{len(numbers)} KK di berkas ini {problem}: {shown}. Periksa kolom "
                         "SHDK-nya; datanya tetap bisa diterapkan.")
    return notes


def end_of_opensid_data(batch, rows):
    """OpenSID's template ends its data at a row whose dusun is "###"."""
    if batch.opensid:
        for index, row in enumerate(rows):
            if len(row) > 1 and text_of(row[1]) == "###":
                return index
    return len(rows)


def progress(batch, **values):
    with db.atomic():
        PopulationImport.update(heartbeat_at=now(), **values).where(
            PopulationImport.id == batch.id).execute()


def finish(batch, status, message="", counts=None, notes=()):
    with db.atomic():
        PopulationImport.update(status=status, message=message, counts=counts or {},
                                notes=list(notes), heartbeat_at=now()).where(
            PopulationImport.id == batch.id).execute()


def check_row(line, row, columns, today, lines):
    cells = {field: row[index] for index, field in columns.items() if index < len(row)}
    values, reasons = record_values(cells, today)
    others = [str(n) for n in lines.get(values["nik"], ()) if n != line]
    if others and not reasons:  # which of the rows is right is unknown: each is reported
        reasons.append(f"NIK yang sama juga ada di baris {', '.join(others)}.")
    for name in DATES:
        values[name] = values[name] and values[name].isoformat()
    return {"line": line, "nik": values["nik"][:16], "values": values,
            "cells": [text_of(cell) for cell in row], "reason": " ".join(reasons)}


def lines_by_nik(rows, columns):
    """{NIK: the lines that hold it}, for the rows that repeat a NIK."""
    index = next((i for i, field in columns.items() if field == "nik"), None)
    lines = {}
    for line, row in enumerate(rows, start=2):
        if index is not None and index < len(row):
            lines.setdefault(digits_of(row[index]), []).append(line)
    return lines


def existing_records(niks):
    fields = [getattr(Person, name) for name in RECORD_FIELDS]
    records = {}
    niks = sorted(niks)
    for start in range(0, len(niks), BATCH):
        query = Person.select(*fields).where(Person.nik.in_(niks[start:start + BATCH])).dicts()
        for record in query:
            for name in DATES:
                record[name] = record[name] and record[name].isoformat()
            records[record["nik"]] = record
    return records


def written_fields(columns):
    """The record fields that an import with these columns sets on an existing record."""
    fields = set()
    for column in columns:
        fields.update(FIELDS_OF.get(column, (column,)))
    return [name for name in RECORD_FIELDS if name in fields]


def compare(row, existing, fields):
    record = existing.get(row["nik"])
    if row["reason"]:
        return dict(row, outcome="invalid", values={}, changes=[])
    if record is None:
        return dict(row, outcome="new", changes=[])
    changes = [[name, record[name] or "", row["values"][name] or ""] for name in fields
               if (record[name] or "") != (row["values"][name] or "")]
    return dict(row, outcome="changed" if changes else "unchanged", changes=changes,
                values={name: row["values"][name] for name, _, _ in changes})


def start_applying(batch):
    """The operator's go-ahead: the worker applies it; False when it is not ready."""
    with db.atomic():
        return bool(PopulationImport.update(status=APPLYING).where(
            (PopulationImport.id == batch.id) & (PopulationImport.status == "ready")).execute())


def apply(import_id):
    """Write the new and changed records in one transaction: all of them, or none. The staged
    rows are read before it begins, so that it holds the database only for the writing."""
    staged = [(nik, {name: as_stored(name, value) for name, value in values.items()})
              for nik, values in StagedRow.select(StagedRow.nik, StagedRow.values).where(
                  (StagedRow.batch == import_id)
                  & StagedRow.outcome.in_(("new", "changed"))).tuples()]
    try:
        with db.atomic():
            batch = PopulationImport.to_apply().where(PopulationImport.id == import_id).first()
            if batch is None:
                return
            write_records(staged)
            StagedRow.delete().where((StagedRow.batch == batch)
                                     & (StagedRow.outcome != "invalid")).execute()
            batch.status, batch.applied_at = "applied", now()
            batch.save()
    except Exception as error:  # nothing was written; the operator sees why and may retry
        log.exception("population import %s failed", import_id)
        finish_failed(import_id, error)
        return
    documents().delete(batch.file_key)


def finish_failed(import_id, error):
    with db.atomic():
        PopulationImport.update(status="failed", message=(
            "Impor gagal dan tidak ada data yang diubah. Periksa berkasnya lalu coba lagi. "
            f"({type(error).__name__})")).where(PopulationImport.id == import_id).execute()


def write_records(staged):
    """New NIKs inserted, known ones updated: a NIK added since the preview is updated."""
    niks = [nik for nik, _ in staged]
    known = set()
    for start in range(0, len(niks), BATCH):
        query = Person.select(Person.nik).where(Person.nik.in_(niks[start:start + BATCH]))
        known.update(nik for (nik,) in query.tuples())
    inserts = [values for nik, values in staged if nik not in known]
    updates = [(nik, {name: value for name, value in values.items() if name != "nik"})
               for nik, values in staged if nik in known]
    insert_all(Person, inserts)
    update_all(Person, Person.nik, updates)


def insert_all(model, rows):
    """Rows at once through the driver's executemany, with the SQL peewee makes for the first:
    peewee builds each row's SQL in Python, which for 10,000 rows costs more than the writing."""
    if rows:
        village = model.village.default()  # the current village's (VillageModel's default)
        rows = [{**row, "village": village} for row in rows]
        sql, params = model.insert(rows[0]).sql()
        fields = [field for field in model._meta.sorted_fields if field.name in rows[0]]
        assert len(fields) == len(params), "every row gives every field"
        db.cursor().executemany(sql, [[field.db_value(row[field.name]) for field in fields]
                                      for row in rows])


def update_all(model, key, rows):
    """(key value, {field: value}) rows, as few statements as there are sets of fields, in the
    current village (the village condition's value comes between the fields and the key)."""
    groups = {}
    for value, values in rows:
        groups.setdefault(tuple(sorted(values)), []).append((value, values))
    for names, members in groups.items():
        fields = [field for field in model._meta.sorted_fields if field.name in names]
        sql, params = model.update({field: None for field in fields}).where(key == "").sql()
        kept = params[len(fields):-1]
        db.cursor().executemany(sql, [[field.db_value(values[field.name]) for field in fields]
                                      + kept + [value] for value, values in members])


def as_stored(name, value):
    if name in DATES:
        return value and datetime.date.fromisoformat(value)
    return value


def rejected_rows(batch):
    """The invalid rows for the CSV: row number, reasons, then the row's cells as read."""
    for row in batch.staged("invalid"):
        yield [row.line, row.reason, *row.cells]
