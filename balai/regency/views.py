"""The regency's pages (role kabupaten): the list of villages and the figures across them, with
a CSV per figure, read across villages from the count tables alone; and the forms that add a
village and its operator's account, which write into that village alone."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from balai.figures import views as figures_page
from balai.founding.village import FoundingError, add_village
from balai.people.forms import USERNAME_TAKEN
from balai.people.models import User
from balai.regency import figures as regency_figures
from balai.regency.forms import VILLAGE_ORDER, operator_form, village_form
from balai.villages.context import across_villages, village_context
from balai.villages.models import Village
from balai.web.access import role_required
from balai.web.forms import in_order
from balai.web.spreadsheet import csv_download

bp = Blueprint("regency", __name__, url_prefix="/kabupaten")
bp.before_request(role_required("kabupaten")(lambda: None))


def asked_period():
    """The months asked for, on the regency's clock: its first village's."""
    first = Village.listed().first()
    return figures_page.asked_period(first.timezone if first else None)


@bp.route("/")
def index():
    with across_villages():
        period, _, _ = asked_period()
        villages = list(Village.listed())
        totals = regency_figures.village_totals(period)
        operators = User.operators_by_village()
    return render_template("regency/index.html", villages=villages, totals=totals,
                           period=period, operators=operators)


@bp.route("/desa/baru", methods=["GET", "POST"])
def new_village():
    with across_villages():
        hostless = Village.get_or_none(Village.host.is_null())  # it ran alone, on any host
    if request.method == "GET":
        return render_template("regency/village_form.html", errors={}, hostless=hostless,
                               form={"from_template": "1"})
    try:
        _, made, to_do = add_village(**village_form(request.form))
    except FoundingError as error:
        return render_template("regency/village_form.html", form=request.form, hostless=hostless,
                               errors=in_order(error.errors, VILLAGE_ORDER)), 422
    flash(f"Desa baru dibuat: {'; '.join(made)}.", "success")
    flash(f"Masih perlu: {' '.join(to_do)}", "info")
    return redirect(url_for("regency.index"), 303)


@bp.route("/desa/<int:village_id>/operator", methods=["GET", "POST"])
def new_operator(village_id):
    with across_villages():
        target = Village.get_or_none(Village.id == village_id)
    if target is None:
        abort(404)
    if request.method == "GET":
        return render_template("regency/operator_form.html", target=target, errors={}, form={})
    with village_context(target.id):  # its rules (no village name in the password) and its rows
        errors, values = operator_form(request.form)
        if not errors and User.add_official(**values) is None:
            errors["username"] = USERNAME_TAKEN
    if errors:
        return render_template("regency/operator_form.html", target=target, errors=errors,
                               form=request.form), 422
    flash(f"Akun operator {values['username']} untuk {target.name} sudah dibuat. Ia masuk di "
          f"situs desa itu ({target.host or target.public_url}), lalu dapat mengganti kata "
          "sandinya sendiri.", "success")
    return redirect(url_for("regency.index"), 303)


@bp.route("/angka")
def figures():
    with across_villages():
        period, asked, errors = asked_period()
        shown = regency_figures.figures(period)
    return render_template("regency/figures.html", figures=shown, period=period, asked=asked,
                           errors=errors), 422 if errors else 200


@bp.route("/angka.csv")
def download():
    with across_villages():
        period, _, errors = asked_period()
        if errors:
            abort(400)
        key = request.args.get("angka", "permohonan")
        figure = next((f for f in regency_figures.figures(period) if f.key == key), None)
    if figure is None:
        abort(404)
    name = f"balai-kabupaten-{key}-{period.months[0]}-{period.months[-1]}.csv"
    return csv_download(name, figure.csv_rows())
