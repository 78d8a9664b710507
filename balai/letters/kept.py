"""Dokumen saya: a resident's KTP and KK scans, kept (with their consent) for the next request.

A kept document is its own file under uploads/ (with its thumbnail), never shared with a
request: keeping copies a request's syarat, and using it copies it again into the request's own
syarat. So replacing or deleting a kept document never touches a request already sent, and the
retention of a finished request's syarat never touches the kept one. Kept documents stay until
the resident replaces or deletes them (they are theirs, like their account); an official sees
one only as the syarat of a request that uses it. Only the resident keeps and uses them: an
official filing a request at the counter is offered none."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, IntegrityError

from balai.db import db, now
from balai.letters import drafts
from balai.letters.uploads import UploadError, copied, delete_upload, save_upload, upload_key
from balai.people.models import Person
from balai.storage import documents
from balai.villages.models import VillageModel

KINDS = {"ktp": "KTP", "kk": "Kartu Keluarga"}  # the requirement keys a resident may keep
SAVED_FIELDS = ("stored_name", "content_type", "size", "original_name")


class KeptDocument(VillageModel):
    """One kept scan of a resident, by kind (a requirement key of KINDS)."""
    person = ForeignKeyField(Person, backref="kept_documents", on_delete="CASCADE")
    kind = CharField()
    original_name = CharField()
    stored_name = CharField(unique=True)
    content_type = CharField()
    size = IntegerField()
    kept_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("person", "kind"), True),)

    @property
    def label(self):
        return KINDS[self.kind]

    @property
    def is_image(self):
        return self.content_type.startswith("image/")

    def saved(self):
        return {name: getattr(self, name) for name in SAVED_FIELDS}

    @classmethod
    def of_person(cls, person_id):
        return {doc.kind: doc for doc in cls.select().where(cls.person == person_id)}

    @classmethod
    def find(cls, person_id, kind):
        return cls.get_or_none((cls.person == person_id) & (cls.kind == kind))


def may_keep(req, user):
    """Only the resident applying for themselves keeps and uses kept documents (never an
    official at the counter, who sees no resident's Dokumen saya)."""
    return not user.is_official and req.person_id == user.person_id and not req.filed_at_counter


def offered(req, user):
    """The kept documents this user may use for the request, by kind."""
    return KeptDocument.of_person(user.person_id) if may_keep(req, user) else {}


def keep(person_id, kind, saved):
    """Keep a stored file as the person's document of this kind; the one it replaces goes."""
    kept = False
    try:
        with db.atomic():
            old = KeptDocument.find(person_id, kind)
            if old:
                old.delete_instance()
            KeptDocument.create(person=person_id, kind=kind, **saved)
        kept = True
    except IntegrityError:  # kept from two tabs at once: the other one stays
        raise UploadError("Dokumen ini sedang disimpan dari halaman lain. "
                          "Muat ulang halaman.") from None
    finally:
        if not kept:
            delete_upload(saved["stored_name"])
    if old:
        delete_upload(old.stored_name)


def keep_upload(person_id, kind, file):
    """Check and keep a file sent on the Dokumen saya page."""
    keep(person_id, kind, save_upload(file))


def keep_attachment(person_id, attachment):
    """Keep a copy of a request's syarat, unless the kept one holds the same bytes already (the
    box left ticked while other files are sent, or a syarat that came from Dokumen saya);
    True when a copy was kept."""
    old = KeptDocument.find(person_id, attachment.requirement_key)
    if old and old.size == attachment.size and same_bytes(old.stored_name, attachment.stored_name):
        return False
    saved = {name: getattr(attachment, name) for name in SAVED_FIELDS}
    keep(person_id, attachment.requirement_key, copied(saved))
    return True


def same_bytes(name, other):
    return documents().get(upload_key(name)) == documents().get(upload_key(other))


def forget(person_id, kind):
    """Delete the person's document of this kind, its row first and then its file."""
    with db.atomic():
        old = KeptDocument.find(person_id, kind)
        if old:
            old.delete_instance()
    if old:
        delete_upload(old.stored_name)
    return old is not None


def use(req, doc):
    """A copy of the kept document becomes the request's syarat of its kind (replacing one)."""
    drafts.attach_saved(req, doc.kind, copied(doc.saved()))
