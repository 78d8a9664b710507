"""The home page: the village's news, and the way to the letter service."""
from flask import Blueprint

from balai.news.models import News
from balai.web.forms import page_number
from balai.web.htmx import render_page_or_block
from balai.web.page_cache import public_page

bp = Blueprint("home", __name__)


@bp.route("/")
@public_page
def index():
    """One page of news; htmx asks for the next page's items only ("Muat lagi")."""
    number = page_number()
    items, has_more = News.page(number)
    return render_page_or_block("home/index.html", "news_page", items=items, has_more=has_more,
                                page=number)
