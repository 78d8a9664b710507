"""A resident's letter requests: choose a type, fill, upload the requirements, submit, follow."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from models import LetterRequest

bp = Blueprint("letters", __name__)


@bp.route("/surat")
@login_required
def mine():
    requests = LetterRequest.of_person(current_user.person_id) if current_user.person_id else []
    return render_template("letters/mine.html", requests=requests)


@bp.route("/loket")
@login_required
def counter():
    return render_template("letters/mine.html", requests=[])
