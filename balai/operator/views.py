"""The village operator's pages: home, village profile and logo, register of outgoing letters."""
import logging

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404
from playhouse.shortcuts import model_to_dict

from balai.db import db, now
from balai.letters.models import LetterType
from balai.letters.register import RegisterEntry
from balai.media import logo_key
from balai.notify.models import Notification
from balai.notify.outbox import send
from balai.operator.forms import LOG_FILTERS, access_log_filters, village_form
from balai.people.audit import AccessLogEntry
from balai.people.models import Person, User
from balai.people.second_factor import SecondFactor
from balai.storage import documents
from balai.villages.models import Village
from balai.web.access import OFFICIAL_ROLES, operator_only
from balai.web.filters import indonesian_date
from balai.web.paging import page_of
from balai.web.spreadsheet import csv_download

bp = operator_only(Blueprint("operator", __name__, url_prefix="/operator"))
log = logging.getLogger(__name__)
ACCESS_LOG_PAGE = 50


def this_year():
    return Village.current().localtime(now()).year


@bp.route("/")
def index():
    counts = {"pending": User.pending_residents().count(), "people": Person.select().count(),
              "letter_types": LetterType.select().count(), "officials": User.officials().count(),
              "register": RegisterEntry.for_year(this_year()).count(),
              "failed": Notification.select().where(Notification.status == "failed").count()}
    return render_template("operator/index.html", counts=counts, year=this_year())


@bp.route("/profil", methods=["GET", "POST"])
def village():
    current = Village.current()
    if request.method == "GET":
        return render_template("operator/village.html", errors={}, form=model_to_dict(current))
    errors, values = village_form(request.form, request.files.get("logo"))
    if errors:
        return render_template("operator/village.html", errors=errors, form=request.form), 422
    with db.atomic():
        Village.update(values).where(Village.id == current.id).execute()
    flash("Profil desa sudah disimpan.", "success")
    return redirect(url_for("operator.village"), 303)


@bp.route("/profil/logo")
def logo():
    name = Village.current().logo
    if not name:
        abort(404)
    return documents().response(logo_key(name), "image/png")


SECOND_FACTOR_RESET = ("Operator desa mengatur ulang verifikasi dua langkah akun Anda. Anda dapat "
                       "masuk dengan kata sandi saja; pasang lagi verifikasi dua langkah setelah "
                       "masuk. Bila Anda tidak memintanya, segera hubungi kantor desa dan ganti "
                       "kata sandi Anda.")


# Here rather than beside the other account actions (balai.people): telling the official
# goes through the notification outbox, which the people area may not import.
@bp.route("/akun/<int:user_id>/dua-langkah/atur-ulang", methods=["POST"])
def reset_second_factor(user_id):
    """A lost phone: the official logs in with the password alone and sets it up again."""
    user = get_object_or_404(User.select().where(User.role.in_(OFFICIAL_ROLES)), User.id == user_id)
    with db.atomic():
        SecondFactor.reset(user)
        send(user, "akun", SECOND_FACTOR_RESET, url_for("second_factor.setup"),
             f"second-factor-reset:{now().isoformat()}", subject="Keamanan akun Anda")
    log.warning("second factor of %s reset by operator %s", user.username, current_user.username)
    flash(f"Verifikasi dua langkah {user.username} sudah diatur ulang. Ia dapat masuk dengan kata "
          "sandi saja, lalu memasangnya lagi.", "success")
    return redirect(url_for("accounts.index", _anchor="perangkat"), 303)


@bp.route("/log-akses")
def access_log():
    """The whole log, or what one official opened, one resident's data, between two days."""
    filters, errors = access_log_filters(request.args, Village.current().timezone)
    asked = {name: request.args[name] for name in (*LOG_FILTERS, "penduduk")  # for the pager
             if request.args.get(name) and not (name == "warga" and "warga" in errors)}
    return render_template(
        "operator/access_log.html", errors=errors, asked=asked,
        officials={str(u.id): f"{u.display_name} ({u.role_label})" for u in User.officials()},
        resident=Person.get_or_none(Person.id == filters["person"]) if filters["person"] else None,
        page=page_of(AccessLogEntry.filtered(**filters), ACCESS_LOG_PAGE)), 422 if errors else 200


@bp.route("/register")
def register():
    year = request.args.get("tahun", type=int) or this_year()
    years = sorted(set(RegisterEntry.years()) | {this_year()}, reverse=True)
    return render_template("operator/register.html", year=year, years=years,
                           rows=register_rows(year), indonesian_date=indonesian_date)


@bp.route("/register.csv")
def register_csv():
    year = request.args.get("tahun", type=int) or this_year()
    rows = [[row[key] for key in CSV_KEYS] for row in register_rows(year)]
    return csv_download(f"balai-register-{year}.csv", [CSV_COLUMNS, *rows])


def register_rows(year):
    """The register as plain rows, the same for the page, the print-out and the CSV."""
    village = Village.current()
    rows = []
    for entry in RegisterEntry.for_year(year):
        letter = entry.request
        issued = (letter.issued_at if letter and letter.issued_at else entry.created_at)
        rows.append({"number": entry.number, "date": village.localtime(issued).date(),
                     "type": letter.letter_type.name if letter else "",
                     "resident": letter.person.name if letter else "",
                     "status": entry.status, "label": entry.status_label,
                     "reason": entry.void_reason})
    return rows


CSV_COLUMNS = ("Nomor", "Tanggal", "Jenis surat", "Pemohon", "Status", "Alasan batal")
CSV_KEYS = ("number", "date", "type", "resident", "status", "reason")
