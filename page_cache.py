"""Public pages rendered once and served again while the database has not changed.

A page an anonymous visitor sees is the same for every anonymous visitor, so `@public_page`
keeps its HTML in the worker's memory, keyed by URL and by whether htmx asked for a fragment.
It is rendered again as soon as any process writes to the database (models.change_stamp) or
after TTL seconds (for what changes with the clock alone, like news published later). Logged-in
visitors, pending flash messages and anything but a 200 always go to the view.
Set PUBLIC_PAGE_CACHE = False in the app config to render every time (bench/bulk.py does).
"""
import functools
import time
from collections import namedtuple

from flask import current_app, make_response, request, session
from flask_login import current_user

from htmx import is_htmx
from models import change_stamp

TTL = 60
MAX_PAGES = 200
_pages = {}
Kept = namedtuple("Kept", "stamp expires body headers")


def public_page(view):
    @functools.wraps(view)
    def cached_view(*args, **kwargs):
        if (request.method != "GET" or session or current_user.is_authenticated
                or not current_app.config.get("PUBLIC_PAGE_CACHE", True)):
            return view(*args, **kwargs)
        key, stamp = (request.full_path, is_htmx()), change_stamp()
        kept = _pages.get(key)
        if kept and kept.stamp == stamp and kept.expires > time.monotonic():
            return current_app.response_class(kept.body, headers=kept.headers)
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not session.modified and not response.is_streamed:
            if len(_pages) >= MAX_PAGES:
                _pages.clear()
            _pages[key] = Kept(stamp, time.monotonic() + TTL, response.get_data(), list(response.headers))
        return response
    return cached_view
