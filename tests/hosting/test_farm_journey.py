"""A farm: two gunicorn processes, each with a data folder of its own, on one PostgreSQL
database, one Redis queue and one bucket, and a huey consumer beside them. A whole letter, from
the resident's login to the public check of the signed PDF, with every request going to the
other node than the one before: a syarat sent in pieces too, each piece to the other node."""
import itertools
import re
import secrets
from pathlib import Path

import pytest
import requests

from balai.demo import seed
from balai.letters.models import LetterRequest, LetterType
from balai.storage import Bucket, documents
from tests.support.files import image_bytes, scan_pdf_bytes
from tests.support.hosting import (
    all_sent,
    consumer,
    email_rows,
    everyone_by_email,
    gunicorn,
    healthy,
    same_village,
    wait_until,
)
from tests.support.notify import SMTPSink, free_port
from tests.support.postgres import needs_postgres, server_env
from tests.support.redis_server import RedisServer
from tests.support.village import BUDI, csrf_token_from

pytestmark = needs_postgres
PIECE = 200_000


@pytest.fixture
def shared(app, tmp_path):
    """What the nodes share besides the database: the test's bucket and a Redis of its own."""
    store = documents(app)
    if not isinstance(store, Bucket):
        pytest.skip("a farm's nodes share their documents: run with BALAI_STORAGE_URL=s3://...")
    (tmp_path / "redis-data").mkdir()
    with RedisServer(tmp_path / "redis-data") as redis_server:
        yield {**same_village(app), "REDIS_URL": redis_server.url}


@pytest.fixture
def farm(shared, tmp_path):
    """Two gunicorn nodes (their URLs) and a consumer, e-mail going to an SMTP sink."""
    processes = []
    with SMTPSink() as smtp:
        def env(name):
            folder = tmp_path / name
            folder.mkdir()
            return server_env(BALAI_DATA_DIR=str(folder), BALAI_SMTP_HOST="127.0.0.1",
                              BALAI_SMTP_PORT=str(smtp.port), **shared)
        try:
            urls = []
            for name in ("node-a", "node-b"):
                port = free_port()
                processes.append(gunicorn(env(name), port))
                urls.append(f"http://127.0.0.1:{port}")
            processes.append(consumer(env("worker")))
            for url, process in zip(urls, processes):
                assert wait_until(lambda: healthy(url), 60, pause=0.2), process.log()
            yield urls
        finally:
            for process in processes:
                process.stop()


class Visitor:
    """A browser whose every request a load balancer sends to the next node in turn."""

    def __init__(self, urls):
        self.session, self.nodes = requests.Session(), itertools.cycle(urls)
        self.token = ""

    def ask(self, method, path, headers=None, **options):
        response = self.session.request(method, next(self.nodes) + path, allow_redirects=False,
                                        headers={"X-CSRFToken": self.token, **(headers or {})},
                                        timeout=60, **options)
        self.token = csrf_token_from(response.text) or self.token
        return response

    def get(self, path):
        response = self.ask("GET", path)
        assert response.status_code == 200, (path, response.status_code)
        return response.text

    def post(self, path, data=None, **options):
        return self.ask("POST", path, data={"csrf_token": self.token, **(data or {})}, **options)

    def log_in(self, login):
        self.get("/masuk")
        answer = self.post("/masuk", {"login": login, "password": seed.DEMO_PASSWORD})
        assert answer.status_code == 303, answer.text


def the_id(response, pattern):
    return int(re.search(pattern, response.headers["Location"]).group(1))


def ask_for_a_letter(budi):
    """Budi asks for a Surat Keterangan Domisili, his KTP by the plain form and his KK in
    pieces; returns the request's id and the KK's bytes."""
    budi.log_in(BUDI)
    form_key = re.search(r'name="form_key" value="([^"]+)"', budi.get("/surat/baru")).group(1)
    domisili = LetterType.get(LetterType.slug == "domisili")
    started = budi.post("/surat/baru", {"letter_type": domisili.id, "form_key": form_key})
    letter_id = the_id(started, r"/surat/(\d+)/isian")
    budi.get(f"/surat/{letter_id}/isian")
    assert budi.post(f"/surat/{letter_id}/isian",
                     {"keperluan": "Melamar pekerjaan"}).status_code == 303
    budi.get(f"/surat/{letter_id}/syarat")
    photo = budi.post(f"/surat/{letter_id}/syarat", {"unggah": "ktp"},
                      files={"syarat-ktp": ("ktp.jpg", image_bytes(size=(800, 500)),
                                            "image/jpeg")})
    assert photo.status_code == 303, photo.text
    scan = scan_pdf_bytes(1_000_000)
    send_in_pieces(budi, letter_id, scan)
    page = budi.get(f"/surat/{letter_id}/periksa")
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert budi.post(f"/surat/{letter_id}/ajukan", {"version": version}).status_code == 303
    return letter_id, scan


def send_in_pieces(budi, letter_id, scan):
    budi.get(f"/surat/{letter_id}/syarat")
    begun = budi.ask("POST", f"/surat/{letter_id}/syarat/kk/unggahan", data={
        "id": secrets.token_urlsafe(16), "nama": "kk.pdf", "ukuran": len(scan)})
    assert begun.status_code == 201, begun.text
    location = urlpath(begun.headers["Location"])
    offset = 0
    while offset < len(scan):
        held = budi.ask("HEAD", location)
        assert int(held.headers["Upload-Offset"]) == offset  # the other node holds it too
        sent = budi.ask("PATCH", location, data=scan[offset:offset + PIECE], headers={
            "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
        offset += PIECE
        assert sent.status_code == (200 if offset >= len(scan) else 204), sent.text
    assert "Tersimpan" in sent.text


def urlpath(location):
    return re.sub(r"^https?://[^/]+", "", location)


def approve(urls, login, letter_id):
    """The official opens the request, then approves it (the Kades signs) on the other node."""
    official = Visitor(urls)
    official.log_in(login)
    page = official.get(f"/kotak-masuk/{letter_id}")
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    answer = official.post(f"/kotak-masuk/{letter_id}", {
        "action": "setujui", "note": "", "version": version,
        "passphrase": seed.DEMO_SIGNING_PASSPHRASE})
    assert answer.status_code == 303, (login, answer.status_code, answer.text[:500])


def test_a_letter_from_login_to_verified_pdf_across_two_gunicorn_nodes(app, db, farm, tmp_path):
    everyone_by_email()
    budi = Visitor(farm)
    letter_id, scan = ask_for_a_letter(budi)
    letter = LetterRequest.get_by_id(letter_id)
    assert letter.status == "diajukan" and letter.attachments.count() == 2
    assert documents(app).get(f"uploads/{letter.attachment_for('kk').stored_name}") == scan

    for login in ("kasipem", "sekdes", "kades"):
        approve(farm, login, letter_id)
    issued = LetterRequest.get_by_id(letter_id)
    assert issued.status == "selesai" and issued.number

    downloaded = budi.ask("GET", f"/surat/{letter_id}/unduh")
    assert downloaded.status_code == 200
    assert downloaded.content == documents(app).get(f"letters/{issued.pdf_file}")
    checker = Visitor(farm)
    checker.get("/verifikasi")
    verdict = checker.post("/verifikasi", files={
        "berkas": ("surat.pdf", downloaded.content, "application/pdf")}).text
    assert "msg-success" in verdict and "ASLI" in verdict and issued.number in verdict

    assert wait_until(all_sent, 60), "the consumer did not send every notification"
    assert len(email_rows()) >= 4
    for node in ("node-a", "node-b"):  # no document stayed on a node
        assert not {"uploads", "letters", "keys", "partial"} & {
            path.name for path in Path(tmp_path, node).iterdir()}
