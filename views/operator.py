"""The village operator's pages: village profile, population records, accounts, register."""
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

bp = Blueprint("operator", __name__, url_prefix="/operator")


@bp.before_request
@login_required
def only_operator():
    if current_user.role != "operator":
        abort(403)


@bp.route("/")
def index():
    return render_template("operator/index.html")
