"""Issued letters as files: only the applicant side and officials may download them."""
from pathlib import Path

from flask import Blueprint, abort, current_app, send_file
from flask_login import current_user, login_required

from models import LetterRequest

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
