"""Backing up a village and restoring it: `flask --app app backup DIR`, `restore DIR`.

A backup copies the files of the data dir and the documents of the document store (balai.storage:
the data dir itself, or a bucket) into one folder, the documents under the same keys (uploads/,
letters/, keys/), every database in the data dir (`*.db`) with SQLite's online backup, which is
consistent while the app writes, and on PostgreSQL the database's schema with pg_dump
(balai.dumps), then the documents that rows of that copy name which are new or changed since,
and writes `manifest.json` with each file's size and SHA-256. The folder and
everything in it is readable by its owner only: it holds scans of residents' papers and the
signing keys. A restore puts the files back into the data dir and the documents into the store.

The app writes a document before the row that names it commits, and deletes it only after that
row is gone. So the backup first copies the documents while the app goes on, then holds
deletions (the app's waits, see balai.storage), copies the databases, and copies the documents
that rows of the copy name which are new or changed since: while deletions wait, none of those
can go. What is guaranteed: no row in a finished backup names a document the backup lacks,
unless it was already missing from the store (the command then says so). Documents written
during the backup may be in it without a row; they are harmless."""
import datetime
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
from contextlib import closing, nullcontext
from pathlib import Path, PurePosixPath

import click
from peewee import SqliteDatabase

from balai import dumps
from balai.db import as_owner, db
from balai.storage import deletions_lock, documents
from balai.sweep import SWEPT, named_keys

MANIFEST = "manifest.json"
FORMAT = 1
NOT_COPIED = ("-wal", "-shm", "-journal", ".log", ".lock")  # a database's copy is whole
# What starting the app makes in an empty data dir; the queue is no loss either, the worker
# re-queues unfinished work from the database.
FRESH = {"secret_key", "huey.db"}
STAGING = ".restore-"
CHUNK = 1024 * 1024


class BackupError(click.ClickException):
    """A backup or restore that cannot go on; the message says why."""


def register(app):
    @app.cli.command("backup")
    @click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
    def backup_command(folder):
        """Back up the village into FOLDER (new or empty): databases, files and a manifest."""
        manifest = backup(app.config["DATA_DIR"], folder, documents(app), server_url(app))
        size = sum(entry["size"] for entry in manifest["files"]) / 1024 / 1024
        click.echo(f"Cadangan selesai di {folder}: {len(manifest['files'])} berkas, "
                   f"{size:.1f} MB.")
        if manifest["missing"]:
            click.echo(f"Perhatian: {len(manifest['missing'])} berkas yang disebut data sudah "
                       "tidak ada di folder data (jadi juga tidak di cadangan): "
                       + ", ".join(manifest["missing"][:10]), err=True)

    @app.cli.command("restore")
    @click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Timpa folder data yang sudah berisi data.")
    def restore_command(folder, force):
        """Restore a backup into the data dir and the document store, once every file of it
        checks out."""
        manifest = restore(folder, app.config["DATA_DIR"], documents(app), server_url(app),
                           force)
        if server_url(app):  # the dump carries no grants: the app's role gets its own again
            with as_owner(), db.atomic():
                db.build_wall()
        click.echo(f"Data dipulihkan ke {app.config['DATA_DIR']} dari cadangan "
                   f"{manifest.get('created_at', '')} ({len(manifest['files'])} berkas).")


def server_url(app):
    """The URL of a database on a server (PostgreSQL), which is not in the data dir, as its
    tables' owner (who may drop and make them again); None for SQLite, whose files are."""
    if db.engine != "postgresql":
        return None
    return app.config["OWNER_DATABASE_URL"] or app.config["DATABASE_URL"]


def backup(data_dir, target, store, server=None):
    """Back up data_dir, the database on the server (a PostgreSQL URL) if any, and the documents
    of store into target. Returns the manifest."""
    data_dir, target = Path(data_dir).resolve(), Path(target).absolute()
    if target.resolve().is_relative_to(data_dir):
        raise BackupError("Folder cadangan tidak boleh berada di dalam folder data.")
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Folder {target} sudah berisi. Pilih folder baru atau kosong.")
    private_dir(target)
    target.chmod(0o700)
    databases = [name for name in sorted(os.listdir(data_dir)) if name.endswith(".db")]
    copied = {}
    for name in local_files(data_dir, skip=databases):
        if (entry := copy_file(data_dir / name, target / name)) is not None:
            copied[name] = entry
    sync_documents(store, target, copied)
    main, dumped = target / "balai.db", {}
    with deletions_lock(data_dir, held=True):
        for name in databases:
            with closing(sqlite3.connect(data_dir / name, timeout=30)) as live:
                copy_database(live, target / name)
        if server:
            with private_file(target / dumps.DUMP) as out:
                schema, named = dumps.dump(server, out, named_keys)
            databases, dumped = databases + [dumps.DUMP], {"schema": schema}
        else:
            named = files_named_in(main) if main.exists() else set()
        sync_documents(store, target, copied, named)
    files = [{"path": name, **digest(target / name)} for name in databases]
    files += [{"path": name, "size": entry["size"], "sha256": entry["sha256"]}
              for name, entry in sorted(copied.items())]
    manifest = {"format": FORMAT, "files": files, **({"postgresql": dumped} if server else {}),
                "created_at": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                "missing": sorted(named - copied.keys())}  # gone from the data dir itself
    with private_file(target / f"{MANIFEST}.tmp") as out:
        out.write(json.dumps(manifest, indent=1).encode())
    os.replace(target / f"{MANIFEST}.tmp", target / MANIFEST)
    return manifest


def copy_database(live, target):
    """A consistent copy of a live SQLite database (an open connection), as one file."""
    target.unlink(missing_ok=True)
    private_file(target).close()
    with closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # the app turns WAL on again when it opens it


def sync_documents(store, target, copied, wanted=None):
    """Copy each document (of `wanted` keys, else all) that is not yet in the copy or changed
    since: one copied while it was being replaced is copied again once it is whole."""
    for folder in SWEPT:
        for key, modified in store.listing(f"{folder}/"):
            if (wanted is None or key in wanted) and copied.get(key, {}).get("seen") != modified:
                try:
                    data = store.get(key)
                except FileNotFoundError:  # deleted meanwhile
                    continue
                copied[key] = {**write_file(target / key, data), "seen": modified}


def local_files(data_dir, skip=()):
    """The data dir's own files (not the documents' folders), as relative POSIX paths."""
    return [name for name in stored_files(data_dir, skip)
            if PurePosixPath(name).parts[0] not in SWEPT]


def stored_files(folder, skip=()):
    """Every file under folder that a backup holds, as a relative POSIX path."""
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(STAGING))
        for name in sorted(files):
            path = Path(parent, name).relative_to(folder).as_posix()
            if not name.endswith(NOT_COPIED) and path not in skip:
                yield path


def files_named_in(database):
    """The key of every document a row of this copy of balai.db names."""
    copy = SqliteDatabase(str(database))
    with copy.connection_context():
        return named_keys(copy)


def restore(source, data_dir, store, server=None, force=False):
    """Restore a backup into data_dir, store and the database on the server (a PostgreSQL URL)
    if any, once all of it checks out; a village that holds data is replaced only with force
    (documents the backup lacks are deleted). Returns the backup's manifest."""
    source, data_dir = Path(source).resolve(), Path(data_dir)
    if source.is_relative_to(data_dir.resolve()):
        raise BackupError("Cadangan yang dipulihkan tidak boleh berada di dalam folder data.")
    manifest = checked_manifest(source)
    dumped = manifest.get("postgresql")
    if bool(dumped) != bool(server):
        raise BackupError(f"Cadangan ini dari basis data {'PostgreSQL' if dumped else 'SQLite'}, "
                          f"sedangkan aplikasi memakai {db.engine}: pulihkan ke basis data yang "
                          "sejenis (dari SQLite ke PostgreSQL: pulihkan, lalu `move-to`).")
    if (holds_data(data_dir) or any(store_keys(store))
            or (server and dumps.Server(server).holds_rows())) and not force:
        raise BackupError(f"Folder data {data_dir} atau basis datanya sudah berisi data. Pulihkan "
                          "ke tempat kosong, atau tambahkan --force untuk menimpanya (data yang "
                          "ada hilang).")
    private_dir(data_dir)
    staging = data_dir / f"{STAGING}{secrets.token_hex(4)}"
    private_dir(staging)
    try:
        for entry in manifest["files"]:
            copy = copy_file(source / entry["path"], staging / entry["path"])
            if copy != {"size": entry["size"], "sha256": entry["sha256"]}:
                raise BackupError(f"{entry['path']} berubah selama pemulihan; data tidak diubah.")
        if server:
            dumps.restore(server, staging / dumps.DUMP, dumped["schema"])
            (staging / dumps.DUMP).unlink()
        for old in data_dir.iterdir():  # a stale -wal beside a restored database would corrupt it
            if old == staging or old.suffix == ".log":
                continue
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            else:
                old.unlink()
        for new in staging.iterdir():
            if new.name not in SWEPT:
                new.rename(data_dir / new.name)
        restored = set(stored_files(staging))
        for key in restored:
            store.put(key, (staging / key).read_bytes())
        for key in set(store_keys(store)) - restored:
            store.delete(key)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    data_dir.chmod(0o700)
    return manifest


def checked_manifest(source):
    """The backup's manifest once every file it lists is there, whole, and nothing else is;
    BackupError otherwise. Reads only."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
        files = manifest["files"]
        listed = {entry["path"]: (entry["size"], entry["sha256"]) for entry in files}
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupError(f"{source} bukan cadangan Balai yang utuh: {MANIFEST} tidak terbaca.")
    dumped = manifest.get("postgresql")  # {"schema": name} beside the dump's file
    if (manifest.get("format") != FORMAT or len(listed) != len(files)
            or (dumped is not None and not (isinstance(dumped, dict) and dumps.DUMP in listed
                                            and isinstance(dumped.get("schema"), str)))):
        raise BackupError(f"{MANIFEST} di {source} tidak dikenal; tidak ada yang dipulihkan.")
    problems = []
    for name, (size, sha256) in listed.items():
        path = is_plain_relative(name) and source / name
        if not path or not path.resolve().is_relative_to(source):
            problems.append(f"{name}: nama berkas tidak sah")
        elif not path.is_file() or path.is_symlink():
            problems.append(f"{name}: tidak ada")
        elif digest(path) != {"size": size, "sha256": sha256}:
            problems.append(f"{name}: isinya berubah")
    problems += [f"{name}: tidak tercatat di {MANIFEST}"
                 for name in stored_files(source) if name not in listed and name != MANIFEST]
    if problems:
        raise BackupError("Cadangan ini rusak atau diubah; tidak ada yang dipulihkan.\n"
                          + "\n".join(problems[:20]))
    return manifest


def is_plain_relative(name):
    """A path the manifest may name: relative, written plainly, never climbing out."""
    if not isinstance(name, str):
        return False
    path = PurePosixPath(name)
    return (not path.is_absolute() and path.as_posix() == name
            and all(part not in ("", ".", "..") for part in path.parts))


def store_keys(store):
    """The key of every document in the store."""
    return (key for folder in SWEPT for key, _ in store.listing(f"{folder}/"))


def holds_data(data_dir):
    """True when the data dir has anything that starting the app in an empty one would not."""
    return data_dir.exists() and any(name not in FRESH for name in stored_files(data_dir))


def digest(path, copy_to=None):
    """{size, sha256} of a file; with copy_to, the file is copied there on the way."""
    sha256, size = hashlib.sha256(), 0
    with open(path, "rb") as file, (private_file(copy_to) if copy_to else nullcontext()) as out:
        while block := file.read(CHUNK):
            sha256.update(block)
            size += len(block)
            if out:
                out.write(block)
    return {"size": size, "sha256": sha256.hexdigest()}


def write_file(target, data):
    """Write bytes to a file readable by its owner only: their size and SHA-256."""
    private_dir(target.parent)
    with private_file(target) as out:
        out.write(data)
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def copy_file(source, target):
    """Copy one file, readable by its owner only: its size and SHA-256 as copied, or None
    when it was deleted meanwhile."""
    private_dir(target.parent)
    try:
        return digest(source, copy_to=target)
    except FileNotFoundError:
        return None


def private_file(path):
    """A file opened for writing that only its owner can read, whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return open(descriptor, "wb")


def private_dir(path):
    """The folder, and any missing parent, made readable by its owner only."""
    if not path.is_dir():
        private_dir(path.parent)
        path.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o700)
