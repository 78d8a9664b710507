"""Test stand-ins for the outside world of notifications: an SMTP server and a WhatsApp gateway."""
import asyncio
import email
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller

from balai.db import now
from balai.letters.models import LetterRequest
from balai.notify.models import ContactPoint
from balai.people.models import User
from tests.support.village import make_request


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPSink:
    """A real SMTP server on 127.0.0.1 that keeps every message it accepted, in order."""

    def __init__(self, delay=0.0):
        self.delay = delay
        self.messages = []
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        """Keep the message, then (if slow) wait before saying so: a sender killed meanwhile
        never learns that the message arrived, as after a real network cut."""
        message = email.message_from_bytes(envelope.content)
        self.messages.append({"to": list(envelope.rcpt_tos), "message_id": message["Message-ID"],
                              "subject": message["Subject"],
                              "body": message.get_payload(decode=True).decode()})
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 OK"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def message_ids(self):
        return [m["message_id"] for m in self.messages]


class WAGateway:
    """An HTTP server standing in for a rented WhatsApp gateway; `script` says how to answer
    each request in turn ("ok", "500" or "slow"), then "ok" for the rest."""

    def __init__(self, script=(), slow_seconds=1.0):
        self.script = list(script)
        self.slow_seconds = slow_seconds
        self.received = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                fields = (json.loads(body) if self.headers["Content-Type"] == "application/json"
                          else {k: v[0] for k, v in parse_qs(body).items()})
                answer = gateway.script.pop(0) if gateway.script else "ok"
                gateway.received.append({"fields": fields, "answer": answer,
                                         "token": self.headers.get("Authorization"),
                                         "headers": dict(self.headers)})
                if answer == "slow":
                    time.sleep(gateway.slow_seconds)
                self.send_response(500 if answer == "500" else 200)
                self.end_headers()
                self.wfile.write(b'{"status": true}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def official(username):
    return User.get(User.username == username)


def verified(user, channel, address):
    """A contact point as if its code had been entered."""
    return ContactPoint.create(user=user, channel=channel, address=address, verified_at=now())


def letter_journey(slug="domisili", nik=None):
    """Submit a request and take it through every approval up to the issued letter."""
    request = make_request(slug=slug, **({"nik": nik} if nik else {}))
    resident = User.get(User.person == request.person)
    request.apply("ajukan", resident)
    kasi = "kasipem" if request.letter_type.verifier == "kasi_pem" else "kasikesra"
    for username in (kasi, "sekdes", "kades"):
        request.apply("setujui", official(username))
    return LetterRequest.get_by_id(request.id)
