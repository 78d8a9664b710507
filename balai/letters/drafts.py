"""A draft's syarat files and its sending, each checked and done in one transaction.

Attaching and removing a file refuse a request that was sent meanwhile, and sending checks the
answers and the mandatory syarat in the transaction that sends: a request is never sent
without its mandatory syarat, nor changed once sent. A stored file is kept only once its row
has committed; what a process killed outright leaves behind, the file sweep removes."""
from peewee import IntegrityError

from balai.db import db
from balai.letters.models import LetterRequest
from balai.letters.uploads import UploadError, delete_upload, save_upload
from balai.letters.workflow import WorkflowError


class NotReady(WorkflowError):
    """What the request still needs before it can be sent; `page` is where to fix it."""
    status = 422

    def __init__(self, message, page):
        super().__init__(message)
        self.page = page


def attach_file(req, key, file, claim=None):
    """Store the file and keep it for the requirement; the file it replaces is removed.
    `claim`, run in the attaching transaction, may answer False: the file is not wanted after
    all (a resumable upload that another request has just stored), and nothing changes."""
    attach_saved(req, key, save_upload(file), claim)


def attach_saved(req, key, saved, claim=None):
    """Keep a file already stored (`saved`: what save_upload answers) for the requirement."""
    kept = False
    try:
        with db.atomic():
            if claim and not claim():
                return
            replaced = req.attach(key, saved)
        kept = True
    except IntegrityError:  # the same requirement uploaded from two tabs at once
        raise UploadError("Berkas ini sedang diunggah dari halaman lain. Muat ulang halaman, "
                          "lalu periksa berkas yang tersimpan.") from None
    finally:
        if not kept:  # whatever stopped it, even the server killing the request (SystemExit)
            delete_upload(saved["stored_name"])
    if replaced:
        delete_upload(replaced)


def remove_file(req, key):
    """Remove the requirement's upload, its row first and then its file."""
    stored_name = req.detach(key)
    if stored_name:
        delete_upload(stored_name)


def not_ready(req):
    """NotReady when the request cannot be sent yet, else None."""
    if refused := req.person.letters_refused():
        return NotReady(refused, "show")
    if req.letter_type.details_errors(req.purpose, req.fields):
        return NotReady("Isian belum lengkap. Lengkapi dulu, lalu ajukan lagi.", "details")
    missing = ", ".join(r["label"] for r in req.missing_requirements())
    if missing:
        return NotReady(f"Syarat wajib belum lengkap: {missing}. Unggah dulu, lalu ajukan lagi.",
                        "requirements")
    return None


def submit(req, user, seen_version=None):
    """Send the request, checked as it is stored now, in the transaction that sends it."""
    with db.atomic():
        fresh = LetterRequest.get_by_id(req.id)
        problem = fresh.is_editable and not_ready(fresh)
        if problem:
            raise problem
        fresh.apply("ajukan", user, seen_version=seen_version)
