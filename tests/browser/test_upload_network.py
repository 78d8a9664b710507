"""Syarat uploads on a weak signal, in Chromium with its network emulation: a file goes as soon
as it is chosen; a connection that drops mid-way is retried and resumed, the file ends stored
once; a double tap stores one file."""
import time

import pytest
from playwright.sync_api import expect

from balai.letters.models import Attachment
from balai.letters.partial_uploads import PartialUpload
from tests.support.browser import LiveServer, log_in, phone_context
from tests.support.files import photo_bytes, scan_pdf_bytes
from tests.support.stored import stored_names, upload_bytes
from tests.support.village import BUDI, make_request

FAST_PHONE_LINE = {"offline": False, "latency": 100, "downloadThroughput": 2_000_000 / 8,
                   "uploadThroughput": 2_000_000 / 8}
OFFLINE = {**FAST_PHONE_LINE, "offline": True}
WEAK_SIGNAL = {**FAST_PHONE_LINE, "latency": 400, "uploadThroughput": 100_000 / 8}


class CountedUploads:
    """The app, counting what reaches it of the upload protocol: body bytes of the pieces (the
    first goes with the upload's start), and the uploads begun."""

    def __init__(self, app):
        self.app, self.piece_bytes, self.begun = app, 0, 0

    def __call__(self, environ, start_response):
        begins = environ["REQUEST_METHOD"] == "POST" and environ["PATH_INFO"].endswith("/unggahan")
        if begins or environ["REQUEST_METHOD"] == "PATCH":
            environ["wsgi.input"] = CountedStream(environ["wsgi.input"], self)
        self.begun += begins
        return self.app(environ, start_response)


class CountedStream:
    def __init__(self, stream, counter):
        self.stream, self.counter = stream, counter

    def read(self, *size):
        data = self.stream.read(*size)
        self.counter.piece_bytes += len(data)
        return data


@pytest.fixture
def served(app):
    counted = CountedUploads(app)
    with LiveServer(counted) as url:
        yield url, counted


@pytest.fixture
def syarat_page(browser, served, db):
    """Budi's syarat page in a phone tab, with a DevTools session to change its network."""
    url, _ = served
    context = phone_context(browser)
    page = context.new_page()
    log_in(page, url, BUDI)
    req = make_request()
    page.goto(f"{url}/surat/{req.id}/syarat")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", FAST_PHONE_LINE)
    yield page, cdp, req
    context.close()


def field(page, key):
    return page.locator(f"#syarat-{key}").locator("xpath=ancestor::div[contains(@class, 'field')]")


def test_a_dropped_connection_resumes_and_stores_the_scan_once(app, syarat_page, served,
                                                               tmp_path):
    page, cdp, req = syarat_page
    # A PDF is not shrunk in the browser; its pieces grow to 1 MB on this line, and the drop
    # (which lets a piece on its way through) cuts the next one.
    scan = scan_pdf_bytes(2_600_000)
    (tmp_path / "kk.pdf").write_bytes(scan)
    page.set_input_files("#syarat-kk", str(tmp_path / "kk.pdf"))  # it goes at once
    bar, deadline = field(page, "kk").locator("progress"), time.monotonic() + 30
    while bar.count() == 0 or bar.evaluate("bar => bar.value") < 400_000:  # a piece is kept
        assert time.monotonic() < deadline, "the upload did not start"
        time.sleep(0.05)
    cdp.send("Network.emulateNetworkConditions", OFFLINE)
    expect(page.get_by_text("Koneksi terputus, mencoba lagi")).to_be_visible()
    assert page.locator('button[name="unggah"][value="kk"]').is_disabled()
    time.sleep(3)
    cdp.send("Network.emulateNetworkConditions", FAST_PHONE_LINE)
    expect(field(page, "kk").get_by_text("Tersimpan")).to_be_visible()
    assert field(page, "kk").locator("progress").evaluate("bar => bar.value === bar.max")
    attachments = list(Attachment.select().where(Attachment.request == req))
    assert [a.requirement_key for a in attachments] == ["kk"]
    with app.app_context():
        assert upload_bytes(app, attachments[0].stored_name) == scan
    _, counted = served
    assert len(scan) <= counted.piece_bytes < 2 * len(scan)  # resumed, not sent again
    assert counted.begun == 1


def test_a_double_tap_stores_one_file(app, syarat_page, served, tmp_path):
    page, cdp, req = syarat_page
    (tmp_path / "ktp.jpg").write_bytes(photo_bytes((1600, 1200)))
    cdp.send("Network.emulateNetworkConditions", WEAK_SIGNAL)  # the photo takes seconds
    page.set_input_files("#syarat-ktp", str(tmp_path / "ktp.jpg"))  # shrunk, then it goes
    unggah = page.locator('button[name="unggah"][value="ktp"]')
    expect(unggah).to_be_disabled()  # while the photo is on its way
    unggah.dblclick(force=True)  # nothing happens
    expect(field(page, "ktp").get_by_text("Tersimpan")).to_be_visible()
    _, counted = served
    assert counted.begun == 1 and PartialUpload.select().count() == 1
    assert Attachment.select().where(Attachment.request == req).count() == 1
    assert len(stored_names(app, "uploads")) == 2  # the picture and its small copy
