"""A fake BSrE Esign Client API v2 on 127.0.0.1, in a thread, signing with the demo Kades's key.

Built from BSrE's API as its published guide ("Petunjuk Teknis Penggunaan API Esign Client
Service v2.2.1") is used by public clients:
- kiiskominfokepri/esign-ts DOCS.md and src/v2/EsignClient.ts: HTTP Basic auth; `POST
  /api/v2/sign/pdf` with JSON {nik and/or email, passphrase or totp, signatureProperties: [...],
  file: [base64, ...]}, one signatureProperties entry for all files or one per file;
  `POST /api/v2/user/check/status` with {nik} or {email}; `POST /api/v2/verify/pdf`.
- kiiskominfokepri/esign-ts src/dto/SignatureProperties.ts: tampilan INVISIBLE or VISIBLE;
  VISIBLE carries imageBase64, page, originX, originY, width, height (or tag_koordinat);
  reason and location always.
- kiiskominfokepri/esign-ts src/v2/UserStatusResponse.ts: the status answer {status: ISSUE |
  EXPIRED | RENEW | WAITING_FOR_VERIFICATION | NEW | NO_CERTIFICATE | NOT_REGISTERED | SUSPEND
  | REVOKE}; only ISSUE can sign. kiiskominfokepri/esign-ts tests/v2/Esign.test.ts: a signed
  answer is {time, file: [base64]}.
- The error answer {"status_code": 2031, "error": "Passphrase anda salah"} with HTTP 400, and
  2011 for a signer not registered, as Laravel and Go BSrE clients handle them (a `switch` on
  status_code 2011 / 2031; "Proses signing gagal : Passphrase anda salah 2031" on HTTP 400);
  2021 (no certificate) as the issue names it.
"""
import base64
import binascii
import contextlib
import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from balai.demo import seed
from balai.signing import keys as signing

APP_USER, APP_PASSWORD = "desa-sukamaju", "rahasia-aplikasi-v2"
TOTP = "246810"  # the code the fake's authenticator shows now
STATUS_CODES = {"NOT_REGISTERED": 2011, "NO_CERTIFICATE": 2021}
ERRORS = {2011: "Pengguna tidak terdaftar", 2021: "Pengguna tidak memiliki sertifikat",
          2031: "Passphrase anda salah"}
VISIBLE_FIELDS = ("imageBase64", "page", "originX", "originY", "width", "height")


class FakeBSrE(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, unlocked, nik):
        super().__init__(("127.0.0.1", 0), BSrEHandler)
        self.unlocked = unlocked
        self.statuses = {nik: "ISSUE"}  # NIK -> user status; unknown NIKs are NOT_REGISTERED
        self.mode = "ok"  # ok | slow (answers after the client gave up) | error | garbled |
        # drop (closes the connection without an answer) | down (the status check fails too)
        self.code = None  # an error status_code the next sign calls answer with
        self.passphrase, self.totp = seed.DEMO_SIGNING_PASSPHRASE, TOTP  # what BSrE accepts
        self.received = []  # (path, Authorization header, JSON body) of every call

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def calls(self, path):
        return [body for called, _, body in self.received if called == path]

    def handle_error(self, request, client_address):
        pass  # a client that timed out closed its end: nothing to report


class BSrEHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        self.server.received.append((self.path, self.headers.get("Authorization"), body))
        expected = "Basic " + base64.b64encode(f"{APP_USER}:{APP_PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            return self.answer(401, {"error": "Unauthorized"})
        if not isinstance(body, dict) or self.headers.get("Content-Type") != "application/json":
            return self.answer(400, {"error": "Request tidak valid"})
        if self.path == "/api/v2/user/check/status":
            if self.server.mode == "down":
                return self.answer(503, {"error": "Service Unavailable"})
            return self.status(body)
        if self.path == "/api/v2/sign/pdf":
            return self.sign(body)
        self.answer(404, {"error": "Not Found"})

    def status(self, body):
        if not (body.get("nik") or body.get("email")):
            return self.answer(400, {"error": "nik atau email wajib diisi"})
        status = self.server.statuses.get(body.get("nik"), "NOT_REGISTERED")
        answer = {"status": status, "message": f"Status pengguna {status}"}
        if status in STATUS_CODES:
            answer["status_code"] = STATUS_CODES[status]
        self.answer(200, answer)

    def sign(self, body):
        mode, server = self.server.mode, self.server
        if mode == "slow":
            time.sleep(1.5)  # past the client's timeout (see slow()): it never sees this answer
        if mode == "error":
            return self.answer(500, {"error": "Internal Server Error"})
        if mode == "drop":
            self.close_connection = True
            return None
        problem = invalid(body)
        if problem:
            return self.answer(400, {"error": problem})
        if server.statuses.get(body.get("nik"), "NOT_REGISTERED") != "ISSUE":
            return self.error(STATUS_CODES.get(server.statuses.get(body.get("nik")), 2011))
        if server.code:
            return self.error(server.code)
        by_totp = "totp" in body
        if body.get("totp" if by_totp else "passphrase") != (
                server.totp if by_totp else server.passphrase):
            return self.error(2031)
        files = ["bukan-base64!"] if mode == "garbled" else [
            base64.b64encode(server.unlocked.sign(base64.b64decode(item))).decode()
            for item in body["file"]]
        self.answer(200, {"time": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                          "file": files})

    def error(self, code):
        self.answer(400, {"status_code": code, "error": ERRORS.get(code, "Gagal")})

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def invalid(body):
    """What a v2 sign request lacks, as BSrE would say it; None when it is well formed."""
    if not (body.get("nik") or body.get("email")):
        return "nik atau email wajib diisi"
    if not (body.get("passphrase") or body.get("totp")):
        return "passphrase atau totp wajib diisi"
    files, properties = body.get("file"), body.get("signatureProperties")
    if not (isinstance(files, list) and files and isinstance(properties, list) and properties):
        return "file dan signatureProperties wajib berupa array"
    if len(properties) not in (1, len(files)):
        return "jumlah signatureProperties tidak sesuai jumlah file"
    for item in properties:
        if item.get("tampilan") not in ("INVISIBLE", "VISIBLE"):
            return "tampilan harus INVISIBLE atau VISIBLE"
        if item["tampilan"] == "VISIBLE" and not (
                item.get("tag_koordinat") or all(key in item for key in VISIBLE_FIELDS)):
            return "tampilan VISIBLE memerlukan imageBase64, page, originX, originY, width, height"
    try:
        if not all(base64.b64decode(item, validate=True).startswith(b"%PDF-") for item in files):
            return "file bukan PDF"
    except (binascii.Error, TypeError):
        return "file bukan base64"
    return None


@contextlib.contextmanager
def running_bsre(app, row):
    """FakeBSrE on 127.0.0.1 for `row` (its NIK ISSUE), configured in the app as API v2."""
    server = FakeBSrE(signing.unlock(row, seed.DEMO_SIGNING_PASSPHRASE), row.nik)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    app.config.update(BALAI_TTE_URL=server.url, BALAI_TTE_USER=APP_USER,
                      BALAI_TTE_PASSWORD=APP_PASSWORD, BALAI_TTE_TOKEN=None,
                      BALAI_TTE_TIMEOUT="10", BALAI_BSRE_API="v2")
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
