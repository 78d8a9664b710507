"""Paged lists: the page asked for with halaman=N, and one page of a query."""
from dataclasses import dataclass

from flask import request

PAGE_PARAMETER = "halaman"  # on every paged list; the pager's links and buttons send it too
LAST_PAGE = 100_000  # past this a number is nonsense, and would only make SQLite skip rows


def page_number():
    """The page asked for with halaman=N, in the URL or in a search form sent by POST: 1 when
    missing or nonsense."""
    return min(max(request.values.get(PAGE_PARAMETER, 1, type=int), 1), LAST_PAGE)


@dataclass
class Page:
    """One page of a list, numbered from 1."""
    items: list
    number: int
    has_more: bool
    pages: int | None = None  # known only when counted


def page_of(query, size, counted=False):
    """The page of `query` asked for in the request.

    One row more than the page holds tells whether another page follows. Counting every row
    costs a query, so only a list that says "Halaman 2 dari 5" asks for it; there a number past
    the end shows the last page."""
    number, pages = page_number(), None
    if counted:
        pages = max((query.count() + size - 1) // size, 1)
        number = min(number, pages)
    rows = list(query.offset((number - 1) * size).limit(size + 1))
    return Page(rows[:size], number, len(rows) > size, pages)
