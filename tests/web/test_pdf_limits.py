"""PDFs anyone may post (/verifikasi, a syarat upload) are read within bounds: a hostile file
is refused in seconds, not minutes, and the web process's peak memory grows by less than 256 MiB.
The bounds on time are loose (the child reader stops at 3 s; before the bounded reader a hostile
file took 57 s): they catch a reader without bounds, not a slow machine."""
import contextlib
import io
import json
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from balai import create_app, schema
from balai import db as database
from balai.demo import seed
from balai.storage import documents
from balai.web import untrusted_pdf
from tests.support import hostile_pdfs
from tests.support.files import pdf_bytes
from tests.support.signing import letter_pdf, rendered_letter_pdf
from tests.support.village import BUDI, Login, make_request

SECONDS, MIB = 20, 256
VERIFY_REFUSED = "terlalu besar atau terlalu rumit untuk sebuah surat"
SYARAT_REFUSED = "kk.pdf terlalu besar atau terlalu rumit untuk dibuka"
SYARAT_BROKEN = "kk.pdf bukan PDF yang dapat dibuka"


def peak_mib():
    return int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) / 1024


def probe(data_dir, pdf_path):
    """Run in a fresh process: post the file to /verifikasi and as Budi's syarat; print per
    route the status, the page, the seconds taken and the MiB the peak memory grew by."""
    app = create_app({"TESTING": True, "DATA_DIR": data_dir, "SECRET_KEY": "test",
                      "WTF_CSRF_ENABLED": False})
    schema.create_tables()
    with database.db.connection_context():
        seed.seed_demo(documents(app))
        request_id = make_request().id
    budi, data = Login(app).as_(BUDI), Path(pdf_path).read_bytes()
    posts = {"verifikasi": lambda: app.test_client().post(
                 "/verifikasi", data={"berkas": (io.BytesIO(data), "surat.pdf")}),
             "syarat": lambda: budi.post(
                 f"/surat/{request_id}/syarat", data={"syarat-kk": (io.BytesIO(data), "kk.pdf")})}
    results = {}
    for route, post in posts.items():
        Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here
        before, started = peak_mib(), time.monotonic()
        response = post()
        results[route] = {"status": response.status_code, "page": response.get_data(as_text=True),
                          "seconds": time.monotonic() - started, "grew": peak_mib() - before}
    print(json.dumps(results))


@pytest.mark.parametrize("make, verify_message, syarat_message", [
    (hostile_pdfs.xref_stream_bomb, VERIFY_REFUSED, SYARAT_REFUSED),
    (hostile_pdfs.flate_bomb, VERIFY_REFUSED, SYARAT_REFUSED),
    (hostile_pdfs.many_objects, VERIFY_REFUSED, SYARAT_REFUSED),
    # past the scan: pyHanko's reading is stopped in the child, pypdf refuses by itself
    (hostile_pdfs.hidden_xref_stream_bomb, VERIFY_REFUSED, SYARAT_BROKEN),
], ids=["xref-entries", "flate-bomb", "million-objects", "xref-entries-past-the-scan"])
def test_a_hostile_pdf_is_refused_quickly_and_the_worker_stays_small(
        tmp_path, make, verify_message, syarat_message):
    pdf = tmp_path / "hostile.pdf"
    pdf.write_bytes(make())
    code = f"from tests.web.test_pdf_limits import probe; probe({str(tmp_path)!r}, {str(pdf)!r})"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).parent.parent.parent)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout.splitlines()[-1])
    for route, message in (("verifikasi", verify_message), ("syarat", syarat_message)):
        result = results[route]
        assert result["status"] == 422 and message in result["page"], route
        assert result["seconds"] < SECONDS, (route, result["seconds"])
        assert result["grew"] < MIB, (route, result["grew"])


def hog(data):
    """A reader that wants a gigabyte."""
    return len(bytearray(1 << 30))


def dawdle(data):
    """A reader that never finishes."""
    time.sleep(60)


@pytest.mark.parametrize("reader", [hog, dawdle])
def test_a_reading_past_its_bounds_ends_in_the_child(reader):
    started = time.monotonic()
    with pytest.raises(untrusted_pdf.Refused):
        untrusted_pdf.read(b"%PDF-1.4\n", reader)
    assert time.monotonic() - started < SECONDS


@pytest.mark.parametrize("pattern", [
    b"1", b" ", b">>stream\n", b"/Size 1 ", b"1 0 obj ", b"x" * 2000 + b">>stream\n",
    b"<< /Filter /FlateDecode >>stream\n" + zlib.compress(b" " * (20 << 10)) + b"\nendstream\n"])
def test_the_scan_is_quick_on_ten_megabytes_of_one_pattern(pattern):
    data = b"%PDF-1.7\n" + pattern * (10 * 1024 * 1024 // len(pattern))
    started = time.monotonic()
    with contextlib.suppress(untrusted_pdf.Refused):
        untrusted_pdf.scan(data)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("make", [
    pdf_bytes, letter_pdf, rendered_letter_pdf, lambda: hostile_pdfs.many_objects(10_000)],
    ids=["blank-page", "letter", "rendered-letter", "ten-thousand-objects"])
def test_ordinary_pdfs_pass_the_scan(make):
    untrusted_pdf.scan(make())
