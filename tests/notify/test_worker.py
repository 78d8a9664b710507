"""The real huey consumer delivers the outbox, and killing it mid-delivery loses nothing."""
import collections
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey.storage import SqliteStorage

import balai
from balai.notify.models import Notification
from balai.people.models import User
from tests.support.notify import SMTPSink, letter_journey, official, verified
from tests.support.postgres import server_env
from tests.support.village import BUDI, make_request
from tests.support.worker import wait_until

ROOT = Path(balai.__file__).resolve().parent.parent  # where worker.py is


class Worker:
    """`huey_consumer worker.huey -k process -w 2` in its own process group, on the test's data."""

    def __init__(self, data_dir, smtp_port):
        self.log = open(Path(data_dir) / "worker.log", "ab")
        self.env = server_env(data_dir, BALAI_HUEY_IMMEDIATE="0", BALAI_SECRET_KEY="test",
                              BALAI_SMTP_HOST="127.0.0.1", BALAI_SMTP_PORT=str(smtp_port),
                              BALAI_NOTIFY_LEASE_SECONDS="2",
                              BALAI_NOTIFY_RETRY_SECONDS="0.5,0.5,0.5,0.5,0.5,0.5",
                              PYTHONPATH=str(ROOT))
        self.env.pop("REDIS_URL", None)  # the queue file the test enqueues into (`queue`)
        self.process = None

    def start(self):
        consumer = Path(sys.executable).parent / "huey_consumer"
        self.process = subprocess.Popen([str(consumer), "worker.huey", "-k", "process", "-w", "2"],
                                        cwd=ROOT, env=self.env, stdout=self.log,
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self):
        """SIGKILL to the consumer and its worker processes at once, as a power cut would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def queue(app, monkeypatch, tmp_path):
    """The test enqueues into the same SQLite queue file the worker reads (not immediate mode)."""
    huey = app.extensions["queue"].huey
    monkeypatch.setattr(huey, "_immediate", False)
    monkeypatch.setattr(huey, "storage", SqliteStorage("balai", filename=str(tmp_path / "huey.db")))
    with app.app_context():  # the journey's commits hand their rows to this app's queue
        yield huey


@pytest.fixture
def everyone_by_email(db):
    for username in ("kasipem", "sekdes", "kades"):
        verified(official(username), "email", f"{username}@desa.id")
    verified(User.by_login(BUDI), "email", "budi@contoh.id")


def email_rows():
    return list(Notification.select().where(Notification.channel == "email"))


def all_sent():
    return all(row.status == "sent" for row in email_rows())


def test_the_real_worker_delivers_a_whole_journey(app, db, queue, everyone_by_email, tmp_path):
    with SMTPSink() as smtp:
        worker = Worker(tmp_path, smtp.port)
        worker.start()
        try:
            request = letter_journey()
            assert wait_until(all_sent, 30), (tmp_path / "worker.log").read_text()
        finally:
            worker.kill()
    rows = email_rows()
    assert len(rows) == 6
    assert sorted(smtp.message_ids()) == sorted(row.message_id for row in rows)
    assert all(f"/surat/{request.id}" in m["body"] or f"/kotak-masuk/{request.id}" in m["body"]
               for m in smtp.messages)


def test_killing_the_worker_mid_delivery_loses_nothing(app, db, queue, everyone_by_email, tmp_path):
    rng = random.Random(20261123)
    in_flight = set()
    with SMTPSink(delay=0.2) as smtp:
        worker = Worker(tmp_path, smtp.port)
        worker.start()
        try:
            for _ in range(6):
                letter_journey()
            for _ in range(4):
                seen = len(smtp.messages)
                if not wait_until(lambda: len(smtp.messages) > seen or all_sent(), 20):
                    break
                time.sleep(rng.uniform(0.0, 0.3))
                worker.kill()
                # Claimed but not recorded as sent: these may have reached the server already.
                in_flight |= {row.id for row in email_rows()
                              if row.status == "pending" and row.attempts > 0}
                worker.start()
            assert wait_until(all_sent, 60), (tmp_path / "worker.log").read_text()
        finally:
            worker.kill()
    rows = {row.message_id: row for row in email_rows()}
    counts = collections.Counter(smtp.message_ids())
    assert len(rows) == 36 and set(counts) == set(rows)  # every notification arrived
    twice = {message_id for message_id, n in counts.items() if n > 1}
    assert {rows[message_id].id for message_id in twice} <= in_flight
    assert in_flight, "no kill landed while a message was being delivered"
    print(f"\nkills caught {len(in_flight)} rows in flight; {len(twice)} arrived twice")


def test_a_web_request_only_queues_its_notifications(app, db, queue, everyone_by_email, kasipem):
    """The approval answers before any e-mail leaves: the rows wait in the queue for a worker."""
    letter = make_request(status="diajukan")
    with SMTPSink() as smtp:
        app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port))
        kasipem.get(f"/kotak-masuk/{letter.id}")  # the Kasi approves what they opened
        response = kasipem.post(f"/kotak-masuk/{letter.id}", data={
            "action": "setujui", "note": "", "version": letter.version})
        assert response.status_code == 303 and smtp.messages == []
        assert {row.status for row in email_rows()} == {"pending"} and len(email_rows()) == 2
        while (task := queue.dequeue()) is not None:
            queue.execute(task)
        assert sorted(m["to"][0] for m in smtp.messages) == ["budi@contoh.id", "sekdes@desa.id"]
    assert all_sent()


def test_a_message_queued_under_a_moved_task_name_is_done_once_after_the_upgrade(
        app, db, queue, everyone_by_email, tmp_path, monkeypatch):
    """Before the package layout the task was `tasks.deliver`; huey takes such a message off the
    queue and cannot run it. The worker re-queues from the database when it starts, so the
    notification still goes out, exactly once."""
    with monkeypatch.context() as upgrade:  # the row was written; its message is the old one
        upgrade.setattr(app.extensions["queue"], "enqueue", lambda name, *args: None)
        make_request(status="draf").apply("ajukan", User.by_login(BUDI))
    [row] = email_rows()

    def deliver(notification_id):
        raise AssertionError("the old code is gone")
    deliver.__module__ = "tasks"
    queue.task()(deliver)(row.id)
    queued = [queue.serializer.deserialize(data).name for data in queue.storage.enqueued_items()]
    assert queued == ["tasks.deliver"]

    with SMTPSink() as smtp:
        worker = Worker(tmp_path, smtp.port)
        worker.start()
        try:
            assert wait_until(all_sent, 30), (tmp_path / "worker.log").read_text()
            time.sleep(1)  # a second delivery, if there were one, would arrive meanwhile
        finally:
            worker.kill()
    assert smtp.message_ids() == [Notification.get_by_id(row.id).message_id]
    assert "tasks.deliver not found" in (tmp_path / "worker.log").read_text()
