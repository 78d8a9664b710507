"""Who is told what, and that notification rows live and die with the event that causes them."""
import pytest

from balai.letters import notices
from balai.letters.models import LetterEvent
from balai.notify import outbox as notify
from balai.notify.models import ContactPoint, Notification
from balai.people.models import User
from tests.support.notify import letter_journey, official, verified
from tests.support.village import make_request


@pytest.fixture
def enqueued(monkeypatch):
    """The ids handed to the worker after commit (the worker itself is not the point here)."""
    ids = []
    monkeypatch.setattr(notify, "enqueue", ids.append)
    return ids


def inapp_recipients(event):
    rows = Notification.select().where((Notification.key.startswith(f"letter-event:{event.id}:"))
                                       & (Notification.channel == "inapp"))
    return sorted(row.recipient.username or row.recipient.person.name for row in rows)


@pytest.mark.parametrize("slug, kasi", [("domisili", "kasipem"), ("tidak-mampu", "kasikesra")])
def test_submitting_tells_the_kasi_that_the_letter_type_names(app, db, slug, kasi):
    request = make_request(slug=slug)
    event = request.apply("ajukan", request.created_by)
    assert inapp_recipients(event) == [kasi]


def test_each_approval_tells_the_next_official_and_the_resident(app, db):
    request = make_request()
    request.apply("ajukan", request.created_by)
    by_kasi = request.apply("setujui", official("kasipem"))
    by_sekdes = request.apply("setujui", official("sekdes"))
    issued = request.apply("setujui", official("kades"))
    assert inapp_recipients(by_kasi) == ["Budi Santoso", "sekdes"]
    assert inapp_recipients(by_sekdes) == ["Budi Santoso", "kades"]
    assert inapp_recipients(issued) == ["Budi Santoso"]
    issued_row = Notification.get(Notification.key.startswith(f"letter-event:{issued.id}:"))
    assert issued_row.link == f"/surat/{request.id}"


@pytest.mark.parametrize("action", ["kembalikan", "tolak"])
def test_returned_or_rejected_tells_the_resident_the_reason(app, db, action):
    request = make_request(status="diverifikasi")
    event = request.apply(action, official("sekdes"), note="Foto KTP buram",
                          category="berkas_tidak_jelas")
    assert inapp_recipients(event) == ["Budi Santoso"]
    assert "Alasan: Foto KTP buram" in Notification.get().message


def test_resubmission_tells_the_kasi_again_and_cancelling_tells_nobody(app, db):
    request = make_request(status="dikembalikan")
    event = request.apply("ajukan", request.created_by)
    assert inapp_recipients(event) == ["kasipem"]
    assert "mengajukan lagi" in Notification.get().message
    cancelled = request.apply("batalkan", request.created_by)
    assert inapp_recipients(cancelled) == []


def test_a_resident_without_an_account_is_not_notified(app, db):
    request = make_request(status="diajukan")
    User.update(person=None).where(User.person == request.person).execute()
    event = request.apply("setujui", official("kasipem"))
    assert inapp_recipients(event) == ["sekdes"]


def test_the_same_event_twice_gives_one_row_per_recipient_and_channel(app, db, enqueued):
    kasi = official("kasipem")
    verified(kasi, "email", "dedi@desa.id")
    request = make_request()
    event = request.apply("ajukan", request.created_by)
    notices.step_taken(LetterEvent.get_by_id(event.id))
    rows = list(Notification.select().order_by(Notification.channel))
    assert [(r.recipient.username, r.channel, r.status) for r in rows] == [
        ("kasipem", "email", "pending"), ("kasipem", "inapp", "sent")]
    assert enqueued == [rows[0].id]


def test_only_verified_switched_on_channels_get_a_row(app, db, enqueued):
    kasi = official("kasipem")
    verified(kasi, "email", "dedi@desa.id")
    muted = verified(kasi, "whatsapp", "6281234567890")
    muted.enabled = False
    muted.save()
    ContactPoint.create(user=official("sekdes"), channel="whatsapp", address="6281111111111")
    request = make_request()
    request.apply("ajukan", request.created_by)
    request.apply("setujui", kasi)
    assert sorted((r.recipient.username or "warga", r.channel) for r in Notification.select()) == [
        ("kasipem", "email"), ("kasipem", "inapp"), ("sekdes", "inapp"), ("warga", "inapp")]


def test_rows_are_written_in_the_events_transaction(app, db, enqueued):
    verified(official("kasipem"), "email", "dedi@desa.id")
    request = make_request()
    with pytest.raises(RuntimeError):
        with db.atomic():
            request.apply("ajukan", request.created_by)
            assert Notification.select().count() == 2  # visible inside the transaction
            raise RuntimeError("the request failed after the event")
    assert Notification.select().count() == 0 and LetterEvent.select().count() == 0
    assert enqueued == []  # nothing was handed to the worker for rows that never existed


def test_generic_send_for_other_modules(app, db, enqueued):
    buyer = official("sekdes")
    verified(buyer, "email", "asep@desa.id")
    order = ("pesanan", "Pesanan Anda sudah dikirim.", "/pasar/pesanan/3", "order:3:kirim")
    first = notify.send(buyer, *order)
    again = notify.send(buyer, *order)
    assert [r.channel for r in first] == ["inapp", "email"] and again == []
    assert first[1].subject == "Kabar pesanan" and len(enqueued) == 1
    assert notify.send(None, "pesanan", "x", "", "order:4") == []


def test_journey_notifies_in_order(app, db, enqueued):
    letter_journey()
    messages = [(r.recipient.username or "warga", r.message.split(".")[0])
                for r in Notification.select().order_by(Notification.id)]
    assert [who for who, _ in messages] == ["kasipem", "sekdes", "warga", "kades", "warga", "warga"]
