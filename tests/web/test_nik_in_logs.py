"""No NIK in a URL, so none in any log: a journey against gunicorn with its access log on (the
request lines any server or proxy in front of Balai writes down; `make run` serves with waitress,
which keeps none) and the task worker beside it, then every log is searched for 16 digits."""
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from balai.demo import seed
from tests.support.files import image_bytes, pdf_bytes
from tests.support.postgres import server_env

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
NIKS = [resident["nik"] for resident in seed.RESIDENTS]
BUDI, SITI, AHMAD = NIKS
NEW_NIK = "3213054107950004"
SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """(base URL, log files): gunicorn and the huey worker on a fresh demo village."""
    env = server_env(BALAI_DATA_DIR=str(tmp_path / "data"), PYTHONUNBUFFERED="1")
    for command in ("init-db", "seed-demo"):
        subprocess.run([BIN / "flask", "--app", "app", command], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    port = free_port()
    logs = {name: tmp_path / f"{name}.log" for name in ("access", "web", "worker")}
    processes = []
    try:
        with open(logs["web"], "w") as web_log:
            processes.append(subprocess.Popen(
                [BIN / "gunicorn", "--workers", "2", "--timeout", "120", "--bind",
                 f"127.0.0.1:{port}", "--access-logfile", logs["access"], "app:create_app()"],
                cwd=ROOT, env=env, stdout=web_log, stderr=subprocess.STDOUT))
            processes.append(subprocess.Popen(
                [BIN / "huey_consumer", "worker.huey", "--worker-type", "process", "--workers",
                 "1", "--logfile", logs["worker"]],
                cwd=ROOT, env=env, stdout=web_log, stderr=subprocess.STDOUT))
        base = f"http://127.0.0.1:{port}"
        wait_for(base)
        yield base, logs
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(base):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/", timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


class Visitor:
    """A browser-like session: it sends each form's CSRF token back, as a page would."""

    def __init__(self, base):
        self.base, self.session, self.token = base, requests.Session(), None

    def get(self, path, **options):
        return self.keep_token(self.session.get(self.base + path, timeout=30, **options))

    def post(self, path, data=None, files=None):
        data = {"csrf_token": self.token, **(data or {})}
        response = self.session.post(self.base + path, data=data, files=files, timeout=30)
        assert response.status_code < 400, (path, response.status_code)
        return self.keep_token(response)

    def keep_token(self, response):
        """The token of the page now shown (logging in starts a new session, with a new one)."""
        found = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        self.token = found.group(1) if found else self.token
        return response

    def log_in(self, login):
        self.get("/masuk")
        assert self.post("/masuk", {"login": login, "password": seed.DEMO_PASSWORD}).history


def resident_files_a_letter(base):
    budi = Visitor(base)
    budi.log_in(BUDI)
    chooser = budi.get("/surat/baru").text
    type_id = re.search(r'value="(\d+)"[^>]*>\s*<label for="jenis-\d+">Surat Keterangan '
                        r'Domisili<', chooser).group(1)
    form_key = re.search(r'name="form_key" value="([^"]+)"', chooser).group(1)
    details = budi.post("/surat/baru", {"letter_type": type_id, "form_key": form_key})
    letter = re.search(r"/surat/(\d+)/isian", details.url).group(1)
    budi.post(f"/surat/{letter}/isian", {"keperluan": "Melamar pekerjaan"})
    budi.post(f"/surat/{letter}/syarat", files={
        "syarat-ktp": ("ktp.jpg", image_bytes()), "syarat-kk": ("kk.pdf", pdf_bytes())})
    budi.post(f"/surat/{letter}/ajukan", {"version": "0"})
    for path in (f"/surat/{letter}", "/surat", "/akun", "/akun/data-saya.zip", "/notifikasi"):
        assert budi.get(path).status_code == 200, path
    return letter


def operator_searches_and_saves(base):
    operator = Visitor(base)
    operator.log_in("operator")
    found = operator.post("/operator/penduduk/", {"q": SITI}).text
    assert "Siti Aminah" in found and "Budi Santoso" not in found
    budi_id = re.search(r'href="/operator/penduduk/(\d+)">Budi Santoso', operator.get(
        "/operator/penduduk/").text).group(1)
    form = operator.get(f"/operator/penduduk/{budi_id}").text
    values = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', form))
    values.update(sex="L", religion="Islam", marital_status="Kawin", occupation="Petani")
    saved = operator.post(f"/operator/penduduk/{budi_id}", values)
    assert "sudah disimpan" in saved.text
    added = operator.post("/operator/penduduk/baru", {
        "nik": NEW_NIK, "kk_number": "3213050101100009", "name": "Neng Lilis",
        "birth_place": "Subang", "birth_date": "1995-07-01", "sex": "P", "religion": "Islam",
        "marital_status": "Belum Kawin", "occupation": "Guru", "citizenship": "WNI",
        "address": "Kp. Sindang", "rt": "4", "rw": "2", "dusun": "Dusun I"})
    assert "Neng Lilis sudah disimpan" in added.text
    counter = operator.post("/loket", {"q": AHMAD}).text
    person = re.search(r"/surat/baru\?penduduk=(\d+)", counter).group(1)
    assert operator.get(f"/surat/baru?penduduk={person}").status_code == 200


def test_no_nik_reaches_any_log(server):
    base, logs = server
    letter = resident_files_a_letter(base)
    operator_searches_and_saves(base)
    kasipem = Visitor(base)
    kasipem.log_in("kasipem")
    assert kasipem.get(f"/kotak-masuk/{letter}").status_code == 200
    stranger = Visitor(base)
    for path in (f"/surat/{letter}", "/akun", "/surat/baru?penduduk=1"):
        assert "/masuk?next=" in stranger.get(path).url
    assert stranger.get("/surat/baru?penduduk=1").url.endswith("next=/surat/baru")  # no query
    time.sleep(1)  # the worker writes its log as it goes
    access = logs["access"].read_text()
    assert access.count("\n") > 30 and '"POST /loket HTTP/1.1" 200' in access
    assert '"POST /operator/penduduk/ HTTP/1.1" 200' in access
    for name, path in logs.items():
        text = path.read_text()
        assert not SIXTEEN_DIGITS.findall(text), (name, SIXTEEN_DIGITS.findall(text)[:5])
        for nik in NIKS + [NEW_NIK]:
            assert nik not in text, (name, nik)
