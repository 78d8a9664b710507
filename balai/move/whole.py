"""Moving a village from SQLite to PostgreSQL, the whole installation with its ids:
`flask --app app move-to DATABASE_URL [--storage URL] [--replace]` (README "Basis data").

- The documents first, when --storage names another store (a bucket): each one sent, read back
  and checked (size and SHA-256); one already there with the same bytes is not sent again.
- The target gets today's schema through balai.migrate, the version the source is at (a source
  that is not migrated yet is refused: migrate it first).
- In one transaction on the target, every table's rows in foreign-key order, read in batches and
  sent with COPY, with their primary keys; each table's sequence set past its largest id. The
  news search table is a table like the others here: its rows fill the target's own kind of
  index (balai.dbms).
- Then every row of every table, all its columns, is read from both and compared; the counts
  per table are printed. Any difference is an error.

The source is only read. A target that holds other rows is refused unless --replace (its rows
are then deleted in the same transaction). Running it again is safe: a target that already
holds exactly the source's rows is checked and left as it is."""
import contextlib
import hashlib
from itertools import zip_longest

import click
from peewee import AutoField, sort_models

from balai.db import db
from balai.migrate import current_version, migrate
from balai.migrations import LATEST
from balai.schema import MODELS, SchemaVersion
from balai.sweep import SWEPT
from balai.villages.context import across_villages

BATCH = 1000


class MoveError(click.ClickException):
    """A move that cannot go on, or whose copy is not the same; the message says why."""


def move_documents(source, target, echo):
    """Copy every document of source into target, each checked; returns target."""
    if repr(source) == repr(target):
        echo(f"Berkas dokumen sudah di {target!r}.")
        return target
    copy_checked(source, target, [(key, key) for folder in SWEPT
                                  for key, _ in source.listing(f"{folder}/")], echo)
    return target


def copy_checked(source, target, moves, echo):
    """Each (key in source, key in target) of moves copied and checked; says how many."""
    sent = kept = 0
    for key, new_key in moves:
        if put_checked(target, new_key, source.get(key)):
            sent += 1
        else:
            kept += 1
    echo(f"Berkas dokumen: {sent} disalin ke {target!r} dan diperiksa (ukuran dan SHA-256), "
         f"{kept} sudah ada di sana dengan isi yang sama.")


def put_checked(store, key, data):
    """Put the document and read it back: True when sent, False when it was there already
    with the same bytes; MoveError when what is there differs."""
    if fingerprint(existing(store, key)) == fingerprint(data):
        return False
    store.put(key, data)
    if fingerprint(existing(store, key)) != fingerprint(data):
        raise MoveError(f"Berkas {key} di {store!r} tidak sama dengan aslinya setelah "
                        "disalin; basis data belum dipindahkan.")
    return True


def existing(store, key):
    try:
        return store.get(key)
    except FileNotFoundError:
        return None


def fingerprint(data):
    return data is not None and (len(data), hashlib.sha256(data).hexdigest())


def move(target, lock_dir, replace, echo):
    """Copy the app's database (SQLite, connected) into target and compare them."""
    version, models = source_version(), sort_models(MODELS) + [SchemaVersion]
    with using(target), target.connection_context():
        there = current_version()
        if there is None:
            migrate(lock_dir, backup=lambda version: None, echo=echo)  # an empty one: no backup
        elif there != version:
            raise MoveError(f"Basis data tujuan versi {there}, sumber versi {version}: "
                            "pindahkan ke basis data kosong.")
    copied = MODELS  # SchemaVersion's row is the target's own
    with target.connection_context():
        rows = sum(model.select().count(target) for model in copied)
        if rows:
            counts, difference = compare(db.obj, target, models)
            if difference is None:
                echo("Basis data tujuan sudah memuat salinan yang sama; tidak ada yang disalin.")
                report(counts, echo)
                return
            if not replace:
                raise MoveError(f"Basis data tujuan sudah berisi {rows} baris lain ({difference})."
                                " Pindahkan ke basis data kosong, atau tambahkan --replace untuk "
                                "menghapusnya dulu.")
        with target.atomic():
            if rows:
                for model in reversed(sort_models(copied)):
                    model.delete().execute(target)
                echo(f"{rows} baris yang sudah ada di tujuan dihapus (--replace).")
            for model in sort_models(copied):
                copy_table(model, db.obj, target)
        counts, difference = compare(db.obj, target, models)
    if difference:
        raise MoveError(f"Salinan tidak sama dengan sumbernya: {difference}. Jangan pakai "
                        "basis data tujuan; periksa, lalu jalankan lagi dengan --replace.")
    echo("Semua baris disalin dan dibandingkan satu per satu, semua kolom, sama:")
    report(counts, echo)


def source_version():
    """The source's schema version, when it is this code's; else MoveError."""
    version = current_version()
    if version != LATEST:
        raise MoveError(f"Basis data sumber versi {version}, kode ini versi {LATEST}: jalankan "
                        "`flask --app app migrate` dulu, lalu move-to lagi.")
    return version


@contextlib.contextmanager
def using(database):
    """The app's db pointed at another database for a while (migrate works through it)."""
    before = db.obj
    db.initialize(database)
    try:
        yield
    finally:
        db.initialize(before)


def copy_table(model, source, target):
    """Every row of model's table, keys and all, in one COPY fed in batches (an INSERT per
    batch spends its time making SQL); its sequence set past the last id."""
    fields, table = model._meta.sorted_fields, model._meta.table_name
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    with target.cursor().copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
        for batch in batches(model, source):
            for row in batch:
                copy.write_row([field.db_value(value) for field, value in zip(fields, row)])
    key = model._meta.primary_key
    if isinstance(key, AutoField):
        target.execute_sql(
            f'SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{key.column_name}"), '
            f'0) + 1, false) FROM "{table}"', (f'"{table}"', key.column_name))


def batches(model, database, where=None):
    """The table's rows, every column, as tuples in primary key order, BATCH at a time: of
    every village (the whole installation moves), or those `where` keeps."""
    fields, key = model._meta.sorted_fields, model._meta.primary_key
    position, last = fields.index(key), None
    while True:
        with across_villages():
            query = model.select(*fields).order_by(key).limit(BATCH).tuples()
        if where is not None:
            query = query.where(where)
        batch = list((query if last is None else query.where(key > last)).execute(database))
        if not batch:
            return
        yield batch
        last = batch[-1][position]


def compare(source, target, models):
    """(rows per table, None) when every row of every table is the same in both, else
    (counts so far, the first difference in words)."""
    counts = {}
    for model in models:
        table, key = model._meta.table_name, model._meta.primary_key
        names = [field.name for field in model._meta.sorted_fields]
        position, count = names.index(key.name), 0
        mine = (row for batch in batches(model, source) for row in batch)
        theirs = (row for batch in batches(model, target) for row in batch)
        for a, b in zip_longest(mine, theirs):
            if a != b:
                if a is None or b is None:
                    where = "sumber" if b is None else "tujuan"
                    return counts, f"tabel {table}: {where} punya baris lebih"
                columns = [name for name, x, y in zip(names, a, b) if x != y]
                return counts, (f"tabel {table}, baris {key.name}={a[position]}: kolom "
                                + ", ".join(columns) + " berbeda")
            count += 1
        counts[table] = count
    return counts, None


def report(counts, echo):
    for table, count in counts.items():
        echo(f"  {table}: {count} baris")
