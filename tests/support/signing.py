"""PDFs and key material for the signing tests, made once per test session; a fake remote
signing service; the Kades's approval with the passphrase and the public file check."""
import contextlib
import datetime
import email.parser
import email.policy
import functools
import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from reportlab.pdfgen import canvas

from balai.demo import seed
from balai.letters.models import LetterRequest
from balai.signing import keys as signing
from tests.support.stored import letter_bytes

PASSPHRASE = seed.DEMO_SIGNING_PASSPHRASE
NIK = "3213051508700009"
LETTER_TEXT = b"Surat Keterangan Domisili Nomor 470/001/3213052001/XI/2026"


def approve(client, letter, passphrase=PASSPHRASE):
    return client.post(f"/kotak-masuk/{letter.id}", data={
        "action": "setujui", "note": "", "passphrase": passphrase, "version": letter.version})


def reloaded(letter):
    return LetterRequest.get_by_id(letter.id)


def stored_pdf(app, letter):
    return letter_bytes(app, letter.pdf_file)


def check_upload(client, data, url="/verifikasi", name="surat.pdf"):
    return client.post(url, data={"berkas": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@functools.cache
def letter_pdf():
    """A small unsigned letter, content stream left uncompressed so tests can find its text."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=0)
    page.drawString(72, 720, LETTER_TEXT.decode())
    page.drawString(72, 700, "Nama: Budi Santoso")
    page.save()
    return buffer.getvalue()


@functools.cache
def rendered_letter_pdf():
    """A letter as the app renders them: xhtml2pdf, A4, with a QR code image on the page."""
    import base64

    import segno
    from xhtml2pdf import pisa
    qr_png = io.BytesIO()
    segno.make("http://127.0.0.1:5000/verifikasi/tok123").save(qr_png, kind="png", scale=4)
    qr = base64.b64encode(qr_png.getvalue())
    html = (f"<html><body><h3>SURAT KETERANGAN DOMISILI</h3><p>{LETTER_TEXT.decode()}</p>"
            f"<p>Kepala Desa Sukamaju<br><img src='data:image/png;base64,{qr.decode()}'><br>"
            "H. Ujang Suryana</p></body></html>")
    buffer = io.BytesIO()
    assert not pisa.CreatePDF(html, dest=buffer).err
    return buffer.getvalue()


@functools.cache
def other_village():
    """CA and signer of another village: (ca, (key, cert))."""
    ca = signing.make_ca("Desa Lain")
    return ca, signing.make_signer(ca, "Kepala Desa Lain", "Desa Lain")


@functools.cache
def former_kades_key():
    """A key of a former Kades, from the demo CA, whose certificate was valid 2019-2025 only."""
    ca_p12 = seed.demo_signing_material()[0]
    ca_key, ca_cert, _ = signing.open_p12(ca_p12, seed.DEMO_SIGNING_PASSPHRASE)
    utc = datetime.timezone.utc
    return ca_cert, signing.make_signer((ca_key, ca_cert), "Drs. Karta Wijaya", "Desa Sukamaju",
                                        valid_from=datetime.datetime(2019, 1, 1, tzinfo=utc),
                                        valid_to=datetime.datetime(2025, 1, 1, tzinfo=utc))


class FakeTTE(ThreadingHTTPServer):
    """A BSrE-style service on 127.0.0.1: POST /api/sign/pdf (nik, passphrase, file)."""
    daemon_threads = True

    def __init__(self, unlocked):
        super().__init__(("127.0.0.1", 0), TTEHandler)
        self.unlocked = unlocked  # signs with the demo Kades's key, so results validate
        self.mode = "ok"
        self.before = None  # called as a request arrives, in the server's thread
        self.received = []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class TTEHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.default).parsebytes(head + body)
        form = {part.get_param("name", header="content-disposition"): part.get_content()
                for part in message.iter_parts()}
        self.server.received.append((self.path, self.headers.get("Authorization"), form))
        mode = self.server.mode
        if self.server.before:
            self.server.before()
        if mode == "slow":
            time.sleep(1.5)
        if mode == "error":
            return self.answer(500, b'{"error": "internal"}', "application/json")
        if form.get("passphrase") != seed.DEMO_SIGNING_PASSPHRASE:
            return self.answer(400, b'{"error": "Passphrase anda salah"}', "application/json")
        self.answer(200, self.server.unlocked.sign(form["file"]), "application/pdf")

    def answer(self, status, body, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def slow(app, server):
    """From now on the fake answers only after the app gave up waiting (0.5 s); signing on a
    busy machine may take longer than that, so only tests of the timeout set it this short."""
    server.mode = "slow"
    app.config["BALAI_TTE_TIMEOUT"] = "0.5"


@contextlib.contextmanager
def running_tte(app, row):
    """FakeTTE on 127.0.0.1, signing with `row`'s demo key, configured in the app."""
    server = FakeTTE(signing.unlock(row, seed.DEMO_SIGNING_PASSPHRASE))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    app.config.update(BALAI_TTE_URL=server.url, BALAI_TTE_TOKEN="rahasia-aplikasi",
                      BALAI_TTE_TIMEOUT="10")
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
