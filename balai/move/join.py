"""A village that ran alone on SQLite joins a PostgreSQL installation that already serves
villages: `flask --app app move-to DATABASE_URL --join --host HOST [--storage URL]` (README
"Basis data").

- The source holds one village, at this code's schema version; the target is at the same
  version, already serves villages, and none of them answers on HOST.
- In one transaction on the target, which holds the installation's write lock throughout: the
  village's row (the source's profile, on HOST); then every village table's rows in foreign-key
  order, each with a new id from its table's sequence, every foreign key and every id kept
  without one (balai.move.ids) rewritten, the news search rows following their news. The
  sequences end past the new ids. Of the installation's own tables nothing else is copied: the
  schema version is the target's, the other villages are theirs.
- Before it commits: the village's documents, copied under the new village's folder
  (balai.storage.village_folder) and each read back and checked; then every copied row is
  compared with its source row, ids mapped, and the counts per table printed.

The source is only read. Running it again finds the village already joined (a village on HOST,
or of the same name, whose rows are the source's, in order) and copies nothing."""
from itertools import zip_longest

from peewee import AutoField, sort_models

from balai.founding.village import FoundingError, plain_host
from balai.letters.partial_uploads import PIECES, PartialUpload
from balai.migrate import current_version
from balai.move.ids import DOCUMENT_IDS, id_lookup, rewritten
from balai.move.whole import (
    MoveError,
    batches,
    copy_checked,
    report,
    source_version,
    using,
)
from balai.operator.population_import import PopulationImport
from balai.schema import INSTALLATION_WIDE, KEYED_THROUGH, MODELS
from balai.storage import KEYS, LETTERS, PREVIEWS, UPLOADS, village_folder
from balai.villages.context import across_villages, village_context
from balai.villages.models import Village

COPIED = [model for model in sort_models(MODELS) if model not in INSTALLATION_WIDE]
NUMBERED = [model for model in COPIED if isinstance(model._meta.primary_key, AutoField)]


def join(target, host, source_store, target_store, echo):
    """Join the app's village (SQLite, connected) to the installation at target, its documents
    from source_store to target_store."""
    try:
        host = plain_host(host)
    except FoundingError as error:
        raise MoveError(str(error))
    version, village = source_version(), only_village()
    with using(target), target.connection_context():
        there = current_version()
        villages = list(Village.select().order_by(Village.id)) if there else []
    if not villages:
        raise MoveError("Basis data tujuan belum melayani desa: pindahkan dengan move-to tanpa "
                        "--join.")
    if there != version:
        raise MoveError(f"Basis data tujuan versi {there}, sumber versi {version}: jalankan "
                        "`flask --app app migrate` pada yang lebih lama dulu, lalu --join lagi.")
    with target.connection_context():
        if already_joined(target, village, host, villages, echo):
            return
        if any(candidate.host == host for candidate in villages):
            raise MoveError(f"Host {host} sudah dipakai desa lain di instalasi tujuan; pilih "
                            "host lain.")
        with target.atomic():
            joined = Village.insert(**profile(village, host)).execute(target)
            with village_context(joined):
                target.wall_moved()  # this transaction writes the new village's rows
            maps = copy_rows(target, village.id, joined)
            copy_documents(source_store, target_store, village.id, joined, maps, echo)
            counts, difference = compare(target, village.id, joined)
            if difference:
                raise MoveError(f"Salinan tidak sama dengan sumbernya: {difference}. Tidak ada "
                                "yang disimpan di basis data tujuan.")
    echo(f"{village.name} bergabung sebagai desa nomor {joined} di {host}. Semua baris disalin "
         "dengan nomor baru dan dibandingkan satu per satu, semua kolom, sama:")
    report(counts, echo)
    echo(f"Selesai. Desa ini kini dilayani instalasi tujuan di https://{host}; data SQLite lama "
         "tidak diubah.")


def already_joined(target, village, host, villages, echo):
    """True, once said, when a target village on the host or of the same name holds the
    source's rows (a second run)."""
    for candidate in villages:
        if candidate.host == host or candidate.name == village.name:
            with village_context(candidate.id):  # the wall lets the target's reads see it
                counts, difference = compare(target, village.id, candidate.id)
            if difference is None:
                echo(f"{village.name} sudah bergabung sebagai desa nomor {candidate.id} di "
                     f"{candidate.host}; tidak ada yang disalin.")
                report(counts, echo)
                return True
    return False


def only_village():
    with across_villages():
        villages = list(Village.select().order_by(Village.id))
    if len(villages) != 1:
        raise MoveError(f"Sumber melayani {len(villages)} desa; --join hanya menggabungkan "
                        "instalasi satu desa. Pindahkan instalasi ini utuh dengan move-to tanpa "
                        "--join.")
    return villages[0]


def profile(village, host):
    """The village's profile for its new row: all of it, on its new host."""
    data = {field: value for field, value in village.__data__.items() if field != "id"}
    return {**data, "host": host}


def copy_rows(target, old, new):
    """Every village table's rows of village `old` (the source, the app's database) into the
    target as village `new`'s, new ids taken first for every table (an id kept without a
    foreign key may name a row of a table copied later); returns the ids' map."""
    maps = {model: dict(zip(keys_of(model, None, old), new_ids(target, model, count)))
            for model in NUMBERED if (count := model.select().count())}
    new_id = id_lookup(maps)
    for model in COPIED:
        fields = model._meta.sorted_fields
        for batch in batches(model, None, condition(model, old)):
            target.copy_rows(model, fields, [copied(model, row, new_id, new) for row in batch])
    for model, ids in maps.items():
        sequence_past(target, model, max(ids.values()))
    return maps


def copied(model, row, new_id, village):
    """A source row (a tuple) as the target's (a tuple), ids rewritten, in the new village."""
    values = rewritten(model, dict(zip(field_names(model), row)), new_id)
    if "village" in values:
        values["village"] = village
    return tuple(values[name] for name in field_names(model))


def copy_documents(source, target, old, new, maps, echo):
    """The village's documents into the new village's folders of the target store (a folder
    named by a row's id renamed with it), then those kept by name alone (imports, pieces of
    uploads), each read back and checked."""
    moves = []
    for folder in (UPLOADS, LETTERS, KEYS, PREVIEWS):
        mine, theirs = village_folder(folder, old), village_folder(folder, new)
        for key, _ in source.listing(f"{mine}/"):
            rest = key.removeprefix(f"{mine}/")
            if folder in DOCUMENT_IDS:
                first, _, after = rest.partition("/")
                rest = f"{id_lookup(maps)(DOCUMENT_IDS[folder], int(first))}/{after}"
            moves.append((key, f"{theirs}/{rest}"))
    with village_context(old):
        named = [batch.file_key for batch in PopulationImport.select(PopulationImport.file_key)]
        named += [key for upload in PartialUpload.select(PartialUpload.upload_id)
                  for key, _ in source.listing(f"{PIECES}/{upload.upload_id}.")]
    copy_checked(source, target, moves + [(key, key) for key in named], echo)


def compare(target, old, new):
    """(rows per table, None) when village `new`'s rows in target are the source's village
    `old`'s, row for row in id order, every column the same once ids are mapped; else (counts
    so far, the first difference in words)."""
    maps, counts = {}, {}
    mine, theirs = (profile(village, None) for village in (
        Village.get_by_id(old), Village.select().where(Village.id == new).get(target)))
    if mine != theirs:
        return counts, "profil desa berbeda: " + ", ".join(
            name for name in mine if mine[name] != theirs[name])
    counts["village"] = 1
    for model in NUMBERED:
        mine, theirs = keys_of(model, None, old), keys_of(model, target, new)
        if len(mine) != len(theirs):
            return counts, (f"tabel {model._meta.table_name}: {len(mine)} baris di sumber, "
                            f"{len(theirs)} di tujuan")
        maps[model] = dict(zip(mine, theirs))
    new_id = id_lookup(maps)
    for model in COPIED:
        names, count = field_names(model), 0
        mine = (row for batch in batches(model, None, condition(model, old)) for row in batch)
        theirs = (row for batch in batches(model, target, condition(model, new))
                  for row in batch)
        for a, b in zip_longest(mine, theirs):
            expected = a and copied(model, a, new_id, new)
            if expected != b:
                if a is None or b is None:
                    return counts, (f"tabel {model._meta.table_name}: "
                                    f"{'sumber' if b is None else 'tujuan'} punya baris lebih")
                columns = [name for name, x, y in zip(names, expected, b) if x != y]
                return counts, (f"tabel {model._meta.table_name}, baris {names[0]}={a[0]}: "
                                "kolom " + ", ".join(columns) + " berbeda")
            count += 1
        counts[model._meta.table_name] = count
    return counts, None


def keys_of(model, database, village_id):
    """The ids of the village's rows of model, in order (database None: the app's)."""
    key = model._meta.primary_key
    with across_villages():
        query = model.select(key).where(model.village == village_id).order_by(key).tuples()
    return [id for (id,) in query.execute(database)]


def condition(model, village_id):
    """What keeps a query of model to the village's rows."""
    through = KEYED_THROUGH.get(model)
    with across_villages():
        if through is None:
            return model.village == village_id
        return model._meta.primary_key.in_(
            through.select(through.id).where(through.village == village_id))


def field_names(model):
    return [field.name for field in model._meta.sorted_fields]


def new_ids(target, model, count):
    """`count` fresh ids from the sequence of the model's key in target (PostgreSQL), in
    increasing order."""
    return [new for (new,) in target.execute_sql(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) "
        "ORDER BY 1", (f'"{model._meta.table_name}"', model._meta.primary_key.column_name,
                       count))]


def sequence_past(target, model, largest):
    """The sequence of the model's key in target past `largest` (never moved back)."""
    target.execute_sql(
        "SELECT setval(s, GREATEST(%s, COALESCE(pg_sequence_last_value(s), 1))) "
        "FROM (SELECT pg_get_serial_sequence(%s, %s)::regclass AS s) AS sequence",
        (largest, f'"{model._meta.table_name}"', model._meta.primary_key.column_name))
