"""How long syarat scans are kept (UU PDP: no longer than their purpose needs).

Once a request is finished (issued, refused or cancelled) and SYARAT_RETENTION_DAYS have passed
since its last step, the worker's sweep deletes its uploaded files and their rows and records
that on the request's timeline. The issued letter, its register entry and the timeline stay."""
import datetime

from flask import current_app

from balai.db import db, now
from balai.letters.models import Attachment, LetterEvent, LetterRequest
from balai.letters.uploads import delete_upload
from balai.letters.workflow import FINISHED

FORGET = "hapus_syarat"  # the timeline event's action


def kept_for():
    return datetime.timedelta(days=int(current_app.config["SYARAT_RETENTION_DAYS"]))


def due(horizon_seconds):
    """Finished requests still holding syarat files due to go within the horizon, with when.

    A finished request changes no more (a revocation moves updated_at on, keeping it longer)."""
    until = now() + datetime.timedelta(seconds=horizon_seconds) - kept_for()
    rows = (LetterRequest.select(LetterRequest.id, LetterRequest.updated_at)
            .join(Attachment)
            .where(LetterRequest.status.in_(FINISHED) & (LetterRequest.updated_at <= until))
            .distinct())
    return [((row.id,), row.updated_at + kept_for()) for row in rows]


def forget(request_id):
    """Delete a finished request's syarat once they are due; safe to run twice.

    The files go first: should the worker stop halfway, the rows still name what is left, and
    the next sweep deletes it."""
    req = LetterRequest.get_or_none(LetterRequest.id == request_id)
    if req is None or req.status not in FINISHED or req.updated_at + kept_for() > now():
        return
    attachments = list(req.attachments)
    if not attachments:
        return
    for attachment in attachments:
        delete_upload(attachment.stored_name)
    with db.atomic():
        Attachment.delete().where(Attachment.id.in_([a.id for a in attachments])).execute()
        LetterEvent.create(request=req, actor=None, role="sistem", action=FORGET,
                           from_status=req.status, to_status=req.status)


def forgotten(req):
    """True when this request's syarat were deleted at the end of their retention."""
    return (req.status in FINISHED
            and req.events.where(LetterEvent.action == FORGET).exists())
