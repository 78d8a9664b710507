"""Public pages rendered once and served again while the database has not changed.

A page an anonymous visitor sees is the same for every anonymous visitor, so `@public_page`
keeps its HTML in the worker's memory, keyed by village, URL and whether htmx asked for a
fragment.
It is rendered again as soon as any process, on any web node, writes to the database
(balai.db.change_stamp: one cheap read per request, see balai.dbms) or after TTL seconds (for
what changes with the clock alone, like news published later). Logged-in visitors, pending
flash messages and anything but a 200 always go to the view. The page is kept brotli- and
gzip-compressed too, with its ETag, so serving it again costs almost nothing.
Set PUBLIC_PAGE_CACHE = False in the app config to render every time (bench/bulk.py does).

`FastPath` goes one step further, in front of Flask: a GET without any cookie (so no session,
login, remember-me or device cookie) whose exact answer Flask already gave from a kept page
is given again, bytes and headers as they were (but a Date of now), before Flask builds a
request at all. Everything else, and all it has not seen answered yet, takes the normal path.
"""
import functools
import gzip
import time
from collections import namedtuple

import brotli
from flask import current_app, make_response, request, session
from werkzeug.http import http_date

from balai.db import change_stamp, db
from balai.villages.context import chosen_village
from balai.web.htmx import is_htmx

TTL = 60
MAX_PAGES = 200
_pages = {}
Kept = namedtuple("Kept", "stamp expires answers")  # answers: encoding -> (body, headers)
Given = namedtuple("Given", "stamp expires status headers body")  # what FastPath gives again
KEPT = "balai.kept_page"  # in the WSGI environ: the kept page Flask answered from
# Besides the address, all that can change a cookie-less visitor's answer to a kept page: the
# host and scheme (links, HSTS), compression, htmx's fragment, and the conditional headers (304).
ANSWER_DEPENDS_ON = ("PATH_INFO", "QUERY_STRING", "SCRIPT_NAME", "HTTP_HOST", "SERVER_NAME",
                     "SERVER_PORT", "wsgi.url_scheme", "HTTP_ACCEPT_ENCODING", "HTTP_HX_REQUEST",
                     "HTTP_HX_HISTORY_RESTORE_REQUEST", "HTTP_IF_NONE_MATCH",
                     "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
                     "HTTP_IF_RANGE", "HTTP_RANGE")


def public_page(view):
    @functools.wraps(view)
    def cached_view(*args, **kwargs):
        # No session, no one logged in (flask-login keeps a login there): an anonymous
        # visitor's page is served without loading the anonymous user.
        if (request.method != "GET" or session
                or not current_app.config.get("PUBLIC_PAGE_CACHE", True)):
            return view(*args, **kwargs)
        key, stamp = (chosen_village(), request.full_path, is_htmx()), change_stamp()
        kept = _pages.get(key)
        if kept and kept.stamp == stamp and kept.expires > time.monotonic():
            request.environ[KEPT] = kept
            return replay(kept)
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not session.modified and not response.is_streamed:
            if len(_pages) >= MAX_PAGES:
                _pages.clear()
            _pages[key] = keep(stamp, response)
        return response
    return cached_view


def keep(stamp, response):
    """The page's body in each encoding, with its headers ready (and the ETag the app would give
    it), so that serving it again builds nothing."""
    response.add_etag(weak=True)
    response.vary.add("Accept-Encoding")
    body, headers = response.get_data(), list(response.headers)
    return Kept(stamp, time.monotonic() + TTL, {
        "br": (brotli.compress(body, quality=5), headers + [("Content-Encoding", "br")]),
        "gzip": (gzip.compress(body, 6, mtime=0), headers + [("Content-Encoding", "gzip")]),
        None: (body, headers)})


def replay(kept):
    """The kept page, compressed as the browser accepts (the compress extension leaves it be)."""
    accepted = request.headers.get("Accept-Encoding", "")
    encoding = next((name for name in ("br", "gzip") if name in accepted), None)
    body, headers = kept.answers[encoding]
    return current_app.response_class(body, headers=headers)


class FastPath:
    """WSGI middleware (inside ProxyFix: it sees the visitor's host and scheme): a cookie-less
    GET answered before from a kept page is answered again as it was, while that page is fresh
    (the same change stamp, within its TTL)."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.given = {}

    def __call__(self, environ, start_response):
        if environ["REQUEST_METHOD"] != "GET" or "HTTP_COOKIE" in environ:
            return self.wsgi_app(environ, start_response)
        key = tuple(environ.get(name) for name in ANSWER_DEPENDS_ON)
        given = self.given.get(key)
        if given and given.expires > time.monotonic() and given.stamp == fresh_stamp():
            start_response(given.status, [(name, http_date()) if name == "Date" else (name, value)
                                          for name, value in given.headers])
            return [given.body]
        return self.answer_and_keep(key, environ, start_response)

    def answer_and_keep(self, key, environ, start_response):
        """Flask's answer, kept when Flask gave it from a kept page (a 200 or a 304, no cookie)."""
        started = []

        def start(status, headers, exc_info=None):
            started[:] = status, headers
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, start)
        kept = environ.get(KEPT)
        if not kept or not started or not may_be_given_again(*started):
            return body
        try:
            data = b"".join(body)
        finally:
            getattr(body, "close", lambda: None)()
        if len(self.given) >= 4 * MAX_PAGES:
            self.given.clear()
        self.given[key] = Given(kept.stamp, kept.expires, started[0], tuple(started[1]), data)
        return [data]


def may_be_given_again(status, headers):
    return status[:3] in ("200", "304") and all(name.lower() != "set-cookie"
                                                for name, _ in headers)


def fresh_stamp():
    """The change stamp, outside Flask: a connection it opened (PostgreSQL) is closed again."""
    was_closed = db.is_closed()
    try:
        return change_stamp()
    finally:
        if was_closed and not db.is_closed():
            db.close()
