"""The public verification page that a letter's QR code opens."""
from flask import Blueprint, abort, render_template

from models import LetterRequest

bp = Blueprint("verify", __name__)


@bp.route("/verifikasi/<token>")
def letter(token):
    letter = LetterRequest.get_or_none(LetterRequest.verify_token == token)
    if letter is None or letter.status != "selesai":
        abort(404)
    return render_template("verify/letter.html", letter=letter)
