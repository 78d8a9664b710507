"""Issued letters: the file (for the applicant side and officials) and its revocation (for the
Kades or the operator)."""
from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from balai.letters.issuance import letter_key
from balai.letters.models import LetterRequest
from balai.letters.views.requests import viewable_request
from balai.letters.workflow import NOTE_MAX, WorkflowError
from balai.storage import documents
from balai.web.access import permitted

bp = Blueprint("documents", __name__)


@bp.route("/surat/<int:request_id>/unduh")
@login_required
def letter_pdf(request_id):
    letter = viewable_request(LetterRequest.select().where(
        (LetterRequest.id == request_id) & LetterRequest.pdf_file.is_null(False)))
    letter.record_view(current_user, "surat", letter.id)
    return documents().response(letter_key(letter.pdf_file), "application/pdf",
                                as_attachment=True,
                                download_name=f"{letter.letter_type.slug}-{letter.id}.pdf")


@bp.route("/surat-terbit/<int:request_id>/cabut", methods=["GET", "POST"])
@login_required
def revoke(request_id):
    letter = permitted(LetterRequest.issued().where(LetterRequest.id == request_id).first(),
                       LetterRequest.can_revoke)
    if request.method == "GET":
        return revoke_page(letter)
    note = request.form.get("note", "")
    try:
        letter.revoke(current_user, note)
    except WorkflowError as error:
        return revoke_page(letter, note, {"note": str(error)}), error.status
    flash(f"Surat nomor {letter.number} sudah dicabut. Pemohon diberi tahu.", "success")
    return redirect(url_for("documents.revoke", request_id=letter.id), 303)


def revoke_page(letter, note="", errors=None):
    return render_template("letters/revoke.html", letter=letter, note=note,
                           errors=errors or {}, note_max=NOTE_MAX)
