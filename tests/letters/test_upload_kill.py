"""The web server killed outright (kill -9) while a scan comes in pieces, once at a random moment
and once while it stores the finished file: each time it is back, the offset it reports is what
it holds, the upload goes on from there, and the scan ends stored once, byte for byte."""
import http.cookiejar
import os
import random
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from balai.letters.models import Attachment
from tests.support.files import scan_pdf_bytes
from tests.support.hosting import same_village
from tests.support.notify import free_port
from tests.support.postgres import server_env
from tests.support.stored import upload_bytes
from tests.support.village import BUDI, csrf_token_from, make_request

ROOT = Path(__file__).resolve().parents[2]
PIECE = 64 * 1024


class Served:
    """serve.py (as run.sh starts it) on the test's village, in a process group of its own."""

    def __init__(self, app):
        self.port = free_port()
        self.env = server_env(BALAI_DATA_DIR=app.config["DATA_DIR"], HOST="127.0.0.1",
                              PORT=str(self.port), **same_village(app))
        self.process = None

    def start(self):
        self.process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "python"), "serve.py"],
                                        cwd=ROOT, env=self.env, start_new_session=True,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError("serve.py did not start")

    def kill(self):
        """SIGKILL to the server and whatever it started (a PDF check's child)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


class Phone:
    """Budi's browser: cookies, the CSRF token, and the answers as (status, headers, body)."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.token = ""

    def ask(self, method, path, body=None, headers=None):
        request = urllib.request.Request(self.base + path, data=body, method=method,
                                         headers={"X-CSRFToken": self.token, **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def log_in(self, syarat_page):
        self.token = csrf_token_from(self.ask("GET", "/masuk")[2].decode())
        form = {"login": BUDI, "password": "sukamaju123", "csrf_token": self.token}
        self.ask("POST", "/masuk", urllib.parse.urlencode(form).encode())
        self.token = csrf_token_from(self.ask("GET", syarat_page)[2].decode())


def send_until_cut(phone, location, scan, before_last=lambda: None):
    """Send pieces from the server's offset until the scan is stored (True) or the server is
    gone (False)."""
    try:
        status, headers, _ = phone.ask("HEAD", location)
        while status != 200:
            offset = int(headers["Upload-Offset"])
            if offset + PIECE >= len(scan):
                before_last()
            status, headers, _ = phone.ask(
                "PATCH", location, scan[offset:offset + PIECE],
                {"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
            assert status in (200, 204), status
        return True
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


def test_kill_9_at_any_moment_loses_nothing_and_doubles_nothing(app, db):
    req = make_request()
    scan = scan_pdf_bytes(1_300_000)
    server = Served(app)
    server.start()
    phone = Phone(server.port)
    phone.log_in(f"/surat/{req.id}/syarat")
    status, headers, _ = phone.ask("POST", f"/surat/{req.id}/syarat/kk/unggahan",
                                   urllib.parse.urlencode({"id": "pindaian-kk-0123456789",
                                                           "nama": "kk.pdf",
                                                           "ukuran": len(scan)}).encode())
    assert status == 201
    location = headers["Location"]
    def kill_soon(seconds):
        threading.Timer(seconds, server.kill).start()

    try:
        kill_soon(random.uniform(0.05, 0.5))  # somewhere in the first pieces
        stored = send_until_cut(phone, location, scan)
        if not stored:  # then while the last piece is stored: the PDF checked, filed, attached
            server.start()
            stored = send_until_cut(phone, location, scan, lambda: kill_soon(0.1))
        while not stored:
            server.start()
            stored = send_until_cut(phone, location, scan)
    finally:
        server.kill()
    attachments = list(Attachment.select().where(Attachment.request == req))
    assert [a.requirement_key for a in attachments] == ["kk"]
    assert upload_bytes(app, attachments[0].stored_name) == scan
