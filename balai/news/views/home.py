"""The home page: the village's news, and the way to the letter service."""
from flask import Blueprint

from balai.news.models import PAGE_SIZE, News
from balai.web.htmx import render_page_or_block
from balai.web.page_cache import public_page
from balai.web.paging import page_of

bp = Blueprint("home", __name__)


@bp.route("/")
@public_page
def index():
    """One page of news; htmx asks for the next page's items only ("Muat lagi")."""
    return render_page_or_block("home/index.html", "news_page",
                                page=page_of(News.public(), PAGE_SIZE))
