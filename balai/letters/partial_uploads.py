"""Syarat files sent in pieces on a weak signal, resumed where they stopped (tus 1.0 core
semantics on our own routes: the server reports the offset it holds; a piece is accepted only
at that offset).

The browser makes the upload's id once per chosen file, so the same id sent again (a retry, a
second tap) finds the same upload and never starts a second one. The offset is the size of the
bytes held on disk, written and fsynced before it is reported, so a process killed at any
moment loses nothing the browser was told is kept. When the last byte is in, the file goes
through the normal syarat upload (drafts.attach_file), and the upload is marked stored in the
transaction that attaches it: however many finish it at once, one file is kept.

The bytes live in DATA_DIR/partial/<id>; only the functions under "Bytes" touch them."""
import datetime
import os
import re
from pathlib import Path

from flask import current_app
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, IntegrityError
from werkzeug.datastructures import FileStorage

from balai.db import BaseModel, db, now
from balai.letters import drafts
from balai.letters.models import LetterRequest
from balai.letters.uploads import UploadError
from balai.letters.workflow import WorkflowError

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PIECE_MAX_BYTES = 1024 * 1024  # the browser sends 256 KB to 1 MB, as its line allows
ABANDONED_AFTER = datetime.timedelta(days=1)


class PartialUpload(BaseModel):
    """One file on its way to a requirement of a request; `stored_at` once it is attached."""
    upload_id = CharField(unique=True)
    request = ForeignKeyField(LetterRequest, backref="partial_uploads", on_delete="CASCADE")
    requirement_key = CharField()
    original_name = CharField()
    length = IntegerField()
    created_at = DateTimeField(default=now)
    stored_at = DateTimeField(null=True)

    @classmethod
    def begin(cls, req, key, upload_id, name, length):
        """The upload with this id: a new one, or the one the same id began before (None when
        that id belongs to another request or requirement)."""
        try:
            with db.atomic():
                return cls.create(upload_id=upload_id, request=req, requirement_key=key,
                                  original_name=name[:200], length=length)
        except IntegrityError:
            return cls.get_or_none((cls.upload_id == upload_id) & (cls.request == req)
                                   & (cls.requirement_key == key))

    @property
    def offset(self):
        return self.length if self.stored_at else held_size(self.upload_id)

    def append(self, offset, piece):
        """Keep a piece sent for `offset`: (kept, the offset now held). A piece for another
        offset is not kept (the caller answers 409 with the real one). The write lock of the
        transaction keeps two pieces of one upload from being written at once."""
        with db.atomic():
            held = PartialUpload.get_by_id(self.id).offset  # another request may have stored it
            if offset != held:
                return False, held
            return True, append_bytes(self.upload_id, piece) if piece else held

    def finish(self):
        """Store the complete file as a syarat, once; UploadError or WorkflowError when it is
        refused (the upload is then dropped: the resident chooses a file again)."""
        if self.stored_at:
            return
        try:
            with read_bytes(self.upload_id) as stream:
                drafts.attach_file(self.request, self.requirement_key,
                                   FileStorage(stream, filename=self.original_name),
                                   claim=self.claim)
        except FileNotFoundError:  # another request stored it (or refused it) meanwhile
            return
        except (UploadError, WorkflowError):
            self.drop()
            raise
        delete_bytes(self.upload_id)

    def claim(self):
        """In the attach transaction: mark the upload stored; False when another request has."""
        return bool(PartialUpload.update(stored_at=now())
                    .where((PartialUpload.id == self.id) & PartialUpload.stored_at.is_null())
                    .execute())

    def drop(self):
        """Forget the upload: its bytes, then its row (a kill between leaves the row, which the
        sweep drops again; never bytes that no row names)."""
        delete_bytes(self.upload_id)
        self.delete_instance()

    @classmethod
    def abandoned(cls):
        return cls.select().where(cls.created_at < now() - ABANDONED_AFTER)

    @classmethod
    def remove_abandoned(cls):
        """Drop the uploads begun over a day ago: stored ones are no longer asked about, the
        others were left half-way."""
        for upload in cls.abandoned():
            upload.drop()


# Bytes: the only code that knows they are files (object storage would replace these four).

def bytes_path(upload_id):
    if not ID_PATTERN.match(upload_id):
        raise ValueError("not an upload id")
    return Path(current_app.config["DATA_DIR"]) / "partial" / upload_id


def held_size(upload_id):
    """How many bytes are kept: what the last fsynced write left (a write cut by a kill leaves
    a prefix of its piece, still the right bytes at the right place)."""
    try:
        return bytes_path(upload_id).stat().st_size
    except FileNotFoundError:
        return 0


def append_bytes(upload_id, piece):
    path = bytes_path(upload_id)
    path.parent.mkdir(exist_ok=True)
    with open(path, "ab") as out:
        out.write(piece)
        out.flush()
        os.fsync(out.fileno())
        return out.tell()


def read_bytes(upload_id):
    return open(bytes_path(upload_id), "rb")


def delete_bytes(upload_id):
    bytes_path(upload_id).unlink(missing_ok=True)
