"""The home page."""
from flask import Blueprint, render_template

from page_cache import public_page

bp = Blueprint("home", __name__)


@bp.route("/")
@public_page
def index():
    return render_template("home/index.html")
