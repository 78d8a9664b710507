"""A shared host runs no worker daemon: the worker runs inside the web server
(BALAI_WORKER=inline), or cron calls `flask --app app run-pending` every minute. Either way a
letter approved on the real server ends as a signed PDF and every notification arrives."""
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.hosting import (
    ROOT,
    WebServer,
    all_sent,
    approve_to_signed_pdf,
    balai_env,
    email_rows,
    everyone_by_email,
    genuine,
    gunicorn,
    healthy,
    threads_of_children,
    wait_until,
)
from tests.support.notify import SMTPSink, free_port
from tests.support.stored import letter_bytes
from tests.support.village import make_request


@pytest.fixture
def submitted(app, db):
    """Budi's request, waiting for the Kasi; everyone it concerns gets e-mail."""
    everyone_by_email()
    return make_request(status="diajukan").id


def letter_file(app, letter):
    return letter_bytes(app, letter.pdf_file)


def test_the_inline_worker_delivers_without_a_consumer(app, submitted, tmp_path):
    with SMTPSink() as smtp:
        server = WebServer(balai_env(tmp_path, smtp.port, BALAI_WORKER="inline"))
        try:
            letter = approve_to_signed_pdf(server.url, submitted)
            assert letter.status == "selesai" and genuine(server.url, letter_file(app, letter))
            assert wait_until(all_sent, 30), server.log()
        finally:
            stopped = server.stop()
    assert stopped == 0, server.log()  # SIGTERM: the worker thread stopped with the server
    assert len(email_rows()) == 5
    assert sorted(smtp.message_ids()) == sorted(row.message_id for row in email_rows())


def test_a_cron_round_completes_what_the_web_server_left(app, submitted, tmp_path):
    with SMTPSink() as smtp:
        env = balai_env(tmp_path, smtp.port)
        server = WebServer(env)
        try:
            letter = approve_to_signed_pdf(server.url, submitted)
            assert letter.status == "selesai" and genuine(server.url, letter_file(app, letter))
            assert {row.status for row in email_rows()} == {"pending"}  # no worker anywhere
            flask = Path(sys.executable).parent / "flask"
            done = subprocess.run([str(flask), "--app", "app", "run-pending"], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stdout + done.stderr
        finally:
            server.stop()
    assert all_sent() and len(email_rows()) == 5
    assert sorted(smtp.message_ids()) == sorted(row.message_id for row in email_rows())


def test_every_gunicorn_worker_runs_its_own_inline_worker_and_each_message_goes_once(
        app, submitted, tmp_path, redis_url):
    """Three web processes, each with its worker thread, all taking from one Redis queue (and
    each sweeping the database when it starts): every notification arrives exactly once."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with SMTPSink() as smtp:
        web = gunicorn(balai_env(tmp_path, smtp.port, BALAI_WORKER="inline", REDIS_URL=redis_url),
                       port, workers=3)
        try:
            assert wait_until(lambda: healthy(url), 60, pause=0.2), web.log()
            letter = approve_to_signed_pdf(url, submitted)
            assert letter.status == "selesai"
            assert wait_until(all_sent, 30), web.log()
            # A worker thread and huey's scheduler beside the main thread, in two processes or
            # more: whichever process serves a request has started its own.
            assert wait_until(lambda: healthy(url) and sum(
                n >= 3 for n in threads_of_children(web.process.pid)) >= 2, 30), (
                threads_of_children(web.process.pid))
        finally:
            web.stop()
    assert len(email_rows()) == 5
    assert sorted(smtp.message_ids()) == sorted(row.message_id for row in email_rows())
