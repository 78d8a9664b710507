"""Delivery is at least once; a repeat carries the same key, so the receiver can drop it, and
the row says "sent" the moment the channel has taken the message."""
import smtplib

import pytest

from balai.db import now
from balai.notify import outbox
from balai.notify.models import Notification
from tests.support.notify import SMTPSink, WAGateway, letter_journey, official, verified


@pytest.fixture
def ctx(app, db):
    with app.app_context():
        yield app


def whatsapp_row():
    return Notification.get(Notification.channel == "whatsapp")


def update_lost(row):
    """As if the worker was killed after the channel's OK, before the row said so."""
    (Notification.update(status="pending", sent_at=None, next_attempt_at=now())
     .where(Notification.id == row.id).execute())


def test_a_whatsapp_sent_again_carries_the_same_reference(ctx):
    with WAGateway() as gateway:
        ctx.config.update(WA_URL=gateway.url, WA_REF_FIELD="ref_id",
                          WA_REF_HEADER="Idempotency-Key")
        verified(official("kasipem"), "whatsapp", "6281234567890")
        letter_journey()
        row = whatsapp_row()
        update_lost(row)
        assert outbox.deliver(row.id) == "sent"
    fields = [r["fields"]["ref_id"] for r in gateway.received]
    headers = [r["headers"]["Idempotency-Key"] for r in gateway.received]
    assert fields == headers == [row.delivery_key] * 2
    shown = {r["fields"]["ref_id"]: r["fields"]["message"] for r in gateway.received}
    assert len(shown) == 1  # a gateway that drops a repeated reference shows one message
    assert whatsapp_row().status == "sent"


def test_without_a_reference_setting_the_gateway_gets_only_number_and_message(ctx):
    with WAGateway() as gateway:
        ctx.config.update(WA_URL=gateway.url)
        verified(official("kasipem"), "whatsapp", "6281234567890")
        letter_journey()
    [received] = gateway.received
    assert set(received["fields"]) == {"target", "message"}
    assert "Idempotency-Key" not in received["headers"]


def test_each_notification_has_its_own_key_even_a_key_reused_after_a_restore(ctx):
    verified(official("kasipem"), "email", "dedi@desa.id")
    letter_journey()
    letter_journey()
    first, second = Notification.select().where(Notification.channel == "email")[:2]
    assert first.delivery_key != second.delivery_key
    assert Notification.get_by_id(first.id).delivery_key == first.delivery_key
    # A restored backup hands out the same id and event key again, to a new message.
    values = {**first.__data__, "created_at": now()}
    first.delete_instance()
    again = Notification.create(**values)
    assert (again.id, again.key) == (first.id, first.key)
    assert again.delivery_key != first.delivery_key and again.message_id != first.message_id


@pytest.fixture
def mailed(ctx):
    verified(official("kasipem"), "email", "dedi@desa.id")
    with SMTPSink() as smtp:
        ctx.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port))
        yield smtp


def test_the_row_says_sent_before_the_goodbye_to_the_smtp_server(mailed, monkeypatch):
    at_goodbye = []
    docmd = smtplib.SMTP.docmd

    def watch(smtp, cmd, args=""):
        if cmd.lower() == "quit":
            at_goodbye.append(Notification.get(Notification.channel == "email").status)
        return docmd(smtp, cmd, args)
    monkeypatch.setattr(smtplib.SMTP, "docmd", watch)
    letter_journey()
    assert at_goodbye == ["sent"] and len(mailed.messages) == 1


def test_a_server_that_hangs_up_after_taking_the_message_does_not_get_it_again(mailed,
                                                                              monkeypatch):
    def hang_up(smtp, *args):
        raise ConnectionResetError("the server went away after its 250")
    monkeypatch.setattr(smtplib.SMTP, "quit", hang_up)
    monkeypatch.setattr(smtplib.SMTP, "__exit__", hang_up)
    letter_journey()
    row = Notification.get(Notification.channel == "email")
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
    assert outbox.deliver(row.id) is None and len(mailed.messages) == 1
