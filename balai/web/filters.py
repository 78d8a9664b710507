"""Template filters: dates and times as the village reads them."""
import datetime

from jinja2 import pass_context

MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember"]


def indonesian_date(date):
    """17 Agustus 2026."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


@pass_context
def tanggal(context, value):
    """17 Agustus 2026; a stored (UTC) time is first turned into the village's local date."""
    if isinstance(value, datetime.datetime):
        value = context["village"].localtime(value)
    return indonesian_date(value)


@pass_context
def waktu(context, moment):
    """A stored UTC time as the village's local date and time: 17 Agustus 2026 pukul 08.00."""
    local = context["village"].localtime(moment)
    return f"{indonesian_date(local)} pukul {local:%H.%M}"


def register(app):
    app.add_template_filter(tanggal)
    app.add_template_filter(waktu)
