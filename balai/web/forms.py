"""Small helpers for reading form input, shared by every area's forms and views."""
import datetime

from peewee import IntegrityError

from balai.db import db


def parse_date(value):
    """A date from a form: 2024-08-17 (date input) or 17-08-2024 / 17/08/2024 (typed)."""
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def text(form, name):
    return (form.get(name) or "").strip()


def required(form, names, errors, labels):
    """The stripped values of these fields; an empty one gets "<label> wajib diisi."."""
    values = {name: text(form, name) for name in names}
    for name in names:
        if name in labels and not values[name]:
            errors[name] = f"{labels[name]} wajib diisi."
    return values


def in_order(errors, names):
    """Errors in the order the fields stand on the page, so the summary reads top to bottom."""
    return {name: errors[name] for name in names if name in errors}


def save_unless_taken(record, values):
    """Set the values and save; False when a unique constraint (NIK, username...) refuses them."""
    for name, value in values.items():
        setattr(record, name, value)
    try:
        with db.atomic():
            record.save()
    except IntegrityError:
        return False
    return True
