"""A resident's account page: their record, who has looked at their data, and the copy of
all of it they may download at any time."""
from flask import Blueprint, current_app, render_template, send_file
from flask_login import current_user

from balai.db import now
from balai.people.audit import AccessLogEntry
from balai.privacy import export
from balai.villages.models import Village
from balai.web.access import role_required
from balai.web.paging import page_of

bp = Blueprint("privacy", __name__)
resident_required = role_required("warga")
LOOKS_SHOWN = 20  # officials' looks at their data, a page


@bp.route("/akun")
@resident_required
def account():
    return render_template("privacy/account.html", person=current_user.person,
                           retention_days=current_app.config["SYARAT_RETENTION_DAYS"],
                           page=page_of(AccessLogEntry.about(current_user.person_id), LOOKS_SHOWN))


@bp.route("/akun/data-saya.zip")
@resident_required
def download():
    today = Village.current().localtime(now()).date()
    return send_file(export.archive(current_user), mimetype="application/zip",
                     as_attachment=True, download_name=f"data-saya-{today}.zip")
