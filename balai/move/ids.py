"""The ids a joining village's rows keep where no foreign key says so (balai.move.join): its
rows get new ids in the installation, and these columns follow them like any foreign key.

A column that comes to hold another row's id (or a text made with one) belongs here; the
join's test checks that every id in these columns names a row of the joined village.

An id whose row is gone (a deleted draft, a replaced scan) stays pointing at nothing: it
becomes its negative, which no row has, and stays different from every other such id."""
import re

from balai.letters.models import Attachment, LetterEvent, LetterRequest
from balai.letters.reminders import StepReminder
from balai.market.models import Product, Shop
from balai.market.orders import Order
from balai.news.models import News, NewsIndex
from balai.notify.models import Notification
from balai.people.audit import AccessLogEntry
from balai.people.models import Person, User
from balai.storage import PREVIEWS
from balai.tally.models import ActiveResident

LOGGED = {"permohonan": LetterRequest, "lampiran": Attachment, "surat": LetterRequest,
          "penduduk": Person}  # AccessLogEntry.kind -> the table of its object_id
LINKED = {"kotak-masuk": LetterRequest, "surat": LetterRequest, "pesanan": Order}
KEYED = {"letter-event": LetterEvent, "letter-revoked": LetterRequest,
         "step-reminder": StepReminder, "order": Order, "shop": Shop, "product": Product}
DOCUMENT_IDS = {PREVIEWS: LetterRequest}  # a folder whose documents are kept under a row's id
LINK = re.compile(r"/(?P<name>[a-z-]+)/(?P<id>\d+)(?P<rest>(/.*)?)")
KEY = re.compile(r"(?P<name>[a-z-]+):(?P<id>\d+)(?P<rest>(:.*)?)")


def logged_object(row, new_id):
    return new_id(LOGGED[row["kind"]], row["object_id"])


def notification_key(row, new_id):
    return renamed(KEY, KEYED, row["key"], new_id, "{name}:{id}{rest}")


def notification_link(row, new_id):
    return renamed(LINK, LINKED, row["link"], new_id, "/{name}/{id}{rest}")


def renamed(pattern, tables, text, new_id, form):
    found = pattern.fullmatch(text)
    if not found or found["name"] not in tables:
        return text
    return form.format(name=found["name"], rest=found["rest"],
                       id=new_id(tables[found["name"]], int(found["id"])))


# (model, column) -> the column's new value from the row's values (a dict by field name) and
# new_id(model, old id): the new id of a copied row of that table.
ID_COLUMNS = {
    (AccessLogEntry, "object_id"): logged_object,
    (StepReminder, "since_event"): lambda row, new_id: row["since_event"] and new_id(
        LetterEvent, row["since_event"]),  # 0: no event brought the request there
    (ActiveResident, "account"): lambda row, new_id: new_id(User, row["account"]),
    (Notification, "key"): notification_key,
    (Notification, "link"): notification_link,
    (NewsIndex, "rowid"): lambda row, new_id: new_id(News, row["rowid"]),
}


def id_lookup(maps):
    """new_id(model, old id) over {model: {old id: new id}}: a missing row's id negated."""
    def new_id(model, old):
        return maps.get(model, {}).get(old, -old)
    return new_id


def rewritten(model, row, new_id):
    """The row (a dict by field name) with its id columns made new: the primary key, every
    foreign key and the columns of ID_COLUMNS. The village key is not touched here."""
    values = dict(row)
    for field in model._meta.sorted_fields:
        name = field.name
        rule = ID_COLUMNS.get((model, name))
        if rule is not None:
            values[name] = rule(row, new_id)
        elif name == "village" or row[name] is None:
            continue
        elif field.primary_key:
            values[name] = new_id(model, row[name])
        elif hasattr(field, "rel_model"):
            values[name] = new_id(field.rel_model, row[name])
    return values
