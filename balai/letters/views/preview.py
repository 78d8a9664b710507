"""The draft letter on the page where officials decide a request: its page images, asked for
from the worker (balai/letters/preview.py), and the piece of page htmx polls until they are."""
from flask import Blueprint, abort, render_template

from balai.letters.preview import LetterPreview, page_key, preview_of
from balai.letters.views.inbox import official_letter
from balai.storage import documents
from balai.web.access import inbox_required

bp = Blueprint("letter_preview", __name__)


@bp.route("/kotak-masuk/<int:request_id>/pratinjau")
@inbox_required
def status(request_id):
    letter = official_letter(request_id)
    preview = preview_of(letter)
    if preview is None:  # decided meanwhile: the piece goes, and the polling with it
        return ""
    return render_template("inbox/_preview.html", letter=letter, preview=preview)


@bp.route("/kotak-masuk/<int:request_id>/pratinjau/<int:version>/<int:page>.png")
@inbox_required
def page(request_id, version, page):
    letter = official_letter(request_id)
    row = LetterPreview.get_or_none(LetterPreview.request == letter.id)
    if not (row and row.version == version == letter.version and 1 <= page <= row.pages):
        abort(404)
    key = page_key(letter.id, version, page)
    if not documents().exists(key):
        LetterPreview.lost(letter.id)
        abort(404)
    return documents().response(key, "image/png")
