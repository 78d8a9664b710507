"""Small helpers for reading form input."""
import datetime


def parse_date(value):
    """A date from a form: 2024-08-17 (date input) or 17-08-2024 / 17/08/2024 (typed)."""
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None
