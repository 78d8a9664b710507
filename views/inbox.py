"""Officials' inbox: what waits for their step, and approving, returning or rejecting it."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from models import LetterRequest

bp = Blueprint("inbox", __name__)

SHOWN = 50  # the oldest first; the rest wait their turn (keeps the page small on a phone)


@bp.route("/kotak-masuk")
@login_required
def index():
    waiting = LetterRequest.inbox_for(current_user)
    return render_template("inbox/index.html", requests=waiting.limit(SHOWN), total=waiting.count())
