"""The service standard: the public page that publishes it (UU 25/2009) with last month's
record, and the operator's page of the village's own days off."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from playhouse.flask_utils import get_object_or_404

from balai.db import db
from balai.letters.forms import day_off_form
from balai.letters.letter_types import LetterType
from balai.letters.standards import month_figures, previous_month, today
from balai.letters.workdays import DayOff, nationally_working, upcoming_holidays
from balai.web.access import operator_required
from balai.web.filters import MONTHS, indonesian_date
from balai.web.page_cache import public_page

bp = Blueprint("standards", __name__)


@bp.route("/standar-pelayanan")
@public_page
def public():
    year, month = previous_month(today())
    return render_template("standards/public.html", letter_types=list(LetterType.available()),
                           figures=month_figures(year, month),
                           month=f"{MONTHS[month - 1]} {year}")


@bp.route("/operator/hari-libur", methods=["GET", "POST"])
@operator_required
def days_off():
    if request.method == "GET":
        return render_days_off({}, {})
    errors, values = day_off_form(request.form, nationally_working)
    if not errors and DayOff.add(**values) is None:
        errors = {"date": "Tanggal itu sudah tercatat sebagai hari libur desa."}
    if errors:
        return render_days_off(request.form, errors, 422)
    flash(f"{indonesian_date(values['date'])} dicatat sebagai hari libur desa.", "success")
    return redirect(url_for(".days_off"), 303)


@bp.post("/operator/hari-libur/<int:day_id>/hapus")
@operator_required
def remove_day_off(day_id):
    day = get_object_or_404(DayOff.select(), DayOff.id == day_id)
    with db.atomic():
        day.delete_instance()
    flash(f"{indonesian_date(day.date)} kembali menjadi hari kerja.", "success")
    return redirect(url_for(".days_off"), 303)


def render_days_off(form, errors, status=200):
    on = today()
    return render_template("standards/days_off.html", form=form, errors=errors,
                           days=DayOff.listed(on.replace(month=1, day=1)),
                           holidays=upcoming_holidays(on)), status
