"""Where uploaded and generated documents live: syarat scans, letters, photos, the logo, the
encrypted signing keys. One interface, two places, chosen by BALAI_STORAGE_URL:

- a folder (the default: the data dir, as `uploads/`, `letters/`, `keys/` in it), or
- S3-compatible object storage, `s3://bucket/prefix` (boto3; the endpoint and credentials come
  from the standard AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
  AWS_DEFAULT_REGION variables, so MinIO, Garage or any S3 service works).

A document is named by a key such as "uploads/abc.jpg". Writing one is atomic (a reader sees the
old file, none, or the whole new one); nothing outside this module opens a document's path.
Documents are private: a page streams them through the app after its access check, never by a
link into the bucket. Databases, the queue and logs stay in the data dir.

Deleting waits while a backup holds deletions (see balai.backup): the app deletes a document
only after the row naming it is gone, so a backup's copy of the database names nothing its copy
of the documents lacks. The lock is a file lock in the data dir, shared by every process there,
or on PostgreSQL an advisory lock shared by every node."""
import fcntl
import os
import secrets
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from flask import abort, current_app, send_file

from balai.db import db
from balai.villages.context import current_village_id

UPLOADS, LETTERS, KEYS = "uploads", "letters", "keys"  # where each kind of document goes
PREVIEWS = "previews"  # images of draft letters, remade at will (balai.letters.preview)
LOCK_FILE = ".deletions.lock"
DELETIONS_LOCK = 0x42616C6164  # the advisory lock's key on PostgreSQL (next to dbms.WRITE_LOCK)
PARTIAL = ".partial-"  # a folder write in progress; never listed, never a key
VILLAGES = "villages"  # every village but the installation's first keeps its documents in here
FIRST_VILLAGE = 1  # its documents stay where a one-village install always kept them


def documents(app=None):
    """The app's document store (this app's, or the one handling the request)."""
    return (app or current_app).extensions["storage"]


def init_app(app):
    app.extensions["storage"] = from_url(app.config["STORAGE_URL"] or app.config["DATA_DIR"])


def from_url(url):
    """The store a BALAI_STORAGE_URL names: `s3://bucket/prefix`, or a folder's path."""
    parsed = urlparse(str(url))
    if parsed.scheme == "s3":
        return Bucket(parsed.netloc, parsed.path.strip("/"))
    if parsed.scheme not in ("", "file"):
        raise ValueError(f"BALAI_STORAGE_URL {url!r}: use a folder or s3://bucket/prefix")
    return Folder(parsed.path if parsed.scheme == "file" else url)


def document_key(folder, name):
    """The key of a document that a row names by its plain file name, in its folder of the
    current village."""
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"not a stored file name: {name!r}")
    return f"{village_folder(folder)}/{name}"


def village_folder(folder, village_id=None):
    """A folder of the current village's documents (or this village's): `folder` itself for
    the installation's first village, `villages/<id>/<folder>` for any other."""
    village_id = current_village_id() if village_id is None else village_id
    return folder if village_id == FIRST_VILLAGE else f"{VILLAGES}/{village_id}/{folder}"


def checked(key):
    """The key, once it is plain: relative, no empty, dot or hidden parts."""
    path = PurePosixPath(key)
    if (not key or path.as_posix() != key or path.is_absolute()
            or any(part.startswith(".") for part in path.parts)):
        raise ValueError(f"not a document key: {key!r}")
    return key


class Folder:
    """Documents as files under a folder (keys are paths relative to it), readable by the app's
    user only."""

    def __init__(self, root):
        self.root = Path(root)

    def __repr__(self):
        return f"Folder({str(self.root)!r})"

    def path(self, key):
        return self.root / checked(key)

    def put(self, key, data, durable=False):
        """Write the document whole; `durable`: on the disk (fsynced, file and folder) before
        this returns, so a power cut keeps what was reported as kept."""
        path = self.path(key)
        private_dir(path.parent)
        partial = path.with_name(f"{PARTIAL}{secrets.token_hex(8)}-{path.name}")
        try:
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with open(descriptor, "wb") as out:
                out.write(data)
                if durable:
                    out.flush()
                    os.fsync(out.fileno())
            os.replace(partial, path)
        except BaseException:  # SystemExit too: no partial file is left behind
            partial.unlink(missing_ok=True)
            raise
        if durable:
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)

    def get(self, key):
        """The document's bytes; FileNotFoundError when there is none."""
        return self.path(key).read_bytes()

    def exists(self, key):
        return self.path(key).is_file()

    def delete(self, key):
        self.path(key).unlink(missing_ok=True)

    def listing(self, prefix):
        """(key, modified as a Unix time) of every document whose key starts with prefix (a
        folder's, ending in "/", or the start of names in a folder)."""
        folder = prefix if prefix.endswith("/") else prefix.rpartition("/")[0]
        for parent, dirs, files in os.walk(self.root / folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(parent, name)
                key = path.relative_to(self.root).as_posix()
                if name.startswith(".") or not key.startswith(prefix):
                    continue
                try:
                    modified = path.stat().st_mtime
                except FileNotFoundError:  # deleted meanwhile
                    continue
                yield key, modified

    def response(self, key, mimetype, **options):
        """The document as a response (flask.send_file's options); 404 when there is none."""
        path = self.path(key)
        if not path.is_file():
            abort(404)
        return send_file(path, mimetype=mimetype, **options)


def private_dir(path):
    """The folder, and any missing parent, made readable by its owner only."""
    if not path.is_dir():
        private_dir(path.parent)
        path.mkdir(mode=0o700, exist_ok=True)


class Bucket:
    """Documents as objects in an S3 bucket, keys under a prefix."""

    def __init__(self, bucket, prefix=""):
        import boto3  # only a village that uses object storage needs it loaded
        from botocore.exceptions import ClientError
        self.client, self.ClientError = boto3.client("s3"), ClientError
        self.bucket, self.prefix = bucket, f"{prefix}/" if prefix else ""

    def __repr__(self):
        return f"Bucket({self.bucket!r}, {self.prefix!r})"

    def name(self, key):
        return self.prefix + checked(key)

    def put(self, key, data, durable=False):
        """Write the object whole (S3 keeps it durably once it answers)."""
        self.client.put_object(Bucket=self.bucket, Key=self.name(key), Body=data)

    def fetch(self, key):
        """get_object's answer; FileNotFoundError when there is no such object."""
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.name(key))
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(key) from None

    def get(self, key):
        with self.fetch(key)["Body"] as body:
            return body.read()

    def exists(self, key):
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.name(key))
        except self.ClientError as error:
            if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, key):
        self.client.delete_object(Bucket=self.bucket, Key=self.name(key))

    def listing(self, prefix):
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix)
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"].removeprefix(self.prefix), item["LastModified"].timestamp()

    def response(self, key, mimetype, **options):
        """The object streamed through the app, in chunks as the phone takes them."""
        try:
            found = self.fetch(key)
        except FileNotFoundError:
            abort(404)
        response = send_file(found["Body"], mimetype=mimetype, etag=found["ETag"].strip('"'),
                             last_modified=found["LastModified"], **options)
        if response.status_code == 200:
            response.content_length = found["ContentLength"]
        else:  # 304: the phone has it already
            found["Body"].close()
        return response


@contextmanager
def deletions_lock(data_dir, held=False):
    """Taken shared to delete; held (exclusive) by a backup, which no deletion then passes.
    On a database that several nodes share, the database's advisory lock: a backup on one node
    holds the deletions of every node."""
    if db.shared:
        with db.session_lock(DELETIONS_LOCK, exclusive=held):
            yield
        return
    with open(Path(data_dir) / LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX if held else fcntl.LOCK_SH)
        yield  # closing the file lets go


def delete_documents(*keys):
    """Delete documents once no row names them, in step with a backup."""
    with deletions_lock(current_app.config["DATA_DIR"]):
        for key in keys:
            documents().delete(key)
