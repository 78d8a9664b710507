"""Officials' inbox: what waits for their step, and approving, returning or rejecting it."""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from balai.letters.issuance import BATCH_MAX, approve, issue_many, signer_of
from balai.letters.models import LetterRequest, LetterType
from balai.letters.preview import preview_of
from balai.letters.register import RegisterEntry
from balai.letters.standards import mark_targets
from balai.letters.views.requests import viewable_request
from balai.letters.workflow import NOTE_MAX, REASON_CATEGORIES, NotOpened, WorkflowError
from balai.people.models import Person
from balai.signing.keys import SigningError
from balai.signing.models import signs_as_kades
from balai.signing.remote import accepts_totp
from balai.web.access import inbox_required
from balai.web.errors import error_page
from balai.web.htmx import is_htmx

bp = Blueprint("inbox", __name__)

SHOWN = 50  # the oldest first; the rest wait their turn (keeps the page small on a phone)
DONE_MESSAGES = {"setujui": "disetujui", "kembalikan": "dikembalikan kepada pemohon",
                 "tolak": "ditolak"}


@bp.context_processor
def decision_form():
    return {"note_max": NOTE_MAX, "reason_categories": REASON_CATEGORIES,
            "totp_allowed": accepts_totp(current_app.config)}


def official_letter(request_id):
    """The request, for an official who may see it (LetterRequest.can_view); 403 for any other."""
    return viewable_request(LetterRequest.select(LetterRequest, LetterType, Person)
                            .join(LetterType).switch(LetterRequest).join(Person)
                            .where(LetterRequest.id == request_id))


@bp.route("/kotak-masuk")
@inbox_required
def index():
    return render_inbox({})


def render_inbox(errors, picked=(), status=200):
    waiting = LetterRequest.inbox_for(current_user)
    held = list(RegisterEntry.held()) if signs_as_kades(current_user) else []
    requests = mark_targets(LetterRequest.tell_apart(list(waiting.limit(SHOWN))))
    return render_template("inbox/index.html", requests=requests,
                           total=waiting.count(), errors=errors, picked=picked,
                           batch_max=BATCH_MAX, held=held), status


@bp.route("/kotak-masuk/<int:request_id>")
@inbox_required
def detail(request_id):
    letter = official_letter(request_id)
    letter.record_view(current_user, "permohonan", letter.id)
    return render_template("inbox/detail.html", letter=letter, preview=preview_of(letter),
                           errors={}, note="", category="")


@bp.post("/kotak-masuk/<int:request_id>")
@inbox_required
def act(request_id):
    letter = official_letter(request_id)
    action, note = request.form.get("action"), request.form.get("note", "")
    category = request.form.get("category", "")
    version = request.form.get("version", -1, type=int)
    if action not in DONE_MESSAGES:
        abort(400)
    try:
        if action == "setujui":
            approve(letter, current_user, note, version, request.form.get("passphrase", ""),
                    request.form.get("cara", "passphrase"))
        else:
            letter.apply(action, current_user, note, version, category)
    except (WorkflowError, SigningError) as error:
        return refused(letter, error, note, category)
    message = f"{letter.letter_type.name} untuk {letter.person.name} {DONE_MESSAGES[action]}."
    if is_htmx():
        return render_template("inbox/_done.html", message=message)
    flash(message, "success")
    return redirect(url_for("inbox.index"), 303)


def refused(letter, error, note, category):
    """A note, reason category or passphrase to fix re-shows the form (422; a signing service
    that is down, 503); not opened yet sends the official to the request's page; out of turn
    (403) and stale (409) say why. The passphrase is never shown again."""
    if isinstance(error, NotOpened) and not is_htmx():  # its page is where to look first
        flash(str(error), "error")
        return redirect(url_for("inbox.detail", request_id=letter.id), 303)
    if is_htmx() or not (isinstance(error, SigningError) or error.status == 422):
        return error_page(str(error), error.status)
    field = "passphrase" if isinstance(error, SigningError) else f"{error.field}-{letter.id}"
    return render_template("inbox/detail.html", letter=letter, preview=preview_of(letter),
                           errors={field: str(error)}, note=note, category=category), error.status


@bp.post("/kotak-masuk/tandatangani")
@login_required
def sign_many():
    """The Kades approves and signs up to BATCH_MAX letters with one passphrase entry."""
    if not signs_as_kades(current_user):
        abort(403)
    picks = picked_letters(request.form.getlist("pilih"))
    try:
        signer = signer_of(current_user, request.form.get("passphrase", ""), current_app.config,
                           request.form.get("cara", "passphrase"))
    except SigningError as error:
        return render_inbox({"passphrase": str(error)}, dict(picks), error.status)
    outcomes = issue_many(picks, current_user, signer)
    return render_template("inbox/signed.html", outcomes=outcomes)


@bp.post("/kotak-masuk/nomor/<int:entry_id>/batal")
@login_required
def void_held(entry_id):
    """The Kades has checked a held number at the signing service: it is voided, with what
    they found; the request still waits for them and gets a new number when approved."""
    if not signs_as_kades(current_user):
        abort(403)
    entry = RegisterEntry.get_or_none(RegisterEntry.id == entry_id) or abort(404)
    note = request.form.get("note", "").strip()
    if len(note) > NOTE_MAX:
        return render_inbox({f"nomor-{entry.id}": f"Catatan terlalu panjang: paling banyak "
                                                  f"{NOTE_MAX} huruf (sekarang {len(note)})."},
                            status=422)
    reason = (f"Layanan tanda tangan elektronik tidak menjawab; diperiksa dan dibatalkan oleh "
              f"{current_user.display_name}" + (f": {note}" if note else "."))
    if entry.status == "tertahan" and entry.void(reason):
        flash(f"Nomor {entry.number} dicatat batal.", "success")
    else:
        flash(f"Nomor {entry.number} tidak sedang tertahan.", "info")
    return redirect(url_for("inbox.index"), 303)


def picked_letters(values):
    """(request id, seen version) of each ticked box; too few or too many re-show the inbox."""
    try:
        picks = dict(tuple(map(int, value.split(":"))) for value in values)
    except ValueError:
        abort(400)
    if not picks or len(picks) > BATCH_MAX:
        message = (f"Pilih paling banyak {BATCH_MAX} surat sekaligus (Anda memilih "
                   f"{len(picks)}). Kurangi pilihan, lalu tanda tangani lagi." if picks else
                   "Pilih dulu surat yang akan ditandatangani dengan mencentang kotaknya.")
        abort(make_response(render_inbox({"pilih": message}, picks, 422)))
    return list(picks.items())
