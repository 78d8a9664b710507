"""A resident's account page: who they are here, and who has looked at their data."""
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from balai.people.audit import AccessLogEntry
from balai.web.paging import page_of

bp = Blueprint("profile", __name__)

PER_PAGE = 20


@bp.route("/akun")
@login_required
def index():
    if not current_user.person_id:  # officials have no population record to be looked at
        abort(404)
    return render_template("people/profile.html", person=current_user.person,
                           page=page_of(AccessLogEntry.about(current_user.person_id), PER_PAGE))
