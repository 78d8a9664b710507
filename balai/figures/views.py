"""The figures page of the Kades, the Sekdes and the operator, and each figure as a CSV."""
from flask import Blueprint, abort, render_template, request

from balai.figures import FIGURES
from balai.figures.period import Period, PeriodError
from balai.villages.models import Village
from balai.web.access import figures_required
from balai.web.spreadsheet import csv_download

bp = Blueprint("figures", __name__, url_prefix="/angka")


def asked_period(timezone=None):
    """The months the page was asked for (GET dari, sampai: "YYYY-MM") on the village's clock
    (or `timezone`'s), with what is wrong with them; the last twelve months when they make no
    period."""
    timezone = timezone or Village.current().timezone
    asked = {name: request.args.get(name, "").strip() for name in ("dari", "sampai")}
    try:
        return Period.of(timezone, asked["dari"] or None, asked["sampai"] or None), asked, {}
    except PeriodError as error:
        return Period.of(timezone), asked, {"dari": str(error)}


@bp.route("/")
@figures_required
def index():
    period, asked, errors = asked_period()
    figures = [make(period) for make in FIGURES.values()]
    return render_template("figures/index.html", figures=figures, period=period, asked=asked,
                           errors=errors), 422 if errors else 200


@bp.route("/<figure>.csv")
@figures_required
def download(figure):
    make = FIGURES.get(figure) or abort(404)
    period, _, errors = asked_period()
    if errors:
        abort(400)
    name = f"balai-{figure}-{period.months[0]}-{period.months[-1]}.csv"
    return csv_download(name, make(period).csv_rows())
