"""The public verification pages: what a letter's QR code opens, and checking a PDF file."""
from flask import Blueprint, render_template, request

from balai.letters.models import LetterRequest
from balai.signing import pdf_check
from balai.signing.models import VerifyHit

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
    return with_checked_upload("verify/letter.html", letter=letter)


@bp.route("/verifikasi", methods=["GET", "POST"])
def upload():
    return with_checked_upload("verify/upload.html")


def with_checked_upload(template, **context):
    """The page, with the verdict on a posted PDF (422 when the file cannot be checked)."""
    verdict = error = None
    if request.method == "POST":
        try:
            data = pdf_check.read_upload(request.files.get("berkas"))
            verdict = pdf_check.check_pdf(data, LetterRequest.issued_lookup)
        except pdf_check.UploadError as problem:
            error = str(problem)
    page = render_template(template, verdict=verdict, error=error, **context)
    return page, 422 if error else 200
