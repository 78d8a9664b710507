"""The public verification pages: what a letter's QR code opens, and checking a PDF file."""
from flask import Blueprint, render_template, request

import pdf_check
from models import LetterRequest, VerifyHit

bp = Blueprint("verify", __name__)


def masked_name(name):
    """Enough of the name to recognise it on the paper, too little to learn it: "Bu** Sa*****"."""
    return " ".join(word[:2] + "*" * max(len(word) - 2, 1) for word in name.split())


@bp.before_request
def rate_limit():
    """N looks a minute per client address, counted in the database (every worker sees it)."""
    if not VerifyHit.allow(request.remote_addr or ""):
        return render_template("verify/too_many.html"), 429, {"Retry-After": "60"}


@bp.errorhandler(413)
def too_large(error):
    """Over the app's request limit: the same message as for a file over 10 MB."""
    return render_template("verify/upload.html", verdict=None, error=pdf_check.TOO_LARGE), 413


@bp.context_processor
def helpers():
    return {"masked_name": masked_name}


@bp.route("/verifikasi/<path:token>", methods=["GET", "POST"])
def letter(token):
    letter = LetterRequest.by_token(token)
    if letter is None:
        return render_template("verify/not_found.html"), 404
    verdict, error = checked_upload()
    return (render_template("verify/letter.html", letter=letter, verdict=verdict, error=error),
            422 if error else 200)


@bp.route("/verifikasi", methods=["GET", "POST"])
def upload():
    verdict, error = checked_upload()
    return render_template("verify/upload.html", verdict=verdict, error=error), 422 if error else 200


def checked_upload():
    """(verdict, None) for a posted PDF, (None, message) for an unusable file, (None, None) on GET."""
    if request.method != "POST":
        return None, None
    try:
        data = pdf_check.read_upload(request.files.get("berkas"))
    except pdf_check.UploadError as error:
        return None, str(error)
    return pdf_check.check_pdf(data, LetterRequest.issued_lookup), None
