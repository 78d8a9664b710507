"""Letter requests moved along the workflow (its table is workflow.py; who may do what with a
request is access.py), issued letters and their revocation; the types of letter are in
letter_types.py."""
import datetime
import functools
import operator
import secrets

from peewee import (
    JOIN,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    IntegrityError,
    TextField,
)

from balai.db import JSONField, db, now
from balai.letters import counting, notices
from balai.letters.access import RequestAccess, kasi_turn
from balai.letters.letter_types import LetterType
from balai.letters.workflow import (
    ACTION_LABELS,
    EDITABLE,
    ISSUING_STEP,
    NEEDS_REASON,
    NO_CATEGORY,
    NOT_EDITABLE,
    NOT_RECORDED,
    NOTE_MAX,
    REASON_CATEGORIES,
    STEPS,
    TRANSITIONS,
    InvalidCategory,
    InvalidNote,
    Move,
    OutOfTurn,
    WorkflowError,
    official_roles,
)
from balai.people.models import Person, User
from balai.signing.models import SignerCertificate
from balai.villages.models import Village, VillageModel
from balai.web.access import ROLES


class LetterRequest(RequestAccess, VillageModel):
    """A resident's request for a letter, from draft to issued letter."""
    person = ForeignKeyField(Person, backref="letter_requests")
    letter_type = ForeignKeyField(LetterType)
    status = CharField(default="draf", index=True)
    purpose = TextField(default="")
    fields = JSONField(default=dict)
    created_by = ForeignKeyField(User, backref="filed_requests")
    form_key = CharField(unique=True)  # the new-request form's nonce: a double submit is one request
    created_at = DateTimeField(default=now)
    submitted_at = DateTimeField(null=True, index=True)
    updated_at = DateTimeField(default=now)
    version = IntegerField(default=0)  # bumped at each transition, so a stale page is noticed
    number = CharField(null=True, unique=True)
    issued_at = DateTimeField(null=True)
    pdf_file = CharField(null=True)
    verify_token = CharField(null=True, unique=True)
    sha256 = CharField(null=True, index=True)  # of the issued (signed) file
    signer = ForeignKeyField(SignerCertificate, null=True)
    signed_at = DateTimeField(null=True)  # UTC, the time recorded in the signature
    revoked_at = DateTimeField(null=True)
    revoked_reason = TextField(default="")
    revoked_by = ForeignKeyField(User, null=True)

    class Meta:
        indexes = ((("status", "submitted_at"), False),)

    @property
    def status_label(self):
        if self.revoked_at:
            return "Surat dicabut"
        return STEPS[self.status].label.format(kasi=self.kasi_title)

    @property
    def next_step(self):
        return STEPS[self.status].next

    @property
    def issues_on_approval(self):
        return self.status == ISSUING_STEP

    @property
    def is_editable(self):
        return self.status in EDITABLE

    @property
    def filed_at_counter(self):
        return self.created_by.person_id != self.person_id

    @classmethod
    def of_person(cls, person):
        return (cls.select(cls, LetterType).join(LetterType)
                .where(cls.person == person).order_by(cls.created_at.desc()))

    @classmethod
    def filed_by(cls, user):
        """Requests an official filed at the counter for residents, newest first."""
        return (cls.select(cls, LetterType, Person).join(LetterType).switch(cls).join(Person)
                .where(cls.created_by == user).order_by(cls.created_at.desc()))

    @classmethod
    def start(cls, person, letter_type, user, form_key):
        """A new draft; the same form sent twice gives back the draft made the first time."""
        try:
            with db.atomic():
                return cls.create(person=person, letter_type=letter_type, created_by=user,
                                  form_key=form_key)
        except IntegrityError:
            return cls.get_or_none((cls.form_key == form_key) & (cls.person == person)
                                   & (cls.created_by == user))

    def save_details(self, purpose, fields):
        """Store the form's answers while the request is still editable; False when it is not."""
        return bool(LetterRequest.update(purpose=purpose, fields=fields, updated_at=now())
                    .where((LetterRequest.id == self.id) & LetterRequest.status.in_(EDITABLE))
                    .execute())

    def attach(self, key, saved):
        """Keep an upload for a requirement, replacing the earlier one; return the old file name."""
        with db.atomic():
            self.refuse_unless_editable()
            old = self.attachment_for(key)
            if old:
                old.delete_instance()
            Attachment.create(request=self, requirement_key=key, **saved)
        return old.stored_name if old else None

    def detach(self, key):
        """Remove a requirement's upload; return its file name (None when there was none)."""
        with db.atomic():
            self.refuse_unless_editable()
            old = self.attachment_for(key)
            if old:
                old.delete_instance()
        return old.stored_name if old else None

    def refuse_unless_editable(self):
        """Inside the transaction that changes it: WorkflowError once the request was sent."""
        if not LetterRequest.select().where((LetterRequest.id == self.id)
                                            & LetterRequest.status.in_(EDITABLE)).exists():
            raise WorkflowError(NOT_EDITABLE)

    @classmethod
    def inbox_for(cls, user):
        """What waits for this official's step, oldest first: roles_of as a query, so the Kasi
        step follows kasi_role and nothing the official filed themselves waits for them."""
        filer = User.alias()  # who filed it: residents themselves, or an official at the counter
        query = (cls.select(cls, LetterType, Person, filer).join(LetterType)
                 .switch(cls).join(Person).switch(cls).join(filer, on=(cls.created_by == filer.id)))
        roles = official_roles(user)
        waiting = [(cls.status == state) & kasi_turn(user, LetterType.verifier, filer.role)
                   if step.official == "kasi" else cls.status == state
                   for state, step in STEPS.items() if step.official in roles]
        if not waiting:
            return query.where(False)
        return (query.where(functools.reduce(operator.or_, waiting)
                            & (cls.created_by != user.id))
                .order_by(cls.submitted_at, cls.id))

    @staticmethod
    def tell_apart(requests):
        """What tells the inbox's rows apart, for all of them in two queries: each request's
        `attached` syarat (their labels) and whether it was `sent_again` after a return."""
        ids = [r.id for r in requests]
        keys = {}
        for att in Attachment.select(Attachment.request, Attachment.requirement_key).where(
                Attachment.request.in_(ids)):
            keys.setdefault(att.request_id, set()).add(att.requirement_key)
        again = {event.request_id for event in LetterEvent.select(LetterEvent.request).where(
            LetterEvent.request.in_(ids) & (LetterEvent.action == "ajukan")
            & (LetterEvent.from_status == "dikembalikan"))}
        for r in requests:
            r.attached = [q["label"] for q in r.letter_type.requirements
                          if q["key"] in keys.get(r.id, ())]
            r.sent_again = r.id in again
        return requests

    @property
    def reference(self):
        """How the office and the resident name a request before it has a letter number."""
        return f"P-{self.id:05d}"

    @property
    def waiting_age(self):
        """How long the request has waited since it was submitted, in words."""
        waited = now() - (self.submitted_at or self.created_at)
        if waited.days:
            return f"{waited.days} hari"
        hours = waited.seconds // 3600
        return f"{hours} jam" if hours else "baru saja"

    @property
    def valid_until(self):
        return self.issued_at + datetime.timedelta(days=self.letter_type.validity_days)

    @property
    def validity(self):
        """What the verification page says: "dicabut", "kedaluwarsa" or "berlaku"."""
        if self.revoked_at:
            return "dicabut"
        return "kedaluwarsa" if now() > self.valid_until else "berlaku"

    @classmethod
    def issued(cls):
        return (cls.select(cls, LetterType, Person, SignerCertificate).join(LetterType)
                .switch(cls).join(Person).switch(cls)
                .join(SignerCertificate, JOIN.LEFT_OUTER)
                .where(cls.status == "selesai"))

    @classmethod
    def by_token(cls, token):
        return cls.issued().where(cls.verify_token == token).first()

    @classmethod
    def issued_lookup(cls, digest, token):
        """pdf_check's lookup: (letter, sha256 of its issued file) by the file's hash, else by
        the token its signature names; None when this village issued no such letter."""
        letter = (cls.issued().where(cls.sha256 == digest).first()
                  or (token and cls.issued().where(cls.verify_token == token).first()))
        return (letter, letter.sha256) if letter else None

    def revoke(self, user, reason):
        """Withdraw an issued letter (Kades or operator) and tell the resident, in one step."""
        reason = (reason or "").strip()
        if not reason:
            raise InvalidNote("Tuliskan alasan pencabutan; alasan ini tampil di halaman "
                              "verifikasi surat.")
        if len(reason) > NOTE_MAX:
            raise InvalidNote(f"Alasan terlalu panjang: paling banyak {NOTE_MAX} huruf "
                              f"(sekarang {len(reason)}).")
        with db.atomic():
            moved = (LetterRequest.update(revoked_at=now(), revoked_reason=reason,
                                          revoked_by=user, updated_at=now())
                     .where((LetterRequest.id == self.id) & (LetterRequest.status == "selesai")
                            & LetterRequest.revoked_at.is_null())
                     .execute())
            if not moved:
                raise WorkflowError("Surat ini belum terbit atau sudah dicabut. Muat ulang "
                                    "halaman untuk melihat keadaannya.")
            LetterEvent.create(request=self, actor=user, role=user.role, action="cabut",
                               from_status="selesai", to_status="selesai", note=reason)
            notices.letter_revoked(self, reason)
        return LetterRequest.get_by_id(self.id)

    def allowed_actions(self, user):
        roles = self.roles_of(user)
        return [action for (state, action, role) in TRANSITIONS
                if state == self.status and role in roles]

    def check(self, action, user, note="", seen_version=None, category=None):
        """The Move this user may make with this action now; raise if it is not allowed.

        Stale page first (409), then whose turn it is (403), then the note and, for a return
        or rejection, its REASON_CATEGORIES key (422)."""
        if seen_version is not None and int(seen_version) != self.version:
            raise WorkflowError("Permohonan ini sudah diproses atau berubah sejak halaman Anda "
                                "dibuka. Muat ulang halaman untuk melihat keadaan terbaru.")
        role = next((r for (s, a, r) in TRANSITIONS
                     if s == self.status and a == action and r in self.roles_of(user)), None)
        if role is None:
            raise OutOfTurn("Tindakan ini tidak dapat dilakukan: permohonan tidak sedang "
                            "menunggu Anda. Muat ulang halaman untuk melihat keadaannya.")
        note = (note or "").strip()
        if action in NEEDS_REASON and not note:
            raise InvalidNote("Tuliskan alasannya agar pemohon tahu apa yang harus dilakukan.")
        if len(note) > NOTE_MAX:
            raise InvalidNote(f"Catatan terlalu panjang: paling banyak {NOTE_MAX} huruf "
                              f"(sekarang {len(note)}).")
        if action in NEEDS_REASON and category not in REASON_CATEGORIES:
            raise InvalidCategory(NO_CATEGORY)
        return Move(action, role, self.status, TRANSITIONS[(self.status, action, role)], note,
                    category if action in NEEDS_REASON else None)

    def apply(self, action, user, note="", seen_version=None, category=None):
        """Move the request along the workflow and record the event; refuse what is not allowed."""
        return self.take(self.check(action, user, note, seen_version, category), user)

    def take(self, move, user, changes=None):
        """Write a move that check allowed, with its event and notifications, in one transaction.

        The update is a compare-and-set on the version, so two officials (or a double click)
        can never both move the same request. `changes` sets more fields in the same write
        (the number and file of an issued letter)."""
        extra = changes or {}
        with db.atomic():
            changes = {**extra, LetterRequest.status: move.to_status,
                       LetterRequest.updated_at: now(),
                       LetterRequest.version: LetterRequest.version + 1}
            if move.action == "ajukan":
                changes[LetterRequest.submitted_at] = now()
            moved = (LetterRequest.update(changes)
                     .where((LetterRequest.id == self.id) & (LetterRequest.version == self.version))
                     .execute())
            if not moved:
                raise WorkflowError("Permohonan ini baru saja diproses orang lain. "
                                    "Muat ulang halaman untuk melihat keadaan terbaru.")
            for field, value in extra.items():  # the notifications name the issued number
                setattr(self, field.name, value)
            event = LetterEvent.create(request=self, actor=user, role=user.role,
                                       action=move.action, from_status=move.from_status,
                                       to_status=move.to_status, note=move.note,
                                       reason_category=move.category)
            notices.step_taken(event)  # same transaction: the event and its notifications
        self.status, self.version = move.to_status, self.version + 1
        return event

    def timeline(self):
        return self.events.order_by(LetterEvent.at, LetterEvent.id)

    def attachment_for(self, key):
        return self.attachments.where(Attachment.requirement_key == key).first()

    def missing_requirements(self):
        have = {a.requirement_key for a in self.attachments}
        return [r for r in self.letter_type.requirements if r["mandatory"] and r["key"] not in have]


class Attachment(VillageModel):
    """An uploaded requirement (syarat); the file lives under uploads/ in the document store
    (balai.storage) with a random name."""
    request = ForeignKeyField(LetterRequest, backref="attachments", on_delete="CASCADE")
    requirement_key = CharField()
    original_name = CharField()
    stored_name = CharField(unique=True)
    content_type = CharField()
    size = IntegerField()
    uploaded_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("request", "requirement_key"), True),)

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class LetterEvent(VillageModel):
    """One step in a request's timeline: who did what, in which role, when, and why."""
    request = ForeignKeyField(LetterRequest, backref="events", on_delete="CASCADE")
    actor = ForeignKeyField(User, null=True)
    role = CharField()
    action = CharField()
    from_status = CharField()
    to_status = CharField()
    note = TextField(default="")
    at = DateTimeField(default=now)
    reason_category = CharField(null=True)  # a REASON_CATEGORIES key: returns and rejections

    def save(self, *args, **kwargs):
        """A new event moves the daily counts too (balai.letters.counting), in its transaction:
        an event undone is a count undone."""
        new = self.id is None
        with db.atomic():
            saved = super().save(*args, **kwargs)
            if new:
                earlier = (LetterEvent.select().where((LetterEvent.request == self.request_id)
                                                      & (LetterEvent.id < self.id))
                           .order_by(LetterEvent.at, LetterEvent.id))
                slug = (LetterType.select(LetterType.slug).join(LetterRequest)
                        .where(LetterRequest.id == self.request_id).scalar())
                counting.count_one(Village.current(), slug, self, list(earlier))
        return saved

    @classmethod
    def counted(cls):
        """Every event as balai.letters.counting.recount reads them, request by request."""
        return (cls.select(cls.request, LetterType.slug, cls.action, cls.from_status,
                           cls.to_status, cls.role, cls.actor, cls.at)
                .join(LetterRequest).join(LetterType)
                .order_by(cls.request, cls.at, cls.id).tuples())

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def category_label(self):
        """The kind of reason of a return or rejection; older ones have none recorded."""
        return REASON_CATEGORIES.get(self.reason_category, NOT_RECORDED)

    @property
    def actor_label(self):
        """Who took the step, as the timeline names them: an official with the role they held
        then ("Dedi Kurniawan (Kasi Pemerintahan)"), a resident by name alone."""
        if not self.actor:
            return "sistem"
        name = self.actor.display_name
        return name if self.role == "warga" else f"{name} ({ROLES.get(self.role, self.role)})"


def new_verify_token():
    return secrets.token_urlsafe(24)
