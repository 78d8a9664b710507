"""The ids a joining village's rows keep without a foreign key follow its rows' new ids
(balai.move.ids): notification keys and links, the access log, reminders, the tally's
accounts, the news search rows; an id whose row is gone points at nothing still."""
import pytest

from balai.letters.models import Attachment, LetterEvent, LetterRequest
from balai.letters.reminders import StepReminder
from balai.market.models import Product
from balai.market.orders import Order
from balai.move.ids import id_lookup, rewritten
from balai.news.models import News, NewsIndex
from balai.notify.models import Notification
from balai.people.audit import AccessLogEntry
from balai.people.models import Person, User
from balai.tally.models import ActiveResident

MAPS = {LetterRequest: {3: 103}, LetterEvent: {7: 207}, StepReminder: {4: 304},
        Order: {5: 405}, Product: {6: 506}, User: {8: 608, 9: 609}, Person: {2: 702},
        Attachment: {1: 801}, Notification: {11: 911}, News: {12: 1012}}
new_id = id_lookup(MAPS)


def notification(key, link):
    return rewritten(Notification, {
        "id": 11, "recipient": 8, "channel": "inapp", "kind": "surat", "subject": "",
        "message": "", "link": link, "key": key, "status": "sent", "attempts": 0,
        "next_attempt_at": None, "last_error": "", "created_at": None, "sent_at": None,
        "read_at": None, "address": "", "village": 1}, new_id)


@pytest.mark.parametrize(("key", "link", "new_key", "new_link"), [
    ("letter-event:7", "/surat/3", "letter-event:207", "/surat/103"),
    ("letter-event:7", "/kotak-masuk/3", "letter-event:207", "/kotak-masuk/103"),
    ("letter-revoked:3", "/surat/3", "letter-revoked:103", "/surat/103"),
    ("step-reminder:4", "/kotak-masuk/3", "step-reminder:304", "/kotak-masuk/103"),
    ("order:5:baru", "/pesanan/5", "order:405:baru", "/pesanan/405"),
    ("product:6:disembunyikan:2026-01-02 03:04:05", "/lapak-saya",
     "product:506:disembunyikan:2026-01-02 03:04:05", "/lapak-saya"),
    ("second-factor-reset:2026-01-02T03:04:05", "/akun/dua-langkah",
     "second-factor-reset:2026-01-02T03:04:05", "/akun/dua-langkah"),
    ("letter-event:99", "/surat/98", "letter-event:-99", "/surat/-98"),  # rows gone
])
def test_notification_keys_and_links_follow_the_rows(key, link, new_key, new_link):
    row = notification(key, link)
    assert (row["key"], row["link"], row["id"], row["recipient"]) == (new_key, new_link, 911, 608)
    assert row["village"] == 1  # the join sets it


@pytest.mark.parametrize(("kind", "object_id", "new"), [
    ("permohonan", 3, 103), ("surat", 3, 103), ("lampiran", 1, 801), ("penduduk", 2, 702)])
def test_the_access_log_names_the_new_row_of_its_kind(kind, object_id, new):
    row = rewritten(AccessLogEntry, {"id": 1, "viewer": 9, "person": 2, "kind": kind,
                                     "object_id": object_id, "reason": "", "typed": False,
                                     "at": None, "village": 1}, new_id)
    assert (row["object_id"], row["viewer"], row["person"]) == (new, 609, 702)


def test_reminders_tally_accounts_and_search_rows_follow():
    reminder = {"id": 4, "request": 3, "step": "diajukan", "level": "pengingat",
                "sent_at": None, "village": 1}
    assert rewritten(StepReminder, {**reminder, "since_event": 7}, new_id)["since_event"] == 207
    assert rewritten(StepReminder, {**reminder, "since_event": 0}, new_id)["since_event"] == 0
    active = rewritten(ActiveResident, {"id": 1, "month": "2026-01", "account": 9,
                                        "village": 1}, new_id)
    assert active["account"] == 609 and active["id"] == -1  # a table not in MAPS: none copied
    assert rewritten(NewsIndex, {"rowid": 12, "title": "", "body": ""}, new_id)["rowid"] == 1012
    gone = {"id": 1, "month": "2026-01", "village": 1}
    accounts = {rewritten(ActiveResident, {**gone, "account": old}, new_id)["account"]
                for old in (21, 22)}
    assert accounts == {-21, -22}  # two accounts gone still count as two
