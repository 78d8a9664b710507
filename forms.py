"""Small helpers for reading form input."""
import datetime

from flask import request


def parse_date(value):
    """A date from a form: 2024-08-17 (date input) or 17-08-2024 / 17/08/2024 (typed)."""
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def page_number():
    """The page asked for with ?halaman=N: 1 when missing or nonsense."""
    return min(max(request.args.get("halaman", 1, type=int), 1), 100000)
