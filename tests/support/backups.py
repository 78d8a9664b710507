"""What the backup, restore and move-to tests share: a Kades signing, a resident replacing a
scan while a backup runs, a letter checked on the verification page, a second village's own
database."""
import contextlib
import io
import threading
import time

from werkzeug.datastructures import FileStorage

from balai.db import db
from balai.demo import seed
from balai.letters.models import LetterRequest
from balai.letters.uploads import delete_upload, save_upload
from tests.support import postgres
from tests.support.files import pdf_bytes
from tests.support.stored import letter_bytes
from tests.support.village import Login, make_request


def approve(client, letter):
    return client.post(f"/kotak-masuk/{letter.id}", data={
        "action": "setujui", "note": "", "version": letter.version,
        "passphrase": seed.DEMO_SIGNING_PASSPHRASE})


def issue_letter(app):
    letter = make_request(status="diperiksa")
    assert approve(Login(app).as_("kades"), letter).status_code == 303
    return LetterRequest.get_by_id(letter.id)


def checks_as_asli(app, letter):
    pdf = letter_bytes(app, letter.pdf_file)
    page = app.test_client().post("/verifikasi", data={"berkas": (io.BytesIO(pdf), "surat.pdf")},
                                  content_type="multipart/form-data").get_data(as_text=True)
    return "ASLI" in page and letter.number in page


def replace_upload(request):
    """What a resident replacing a scan does: the new file and row, then the old file goes."""
    saved = save_upload(FileStorage(io.BytesIO(pdf_bytes()), "ktp.pdf"))
    replaced = request.attach("ktp", saved)
    if replaced:
        delete_upload(replaced)


class Writer(threading.Thread):
    """A resident replacing a scan, over and over until stopped (or `times` times); with
    `letters`, the Kades also signs a letter every tenth time. One thread: two would trip over
    each other's read-then-write transactions, which is not what these tests are about."""

    def __init__(self, app, request, times=None, letters=False):
        super().__init__(daemon=True)
        self.app, self.request, self.times, self.letters = app, request, times, letters
        self.done, self.error, self.stop = 0, None, threading.Event()
        self.writing = []  # (start, end) of each round, by time.monotonic()

    def run(self):
        with self.app.app_context():
            try:
                kades = self.letters and Login(self.app).as_("kades")
                while not self.stop.is_set() and self.done != self.times:
                    start = time.monotonic()
                    replace_upload(self.request)
                    if kades and self.done % 10 == 0:
                        assert approve(kades, make_request(status="diperiksa")).status_code == 303
                    self.done += 1
                    self.writing.append((start, time.monotonic()))
            except Exception as error:  # reported by the test
                self.error = error
            finally:
                db.close()


def backup_under_a_writer(app, target):
    """`flask backup target` while a resident uploads and letters are issued (the backup and
    the writing overlap): the command's result."""
    writer = Writer(app, make_request(), letters=True)
    writer.start()
    try:
        while writer.done < 3 and writer.is_alive():
            writer.join(0.05)
        started = time.monotonic()
        result = run_command(app, "backup", str(target))
        ended = time.monotonic()
    finally:
        writer.stop.set()
        writer.join(30)
    assert writer.error is None
    assert any(start < ended and end > started for start, end in writer.writing)
    return result


def run_command(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


@contextlib.contextmanager
def other_database():
    """Settings that give a second village (a restore's) a database of its own: on PostgreSQL a
    new, empty database, dropped after the test; on SQLite its data dir holds one."""
    if not postgres.ENABLED:
        yield {}
        return
    name = postgres.fresh_name("other")
    postgres.create(name)
    try:
        yield postgres.app_config(postgres.url(name))
    finally:
        if hasattr(db.obj, "close_all"):
            db.close()
            db.obj.close_all()
        postgres.drop(name)
