"""The regency's pages (role kabupaten): the list of villages and the figures across them, with
a CSV per figure. Everything is read across villages, from the count tables alone."""
from flask import Blueprint, abort, render_template, request

from balai.figures import views as figures_page
from balai.regency import figures as regency_figures
from balai.villages.context import across_villages
from balai.villages.models import Village
from balai.web.access import role_required
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
    return render_template("regency/index.html", villages=villages, totals=totals,
                           period=period)


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
