"""Public pages rendered once and served again while the database has not changed.

A page an anonymous visitor sees is the same for every anonymous visitor, so `@public_page`
keeps its HTML in the worker's memory, keyed by URL and by whether htmx asked for a fragment.
It is rendered again as soon as any process, on any web node, writes to the database
(balai.db.change_stamp: one cheap read per request, see balai.dbms) or after TTL seconds (for what changes with the clock alone, like news published later). Logged-in
visitors, pending flash messages and anything but a 200 always go to the view. The page is kept
brotli- and gzip-compressed too, with its ETag, so serving it again costs almost nothing.
Set PUBLIC_PAGE_CACHE = False in the app config to render every time (bench/bulk.py does).
"""
import functools
import gzip
import time
from collections import namedtuple

import brotli
from flask import current_app, make_response, request, session

from balai.db import change_stamp
from balai.web.htmx import is_htmx

TTL = 60
MAX_PAGES = 200
_pages = {}
Kept = namedtuple("Kept", "stamp expires answers")  # answers: encoding -> (body, headers)


def public_page(view):
    @functools.wraps(view)
    def cached_view(*args, **kwargs):
        # No session, no one logged in (flask-login keeps a login there): an anonymous
        # visitor's page is served without loading the anonymous user.
        if (request.method != "GET" or session
                or not current_app.config.get("PUBLIC_PAGE_CACHE", True)):
            return view(*args, **kwargs)
        key, stamp = (request.full_path, is_htmx()), change_stamp()
        kept = _pages.get(key)
        if kept and kept.stamp == stamp and kept.expires > time.monotonic():
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
