"""Officials' inbox: what waits for their step, and approving, returning or rejecting it."""
from flask import (Blueprint, abort, flash, make_response, redirect, render_template, request,
                   url_for)
from flask_login import current_user, login_required

from app import error_page
from htmx import is_htmx
from issuance import issue_letter
from models import LetterRequest, LetterType, Person
from models.letters import NOTE_MAX, WorkflowError

bp = Blueprint("inbox", __name__)

INBOX_ROLES = ("kasi_pem", "kasi_kesra", "sekdes", "kades")
DONE_MESSAGES = {"setujui": "disetujui", "kembalikan": "dikembalikan kepada pemohon",
                 "tolak": "ditolak"}


@bp.context_processor
def note_limit():
    return {"note_max": NOTE_MAX}


def official_letter(request_id):
    """The request, for an official whose step it concerns; 403 for anyone else."""
    if current_user.role not in INBOX_ROLES:
        abort(403)
    letter = (LetterRequest.select(LetterRequest, LetterType, Person).join(LetterType)
              .switch(LetterRequest).join(Person).where(LetterRequest.id == request_id).first())
    if letter is None:
        abort(404)
    if not letter.roles_of(current_user) & {"kasi", "sekdes", "kades"}:
        message = ("Permohonan ini diperiksa oleh Kasi lain, bukan oleh Anda. "
                   "Buka kotak masuk Anda untuk melihat tugas Anda.")
        abort(make_response(error_page(message, 403)))
    return letter


@bp.route("/kotak-masuk")
@login_required
def index():
    if current_user.role not in INBOX_ROLES:
        abort(403)
    return render_template("inbox/index.html", requests=LetterRequest.inbox_for(current_user))


@bp.route("/kotak-masuk/<int:request_id>")
@login_required
def detail(request_id):
    letter = official_letter(request_id)
    return render_template("inbox/detail.html", letter=letter, errors={}, note="")


@bp.post("/kotak-masuk/<int:request_id>")
@login_required
def act(request_id):
    letter = official_letter(request_id)
    action, note = request.form.get("action"), request.form.get("note", "")
    if action not in DONE_MESSAGES:
        abort(400)
    try:
        decide(letter, action, note, request.form.get("version", -1, type=int))
    except WorkflowError as error:
        return refused(letter, error, note)
    message = f"{letter.letter_type.name} untuk {letter.person.name} {DONE_MESSAGES[action]}."
    if is_htmx():
        return render_template("inbox/_done.html", message=message)
    flash(message, "success")
    return redirect(url_for("inbox.index"), 303)


def decide(letter, action, note, version):
    """The Kades's approval issues the letter; every other decision is one workflow step."""
    if action == "setujui" and letter.status == "diperiksa":
        issue_letter(letter.id, current_user, note, version)
    else:
        letter.apply(action, current_user, note, version)


def refused(letter, error, note):
    """A note to fix re-shows the form (422); out of turn (403) and stale (409) say why."""
    if error.status == 422 and not is_htmx():
        errors = {f"note-{letter.id}": str(error)}
        return render_template("inbox/detail.html", letter=letter, errors=errors, note=note), 422
    return error_page(str(error), error.status)
