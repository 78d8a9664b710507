"""Issued letters: the file (for the applicant side and officials) and its revocation (for the
Kades or the operator)."""
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from balai.letters.models import NOTE_MAX, LetterRequest, WorkflowError
from balai.signing.models import signs_as_kades

bp = Blueprint("documents", __name__)


@bp.route("/surat/<int:request_id>/unduh")
@login_required
def letter_pdf(request_id):
    letter = LetterRequest.get_or_none(LetterRequest.id == request_id)
    if letter is None or not letter.pdf_file or not letter.can_view(current_user):
        abort(404)
    path = Path(current_app.config["LETTER_DIR"]) / letter.pdf_file
    response = send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=f"{letter.letter_type.slug}-{letter.id}.pdf", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def revocable_letter(request_id):
    """An issued letter for the Kades or the operator; 404 for residents, 403 other officials."""
    letter = LetterRequest.issued().where(LetterRequest.id == request_id).first()
    if letter is None or not current_user.is_official:
        abort(404)
    if not (current_user.role == "operator" or signs_as_kades(current_user)):
        abort(403)
    return letter


@bp.route("/surat-terbit/<int:request_id>/cabut", methods=["GET", "POST"])
@login_required
def revoke(request_id):
    letter = revocable_letter(request_id)
    if request.method == "GET":
        return revoke_page(letter)
    reason = request.form.get("reason", "")
    try:
        letter.revoke(current_user, reason)
    except WorkflowError as error:
        return revoke_page(letter, reason, {"reason": str(error)}), error.status
    flash(f"Surat nomor {letter.number} sudah dicabut. Pemohon diberi tahu.", "success")
    return redirect(url_for("documents.revoke", request_id=letter.id), 303)


def revoke_page(letter, reason="", errors=None):
    return render_template("letters/revoke.html", letter=letter, reason=reason,
                           errors=errors or {}, note_max=NOTE_MAX)
