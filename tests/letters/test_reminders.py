"""A step past its target reminds its official once, and one working day later the Sekdes (the
Kades for the Sekdes's own step), once: in the scan itself, and through the real worker."""
import re

from balai.letters import reminders
from balai.letters.models import LetterEvent
from balai.letters.reminders import StepReminder
from balai.notify.models import Notification
from balai.people.models import User
from tests.notify.test_worker import Worker, queue, wait_until  # noqa: F401
from tests.support.notify import SMTPSink, official, verified
from tests.support.standards import at, entered_late_by, move, resend, sent_on


def reminded(login):
    """The in-app reminders this account has received."""
    return list(Notification.select().where(
        (Notification.recipient == User.by_login(login)) & (Notification.channel == "inapp")
        & Notification.key.startswith("step-reminder:")))


def scans_done(data_dir):
    """How many scans the worker has finished, by its log."""
    return len(re.findall(r"tasks\.remind_overdue: \S+ executed in",
                          (data_dir / "worker.log").read_text()))


def test_a_step_past_its_target_reminds_its_official_once(db):
    request = sent_on(at(entered_late_by(1)))
    assert reminders.remind_overdue() == 1
    assert reminders.remind_overdue() == 0
    [note] = reminded("kasipem")
    assert f"({request.reference}) sudah melewati target langkah Anda" in note.message
    assert note.link == f"/kotak-masuk/{request.id}"
    assert reminded("sekdes") == [] and reminded("kasikesra") == []


def test_one_working_day_later_the_sekdes_hears_of_it_once_without_the_residents_name(db):
    request = sent_on(at(entered_late_by(2)))
    assert reminders.remind_overdue() == 2 and reminders.remind_overdue() == 0
    assert len(reminded("kasipem")) == 1 and reminded("kades") == []
    [note] = reminded("sekdes")
    assert note.message.startswith(f"Permohonan {request.reference} (")
    assert "menunggu Kasi Pemerintahan sejak" in note.message
    assert request.person.name not in note.message and note.link == ""


def test_the_sekdes_own_step_escalates_to_the_kades(db):
    request = sent_on(at(entered_late_by(5)))
    move(request, "setujui", "kasipem", at(entered_late_by(2)))
    assert reminders.remind_overdue() == 2
    assert len(reminded("sekdes")) == 1 and len(reminded("kades")) == 1
    assert reminded("kasipem") == []  # the Kasi's step was decided before anyone was reminded
    assert {r.level for r in StepReminder.select()} == {"petugas", "kades"}


def test_a_request_back_at_a_step_after_a_return_is_reminded_afresh(db):
    request = sent_on(at(entered_late_by(6)))
    assert reminders.remind_overdue() == 2
    request = move(request, "kembalikan", "kasipem", at(entered_late_by(5)), "Berkas kurang")
    resend(request, at(entered_late_by(1)))
    assert reminders.remind_overdue() == 1
    assert len(reminded("kasipem")) == 2 and len(reminded("sekdes")) == 1


def test_the_real_worker_reminds_once_and_escalates_once_even_when_killed(
        app, db, queue, tmp_path):  # noqa: F811  (queue: the worker's queue file)
    request = sent_on(at(entered_late_by(1)))
    for username in ("kasipem", "sekdes"):  # after sending: only the reminders go by e-mail
        verified(official(username), "email", f"{username}@desa.id")
    scan = app.extensions["queue"].tasks["remind_overdue"]
    with SMTPSink() as smtp:
        # Delivery is at least once: a kill just after the server took a message sends it again
        # with the same Message-ID, which the receiving server recognises; count the messages.
        def delivered():
            return {m["message_id"]: m["to"][0] for m in smtp.messages}
        worker = Worker(tmp_path, smtp.port)
        worker.start()  # its start-up sweep scans too
        try:
            for _ in range(3):
                scan(village=1)
            assert wait_until(lambda: len(delivered()) == 1, 30), (
                tmp_path / "worker.log").read_text()
            worker.kill()
            # A working day later: the step is two working days past its target.
            LetterEvent.update(at=at(entered_late_by(2))).where(
                LetterEvent.request == request.id).execute()
            worker.start()
            for _ in range(3):
                scan(village=1)
            assert wait_until(lambda: len(delivered()) == 2, 30), (
                tmp_path / "worker.log").read_text()
            # Once more from the start, as after a power cut: the start-up sweep scans again.
            worker.kill()
            before = scans_done(tmp_path)
            worker.start()
            assert wait_until(lambda: scans_done(tmp_path) > before, 30)
        finally:
            worker.kill()
    assert reminders.remind_overdue() == 0  # the database says every reminder went out
    assert sorted(delivered().values()) == ["kasipem@desa.id", "sekdes@desa.id"]
    assert len(reminded("kasipem")) == 1 and len(reminded("sekdes")) == 1
    assert StepReminder.select().count() == 2
