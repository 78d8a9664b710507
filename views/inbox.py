"""Officials' inbox: what waits for their step, and approving, returning or rejecting it."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from models import LetterRequest

bp = Blueprint("inbox", __name__)


@bp.route("/kotak-masuk")
@login_required
def index():
    return render_template("inbox/index.html", requests=LetterRequest.inbox_for(current_user))
