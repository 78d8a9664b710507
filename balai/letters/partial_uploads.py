"""Syarat files sent in pieces on a weak signal, resumed where they stopped (tus 1.0 core
semantics on our own routes: the server reports the offset it holds; a piece is accepted only
at that offset). Any web node continues any upload: the pieces live in the document store.

The browser makes the upload's id once per chosen file, so the same id sent again (a retry, a
second tap) finds the same upload and never starts a second one. The offset is where the last
piece held ends; each piece is stored whole (fsynced in a folder) before the new offset is
reported, so a process killed at any moment loses nothing the browser was told is kept. When
the last byte is in, the file goes through the normal syarat upload (drafts.attach_file), and
the upload is marked stored in the transaction that attaches it: however many finish it at
once, one file is kept.

Only the functions under "Bytes" know how the pieces are stored."""
import datetime
import re
import tempfile

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, IntegrityError
from werkzeug.datastructures import FileStorage

from balai.db import db, now
from balai.letters import drafts
from balai.letters.models import LetterRequest
from balai.letters.uploads import UploadError
from balai.letters.workflow import WorkflowError
from balai.storage import documents
from balai.villages.models import VillageModel

ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
PIECE_MAX_BYTES = 1024 * 1024  # the browser sends 256 KB to 1 MB, as its line allows
ABANDONED_AFTER = datetime.timedelta(days=1)
SPOOLED_BYTES = 2 * 1024 * 1024  # a finished file larger than this is put together on disk


class PartialUpload(VillageModel):
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
            return True, append_bytes(self.upload_id, piece, held) if piece else held

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


# Bytes: each piece is a document of its own, `partial/<id>.<offset its bytes end at>` (zero
# padded, so the names sort in order), written whole (an object; in a folder a file renamed into
# place once fsynced) before its offset is reported. Any node finds every piece, and no piece is
# ever rewritten: no read-modify-write of one large object, and a process killed mid-write leaves
# the pieces before it. Nothing names them but the upload's row, so the sweep of unnamed
# documents (uploads/, letters/, keys/) and the backup leave partial/ alone.

PIECES = "partial"
OFFSET_DIGITS = 12


def pieces(upload_id):
    """The keys of the upload's pieces, in order."""
    if not ID_PATTERN.match(upload_id):
        raise ValueError("not an upload id")
    return sorted(key for key, _ in documents().listing(f"{PIECES}/{upload_id}."))


def held_size(upload_id):
    """How many bytes are kept: where the last piece ends."""
    keys = pieces(upload_id)
    return int(keys[-1].rpartition(".")[2]) if keys else 0


def append_bytes(upload_id, piece, held=None):
    """Keep a piece after the `held` bytes (by default, all those kept); the new offset."""
    end = (held_size(upload_id) if held is None else held) + len(piece)
    documents().put(f"{PIECES}/{upload_id}.{end:0{OFFSET_DIGITS}d}", piece, durable=True)
    return end


def read_bytes(upload_id):
    """The whole file, its pieces put together; FileNotFoundError when none is held."""
    keys = pieces(upload_id)
    if not keys:
        raise FileNotFoundError(upload_id)
    whole = tempfile.SpooledTemporaryFile(max_size=SPOOLED_BYTES)
    for key in keys:
        whole.write(documents().get(key))
    whole.seek(0)
    return whole


def delete_bytes(upload_id):
    for key in pieces(upload_id):
        documents().delete(key)
