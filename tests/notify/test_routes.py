"""The in-app list, the header's unread count, channel verification, and the operator's page."""
import datetime
import re

import pytest

from balai.db import now
from balai.notify import outbox as notify
from balai.notify.models import ContactPoint, Notification
from balai.people.models import User
from tests.support.notify import official
from tests.support.village import BUDI, SITI


@pytest.fixture
def sent_codes(monkeypatch):
    """Codes as they would leave through the outbox (the outbox itself is tested elsewhere)."""
    codes = []
    monkeypatch.setattr(notify, "enqueue", lambda notification_id: codes.append(
        re.search(r"\d{6}", Notification.get_by_id(notification_id).message).group()))
    return codes


def tell(user, text, key):
    return notify.send(user, "surat", text, "/surat/1", key)[0]


def test_the_list_shows_only_my_notifications_and_opening_one_marks_it_read(db, budi):
    mine = tell(User.by_login(BUDI), "Surat Anda sudah terbit.", "e1")
    theirs = tell(User.by_login(SITI), "Surat Siti sudah terbit.", "e2")
    page = budi.get("/notifikasi").get_data(as_text=True)
    assert "Surat Anda sudah terbit." in page and "Siti" not in page
    assert budi.get(f"/notifikasi/{theirs.id}").status_code == 404
    opened = budi.get(f"/notifikasi/{mine.id}")
    assert opened.status_code == 303 and opened.headers["Location"] == "/surat/1"
    assert Notification.get_by_id(mine.id).read_at is not None
    assert Notification.get_by_id(theirs.id).read_at is None


def test_read_all_answers_htmx_with_the_list_only(db, budi):
    tell(User.by_login(BUDI), "Permohonan Anda perlu diperbaiki.", "e1")
    response = budi.post("/notifikasi/baca-semua", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and 'id="daftar-notifikasi"' in html
    assert "· belum dibaca" not in html and 'data-hx-swap-oob="true">0<span' in html
    assert Notification.unread_state(User.by_login(BUDI))[0] == 0


def test_read_all_without_javascript_redirects(db, budi):
    tell(User.by_login(BUDI), "Permohonan Anda perlu diperbaiki.", "e1")
    response = budi.post("/notifikasi/baca-semua")
    assert response.status_code == 303 and response.headers["Location"] == "/notifikasi"
    assert Notification.unread_state(User.by_login(BUDI))[0] == 0


def test_unread_count_answers_304_while_nothing_changes(db, budi):
    first = budi.get("/notifikasi/jumlah", headers={"HX-Request": "true"})
    etag = first.headers["ETag"]
    assert first.status_code == 200 and "<html" not in first.get_data(as_text=True)
    unchanged = budi.get("/notifikasi/jumlah", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    tell(User.by_login(BUDI), "Surat Anda sudah terbit.", "e1")
    changed = budi.get("/notifikasi/jumlah", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert ">1<span" in changed.get_data(as_text=True) and len(changed.data) < 400
    assert 'hx-trigger="every 60s"' in budi.get("/notifikasi").get_data(as_text=True)


def test_verifying_an_email_address_with_the_code(db, budi, sent_codes):
    response = budi.post("/akun/notifikasi/email/alamat", data={"email_address": "bukan-email"})
    assert response.status_code == 422 and "alamat e-mail lengkap" in response.get_data(as_text=True)
    assert budi.post("/akun/notifikasi/email/alamat",
                     data={"email_address": "Budi@Contoh.id"}).status_code == 303
    again = budi.post("/akun/notifikasi/email/alamat", data={"email_address": "lain@contoh.id"})
    assert again.status_code == 422 and "Tunggu 1 menit" in again.get_data(as_text=True)
    code = sent_codes[0]
    assert "Kode 6 angka yang dikirim ke budi@contoh.id" in budi.get("/akun/notifikasi").get_data(as_text=True)
    point = ContactPoint.get()
    assert point.address == "budi@contoh.id" and not point.is_verified and code not in point.code_hash
    wrong_code = "000000" if code != "000000" else "111111"
    wrong = budi.post("/akun/notifikasi/email/kode", data={"email_code": wrong_code})
    assert wrong.status_code == 422 and "Kode salah" in wrong.get_data(as_text=True)
    assert budi.post("/akun/notifikasi/email/kode", data={"email_code": code}).status_code == 303
    assert ContactPoint.get().is_verified
    assert [p.channel for p in ContactPoint.usable(User.by_login(BUDI))] == ["email"]
    budi.post("/akun/notifikasi/email/saklar", data={"enabled": "0"})
    assert list(ContactPoint.usable(User.by_login(BUDI))) == []


def test_an_expired_or_overused_code_is_refused(db, budi, sent_codes):
    budi.post("/akun/notifikasi/whatsapp/alamat", data={"whatsapp_address": "0812-3456-7890"})
    assert ContactPoint.get().address == "6281234567890"
    ContactPoint.update(code_expires_at=now() - datetime.timedelta(minutes=1)).execute()
    expired = budi.post("/akun/notifikasi/whatsapp/kode", data={"whatsapp_code": sent_codes[0]})
    assert expired.status_code == 422 and "kedaluwarsa" in expired.get_data(as_text=True)
    budi.post("/akun/notifikasi/whatsapp/alamat", data={"whatsapp_address": "081234567890"})
    for _ in range(ContactPoint.CODE_ATTEMPTS):
        budi.post("/akun/notifikasi/whatsapp/kode", data={"whatsapp_code": "x"})
    overused = budi.post("/akun/notifikasi/whatsapp/kode", data={"whatsapp_code": sent_codes[1]})
    assert "terlalu sering" in overused.get_data(as_text=True)
    assert not ContactPoint.get().is_verified


def test_the_code_goes_to_the_new_address_and_not_to_the_in_app_list(db, budi, sent_codes):
    budi.post("/akun/notifikasi/email/alamat", data={"email_address": "budi@contoh.id"})
    row = Notification.get()
    assert (row.channel, row.address, row.status) == ("email", "budi@contoh.id", "pending")
    assert sent_codes[0] not in budi.get("/notifikasi").get_data(as_text=True)


@pytest.mark.parametrize("who", ["budi", "kasipem", "kades"])
def test_only_the_operator_sees_failed_deliveries(db, request, who):
    client = request.getfixturevalue(who)
    assert client.get("/operator/pengiriman-gagal").status_code == 403
    assert client.post("/operator/pengiriman-gagal/1/ulang").status_code == 403


def test_the_operator_sees_failed_rows_without_verification_codes(db, operator):
    Notification.create(recipient=official("sekdes"), channel="email", address="a@b.id",
                        kind="kode", subject="Kode verifikasi", message="Kode: 123456", key="k1",
                        status="failed", last_error="SMTP belum diatur")
    page = operator.get("/operator/pengiriman-gagal").get_data(as_text=True)
    assert "SMTP belum diatur" in page and "123456" not in page
