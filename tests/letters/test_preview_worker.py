"""The real huey consumer makes the draft letter's images, and a render whose message was lost
(the queue emptied before the worker took it) is made all the same: the worker's start-up asks
the database what is still to make."""
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from huey.storage import SqliteStorage

import balai
from balai.letters.preview import LetterPreview
from tests.support.hosting import wait_until
from tests.support.village import make_request

ROOT = Path(balai.__file__).resolve().parent.parent  # where worker.py is
PENDING = "Pratinjau surat sedang disiapkan…"


@pytest.fixture
def queue(app, monkeypatch, tmp_path):
    """The page enqueues into the SQLite queue file the worker reads (not immediate mode)."""
    huey = app.extensions["queue"].huey
    monkeypatch.setattr(huey, "_immediate", False)
    monkeypatch.setattr(huey, "storage", SqliteStorage("balai", filename=str(tmp_path / "huey.db")))
    return huey


@pytest.fixture
def start_worker(app, tmp_path):
    """`huey_consumer worker.huey` (two threads) on the test's data, its store and queue."""
    started = []

    def start():
        env = dict(os.environ, BALAI_DATA_DIR=str(tmp_path), BALAI_HUEY_IMMEDIATE="0",
                   BALAI_SECRET_KEY="test", BALAI_STORAGE_URL=app.config["STORAGE_URL"],
                   PYTHONPATH=str(ROOT))
        log = open(tmp_path / "worker.log", "ab")
        started.append(subprocess.Popen(
            [str(Path(sys.executable).parent / "huey_consumer"), "worker.huey", "-w", "2",
             "-k", "thread"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True))
    yield start
    for process in started:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


def images_shown(client, letter):
    piece = client.get(f"/kotak-masuk/{letter.id}/pratinjau").get_data(as_text=True)
    return re.findall(r'src="([^"]+\.png)"', piece)


def test_the_worker_makes_the_images_the_page_asked_for(kades, queue, start_worker, tmp_path):
    letter = make_request(status="diperiksa")
    assert PENDING in kades.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True)
    assert queue.pending_count() == 1  # the request id and version, nothing else
    start_worker()
    urls = wait_until(lambda: images_shown(kades, letter), 90)
    assert urls, (tmp_path / "worker.log").read_text()
    assert kades.get(urls[0]).status_code == 200


def test_a_lost_message_is_made_at_the_workers_start(kades, queue, start_worker, tmp_path):
    letter = make_request(status="diperiksa")
    kades.get(f"/kotak-masuk/{letter.id}")
    queue.flush()  # the message is gone; the row still says the images are wanted
    assert queue.pending_count() == 0
    assert LetterPreview.get(LetterPreview.request == letter.id).pages == 0
    start_worker()
    urls = wait_until(lambda: images_shown(kades, letter), 90)
    assert urls, (tmp_path / "worker.log").read_text()
