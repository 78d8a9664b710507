"""Delivery through real servers on 127.0.0.1: an SMTP server and a stand-in WhatsApp gateway."""
import re
import time

import pytest
from flask import current_app

from balai.notify import outbox as notify
from balai.notify.models import Notification
from balai.people.models import User
from tests.support.notify import SMTPSink, WAGateway, letter_journey, official, verified
from tests.support.village import BUDI


@pytest.fixture
def ctx(app, db):
    with app.app_context():
        yield app


def resident(nik=BUDI):
    return User.by_login(nik)


def test_smtp_server_receives_a_whole_journey_in_order(ctx):
    addresses = {"kasipem": "dedi@desa.id", "sekdes": "asep@desa.id", "kades": "ujang@desa.id"}
    for username, address in addresses.items():
        verified(official(username), "email", address)
    verified(resident(), "email", "budi@contoh.id")
    with SMTPSink() as smtp:
        ctx.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), SMTP_FROM="desa@sukamaju.id")
        request = letter_journey()
    assert [m["to"] for m in smtp.messages] == [
        ["dedi@desa.id"], ["asep@desa.id"], ["budi@contoh.id"], ["ujang@desa.id"],
        ["budi@contoh.id"], ["budi@contoh.id"]]
    # The resident is sent to their request page, officials to the request in their inbox.
    for m in smtp.messages:
        page = "surat" if m["to"] == ["budi@contoh.id"] else "kotak-masuk"
        assert f"http://127.0.0.1:5000/{page}/{request.id}" in m["body"]
    assert "menunggu pemeriksaan Anda" in smtp.messages[0]["body"]
    assert "sudah terbit" in smtp.messages[-1]["body"]
    rows = Notification.select().where(Notification.channel == "email").order_by(Notification.id)
    assert [r.message_id for r in rows] == smtp.message_ids()
    assert {r.status for r in rows} == {"sent"}


def wa_setup(app, gateway, retries):
    app.config.update(WA_URL=gateway.url, WA_TOKEN="rahasia", WA_TIMEOUT="0.5",
                      NOTIFY_RETRY_SECONDS=retries, NOTIFY_LEASE_SECONDS="5")
    verified(official("kasipem"), "whatsapp", "6281234567890")


def sweep_until(condition, seconds=5):
    """What the worker's periodic sweep does, run by hand until the condition holds."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
        current_app.extensions["queue"].recover()
    return condition()


def whatsapp_row():
    return Notification.get(Notification.channel == "whatsapp")


def test_whatsapp_is_retried_after_an_error_and_a_timeout_then_arrives(ctx):
    with WAGateway(script=["500", "slow"]) as gateway:
        wa_setup(ctx, gateway, "0.2,0.2,0.2")
        request = letter_journey().id
        assert sweep_until(lambda: whatsapp_row().status == "sent")
    assert [r["answer"] for r in gateway.received] == ["500", "slow", "ok"]
    arrived = gateway.received[-1]
    assert arrived["token"] == "rahasia" and arrived["fields"]["target"] == "6281234567890"
    assert f"/kotak-masuk/{request}" in arrived["fields"]["message"]  # to the Kasi
    assert whatsapp_row().attempts == 3


def test_whatsapp_gives_up_after_the_last_retry_and_the_operator_can_retry(ctx, operator):
    with WAGateway(script=["500"] * 3) as gateway:
        ctx.config.update(WA_BODY="json", WA_TOKEN_FIELD="token")
        wa_setup(ctx, gateway, "0.1,0.1")
        letter_journey()
        assert sweep_until(lambda: whatsapp_row().status == "failed")
        assert len(gateway.received) == 3 and gateway.received[0]["fields"]["token"] == "rahasia"
        page = operator.get("/operator/pengiriman-gagal").get_data(as_text=True)
        assert "Dedi Kurniawan" in page and "Gateway WhatsApp menjawab 500" in page
        response = operator.post(f"/operator/pengiriman-gagal/{whatsapp_row().id}/ulang")
        assert response.status_code == 303
    assert whatsapp_row().status == "sent" and len(gateway.received) == 4
    page = operator.get("/operator/pengiriman-gagal").get_data(as_text=True)
    assert "Tidak ada pengiriman yang gagal" in page


def test_the_sweep_delivers_what_was_never_enqueued_and_waits_out_a_lease(ctx, monkeypatch):
    verified(official("kasipem"), "email", "dedi@desa.id")
    with SMTPSink() as smtp:
        ctx.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port), NOTIFY_LEASE_SECONDS="0.5")
        with monkeypatch.context() as lost:
            lost.setattr(notify, "enqueue", lambda notification_id: None)  # the request died here
            letter_journey()
        row = Notification.get(Notification.channel == "email")
        assert row.claim(0.5)  # a worker took it and was killed before sending
        current_app.extensions["queue"].recover()
        assert smtp.messages == [] and Notification.get_by_id(row.id).status == "pending"
        assert sweep_until(lambda: Notification.get_by_id(row.id).status == "sent")
    assert smtp.message_ids() == [row.message_id]


def test_a_mistyped_setting_fails_the_delivery_with_its_error(ctx):
    verified(official("kasipem"), "email", "dedi@desa.id")
    ctx.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT="dua lima", NOTIFY_RETRY_SECONDS="")
    letter_journey()
    row = Notification.get(Notification.channel == "email")
    assert (row.status, row.attempts) == ("failed", 1) and "ValueError" in row.last_error


def test_a_verification_code_is_mailed_and_then_not_kept(ctx):
    with SMTPSink() as smtp:
        ctx.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port))
        notify.start_verification(resident(), "email", "budi@contoh.id")
    code = re.search(r"\d{6}", smtp.messages[0]["body"]).group()
    assert smtp.messages[0]["to"] == ["budi@contoh.id"]
    assert code not in Notification.get().message and Notification.get().status == "sent"
