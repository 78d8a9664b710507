"""The web server as run.sh starts it (serve.py), with phones on weak data: uploads trickling in
hold no app thread, a page and its files share one connection, a body declared too big is
refused at once with the app's own page, and an error page that fails is still Indonesian."""
import http.client
import re
import socket
import statistics
import subprocess
import threading
import time
from pathlib import Path

import pytest

import serve
from tests.support.notify import free_port
from tests.support.postgres import server_env

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
UPLOADERS = 24
TRICKLE_BYTES_PER_SECOND = 400_000 // 8  # 400 kbit/s each
TRICKLE_SECONDS = 12


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("served")
    env = server_env(BALAI_DATA_DIR=str(data_dir), HOST="127.0.0.1", PORT=str(free_port()))
    for command in ("init-db", "seed-demo"):
        subprocess.run([str(BIN / "flask"), "--app", "app", command], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)
    process = subprocess.Popen([str(BIN / "python"), "serve.py"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    address = ("127.0.0.1", int(env["PORT"]))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(address, timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield address
    finally:
        process.terminate()
        process.wait(10)


def home_page_seconds(address):
    connection = http.client.HTTPConnection(*address, timeout=30)
    started = time.monotonic()
    connection.request("GET", "/")
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200
    return time.monotonic() - started


def trickle(address, size, stop, answers):
    """A multipart POST to the login page, sent at 400 kbit/s until done or told to stop."""
    head = (f"POST /masuk HTTP/1.1\r\nHost: {address[0]}\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\n"
            f"Content-Length: {size}\r\n\r\n").encode()
    chunk = b"x" * (TRICKLE_BYTES_PER_SECOND // 10)
    with socket.create_connection(address, timeout=30) as sock:
        sock.sendall(head)
        sent = 0
        while sent < size and not stop.is_set():
            sock.sendall(chunk[:size - sent])
            sent += len(chunk)
            time.sleep(0.1)
        if sent >= size:
            answers.append(sock.recv(100_000))


def test_trickling_uploads_never_stall_another_visitors_page(server):
    idle = statistics.median(home_page_seconds(server) for _ in range(10))
    stop, answers = threading.Event(), []
    uploads = [threading.Thread(target=trickle, args=(server, 1_500_000, stop, answers))
               for _ in range(UPLOADERS)]
    # One small upload finishes while the others trickle: it is answered by the app, not cut.
    uploads.append(threading.Thread(target=trickle, args=(server, 150_000, stop, answers)))
    for upload in uploads:
        upload.start()
    try:
        time.sleep(1)  # every upload under way
        loaded = []
        deadline = time.monotonic() + TRICKLE_SECONDS
        while time.monotonic() < deadline:
            loaded.append(home_page_seconds(server))
            time.sleep(0.3)
    finally:
        stop.set()
        for upload in uploads:
            upload.join(30)
    assert max(loaded) < 1, loaded
    assert statistics.median(loaded) < 1.5 * idle + 0.05, (idle, loaded)
    [answer] = answers
    assert answer.startswith(b"HTTP/1.1 400") and b"Muat ulang halaman" in answer


def test_a_page_and_its_files_come_over_one_connection(server):
    connection = http.client.HTTPConnection(*server, timeout=10)
    connection.request("GET", "/")
    response = connection.getresponse()
    page = response.read().decode()
    assert response.getheader("Connection") is None
    sock = connection.sock
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert len(assets) >= 2
    for asset in assets:
        connection.request("GET", asset)
        response = connection.getresponse()
        response.read()
        assert response.status == 200 and response.getheader("Connection") is None
        assert connection.sock is sock


def test_a_body_declared_too_big_is_refused_at_once_in_indonesian(server):
    with socket.create_connection(server, timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(b"POST /masuk HTTP/1.1\r\nHost: x\r\n"
                     b"Content-Type: multipart/form-data; boundary=b\r\n"
                     b"Content-Length: 31457280\r\n\r\n")  # 30 MB, never sent
        answer = b""
        while chunk := sock.recv(100_000):
            answer += chunk
        seconds = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 413")
    assert "Berkas yang Anda kirim terlalu besar" in answer.decode()
    assert seconds < 1


def test_an_error_page_that_fails_still_answers_in_indonesian():
    def broken(environ, start_response):
        raise RuntimeError("the error page itself failed")

    statuses = []
    body = b"".join(serve.last_resort(broken)({}, lambda status, headers, exc_info=None:
                                              statuses.append(status)))
    assert statuses == ["500 Internal Server Error"]
    assert "Maaf, terjadi gangguan di server" in body.decode()
