"""Letter types, letter requests and their workflow, issued letters and their revocation."""
import datetime
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

from balai.db import BaseModel, JSONField, db, now
from balai.letters import notices
from balai.people.models import Person, User
from balai.signing.models import SignerCertificate, signs_as_kades


class WorkflowError(Exception):
    """An action that the workflow refuses; the message is for the person who tried it."""
    status = 409  # the HTTP status a view answers with: the request changed meanwhile


class OutOfTurn(WorkflowError):
    """The request does not wait for this user's step."""
    status = 403


class InvalidNote(WorkflowError):
    """A missing reason or a note over NOTE_MAX: the form must be fixed."""
    status = 422


class LetterType(BaseModel):
    """A kind of letter the village issues; rows are data, seeded and edited by the operator."""
    code = CharField()  # classification code, e.g. "470"
    slug = CharField(unique=True)
    name = CharField()
    verifier = CharField()  # "kasi_pem" or "kasi_kesra"
    requirements = JSONField(default=list)  # [{"key", "label", "mandatory"}]
    extra_fields = JSONField(default=list)  # [{"key", "label"}]
    body_template = TextField()
    validity_days = IntegerField(default=30)
    active = CharField(default="1")

    @classmethod
    def available(cls):
        return cls.select().where(cls.active == "1").order_by(cls.name)

    def details_errors(self, purpose, fields):
        """What is wrong with a request's purpose and extra fields, keyed by input name."""
        errors = {}
        for field in self.extra_fields:
            value = fields.get(field["key"], "")
            if not value:
                errors[field["key"]] = f"Isi {field['label'].lower()}."
            elif len(value) > FIELD_MAX:
                errors[field["key"]] = (f"{field['label']} terlalu panjang: paling banyak "
                                        f"{FIELD_MAX} huruf (sekarang {len(value)}).")
        if not purpose:
            errors["keperluan"] = "Tuliskan keperluan surat ini, misalnya: melamar pekerjaan."
        elif len(purpose) > PURPOSE_MAX:
            errors["keperluan"] = (f"Keperluan terlalu panjang: paling banyak {PURPOSE_MAX} "
                                   f"huruf (sekarang {len(purpose)}).")
        return errors


# States of a request, with the words a resident reads.
STATUS_LABELS = {
    "draf": "Draf (belum diajukan)",
    "diajukan": "Menunggu pemeriksaan Kasi",
    "diverifikasi": "Menunggu pemeriksaan Sekretaris Desa",
    "diperiksa": "Menunggu persetujuan Kepala Desa",
    "selesai": "Selesai, surat dapat diunduh",
    "dikembalikan": "Perlu diperbaiki",
    "ditolak": "Ditolak",
    "dibatalkan": "Dibatalkan",
}

# The workflow: (state, action, role) -> next state. "pemohon" is the applicant side: the
# resident, or the official who filed the request at the counter. "kasi" is the Kasi that the
# letter type names.
TRANSITIONS = {
    ("draf", "ajukan", "pemohon"): "diajukan",
    ("dikembalikan", "ajukan", "pemohon"): "diajukan",
    ("draf", "batalkan", "pemohon"): "dibatalkan",
    ("diajukan", "batalkan", "pemohon"): "dibatalkan",
    ("dikembalikan", "batalkan", "pemohon"): "dibatalkan",
    ("diajukan", "setujui", "kasi"): "diverifikasi",
    ("diajukan", "kembalikan", "kasi"): "dikembalikan",
    ("diajukan", "tolak", "kasi"): "ditolak",
    ("diverifikasi", "setujui", "sekdes"): "diperiksa",
    ("diverifikasi", "kembalikan", "sekdes"): "dikembalikan",
    ("diverifikasi", "tolak", "sekdes"): "ditolak",
    ("diperiksa", "setujui", "kades"): "selesai",
    ("diperiksa", "kembalikan", "kades"): "dikembalikan",
    ("diperiksa", "tolak", "kades"): "ditolak",
}
ACTION_LABELS = {"ajukan": "Diajukan", "batalkan": "Dibatalkan", "setujui": "Disetujui",
                 "kembalikan": "Dikembalikan untuk diperbaiki", "tolak": "Ditolak",
                 "terbit": "Surat terbit", "cabut": "Surat dicabut"}
NEEDS_REASON = {"kembalikan", "tolak"}
NOTE_MAX = 500
PURPOSE_MAX = 200
FIELD_MAX = 150
EDITABLE = ("draf", "dikembalikan")
OFFICIAL_STEP = {"diajukan": "kasi", "diverifikasi": "sekdes", "diperiksa": "kades"}


class LetterRequest(BaseModel):
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
        if self.status == "diajukan":
            return f"Menunggu pemeriksaan {'Kasi Pemerintahan' if self.letter_type.verifier == 'kasi_pem' else 'Kasi Kesra'}"
        return STATUS_LABELS[self.status]

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
            old = self.attachment_for(key)
            if old:
                old.delete_instance()
            Attachment.create(request=self, requirement_key=key, **saved)
        return old.stored_name if old else None

    def detach(self, key):
        """Remove a requirement's upload; return its file name (None when there was none)."""
        old = self.attachment_for(key)
        if old:
            old.delete_instance()
        return old.stored_name if old else None

    @classmethod
    def inbox_for(cls, user):
        """What waits for this official's step, oldest first."""
        filer = User.alias()  # who filed it: residents themselves, or an official at the counter
        query = (cls.select(cls, LetterType, Person, filer).join(LetterType)
                 .switch(cls).join(Person).switch(cls).join(filer, on=(cls.created_by == filer.id)))
        waiting = {"kasi_pem": (cls.status == "diajukan") & (LetterType.verifier == "kasi_pem"),
                   "kasi_kesra": (cls.status == "diajukan") & (LetterType.verifier == "kasi_kesra"),
                   "sekdes": cls.status == "diverifikasi"}.get(user.role)
        if signs_as_kades(user):
            at_kades = cls.status == "diperiksa"
            waiting = at_kades if waiting is None else (waiting | at_kades)
        if waiting is None:
            return query.where(False)
        return query.where(waiting).order_by(cls.submitted_at, cls.id)

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

    def roles_of(self, user):
        """The workflow roles this user holds for this request."""
        roles = set()
        if user.person_id == self.person_id or (self.filed_at_counter and user.id == self.created_by_id):
            roles.add("pemohon")
        if user.role == self.letter_type.verifier:
            roles.add("kasi")
        if user.role == "sekdes":
            roles.add("sekdes")
        if signs_as_kades(user):
            roles.add("kades")
        return roles

    def can_view(self, user):
        return user.is_official or "pemohon" in self.roles_of(user)

    def waits_for(self, user):
        """True when the next official step is this user's."""
        return OFFICIAL_STEP.get(self.status) in self.roles_of(user)

    def allowed_actions(self, user):
        roles = self.roles_of(user)
        return [action for (state, action, role) in TRANSITIONS
                if state == self.status and role in roles]

    def check(self, action, user, note="", seen_version=None):
        """The workflow role in which this user may take this action now; raise if not allowed.

        Stale page first (409), then whose turn it is (403), then the note (422)."""
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
        return role

    def apply(self, action, user, note="", seen_version=None, changes=None):
        """Move the request along the workflow and record the event; refuse what is not allowed.

        The update is a compare-and-set on the version, so two officials (or a double click)
        can never both move the same request. `changes` sets more fields in the same write
        (the number and file of an issued letter)."""
        role = self.check(action, user, note, seen_version)
        note = (note or "").strip()
        new_status = TRANSITIONS[(self.status, action, role)]
        extra = changes or {}
        with db.atomic():
            changes = {**extra, LetterRequest.status: new_status,
                       LetterRequest.updated_at: now(),
                       LetterRequest.version: LetterRequest.version + 1}
            if action == "ajukan":
                changes[LetterRequest.submitted_at] = now()
            moved = (LetterRequest.update(changes)
                     .where((LetterRequest.id == self.id) & (LetterRequest.version == self.version))
                     .execute())
            if not moved:
                raise WorkflowError("Permohonan ini baru saja diproses orang lain. "
                                    "Muat ulang halaman untuk melihat keadaan terbaru.")
            for field, value in extra.items():  # the notifications name the issued number
                setattr(self, field.name, value)
            event = LetterEvent.create(request=self, actor=user, role=user.role, action=action,
                                       from_status=self.status, to_status=new_status, note=note)
            notices.step_taken(event)  # same transaction: the event and its notifications
        self.status, self.version = new_status, self.version + 1
        return event

    def timeline(self):
        return self.events.order_by(LetterEvent.at, LetterEvent.id)

    def attachment_for(self, key):
        return self.attachments.where(Attachment.requirement_key == key).first()

    def missing_requirements(self):
        have = {a.requirement_key for a in self.attachments}
        return [r for r in self.letter_type.requirements if r["mandatory"] and r["key"] not in have]


class Attachment(BaseModel):
    """An uploaded requirement (syarat); the file lives under data/uploads with a random name."""
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


class LetterEvent(BaseModel):
    """One step in a request's timeline: who did what, in which role, when, and why."""
    request = ForeignKeyField(LetterRequest, backref="events", on_delete="CASCADE")
    actor = ForeignKeyField(User, null=True)
    role = CharField()
    action = CharField()
    from_status = CharField()
    to_status = CharField()
    note = TextField(default="")
    at = DateTimeField(default=now)

    @property
    def action_label(self):
        return ACTION_LABELS.get(self.action, self.action)


def new_verify_token():
    return secrets.token_urlsafe(24)
