"""The first piece of a resumable syarat upload goes with its start (tus's creation with upload):
a photo under 1 MB is stored by one request; a start sent again after a lost answer keeps nothing
twice; a larger file goes on from the offset the start reports."""
import io
import secrets

import pytest

from balai.letters.models import Attachment
from balai.letters.partial_uploads import PIECE_MAX_BYTES, PartialUpload
from tests.support.files import photo_bytes, scan_pdf_bytes
from tests.support.stored import stored_names, upload_bytes
from tests.support.village import make_request

OCTETS = "application/offset+octet-stream"


def begin_with(client, req, data, first, upload_id, key="ktp", name="ktp.jpg"):
    return client.post(f"/surat/{req.id}/syarat/{key}/unggahan", content_type="multipart/form-data",
                       data={"id": upload_id, "nama": name, "ukuran": len(data),
                             "potongan": (io.BytesIO(first), "potongan")})


@pytest.fixture
def req(db):
    return make_request()


def test_a_photo_under_1_mb_is_stored_by_its_start_once_however_often_sent(app, budi, req):
    photo, upload_id = photo_bytes((1600, 1200)), secrets.token_urlsafe(16)
    for _ in range(2):  # the second: the answer to the first was lost
        stored = begin_with(budi, req, photo, photo, upload_id)
        assert stored.status_code == 200 and "Tersimpan" in stored.get_data(as_text=True)
        assert stored.headers["Upload-Offset"] == str(len(photo))
    assert Attachment.select().where(Attachment.request == req).count() == 1
    assert PartialUpload.select().count() == 1
    assert len(stored_names(app, "uploads")) == 2  # the picture and its small copy


def test_a_larger_file_goes_on_from_the_offset_its_start_reports(app, budi, req):
    scan, upload_id = scan_pdf_bytes(1_300_000), secrets.token_urlsafe(16)
    first = scan[:262_144]
    for _ in range(2):  # sent again: the piece the server holds is not kept twice
        started = begin_with(budi, req, scan, first, upload_id, key="kk", name="kk.pdf")
        assert started.status_code == 201 and started.headers["Upload-Offset"] == str(len(first))
    rest = budi.patch(started.headers["Location"], data=scan[len(first):],
                      headers={"Upload-Offset": str(len(first)), "Content-Type": OCTETS})
    assert rest.status_code == 200
    with app.app_context():
        assert upload_bytes(app, req.attachment_for("kk").stored_name) == scan


def test_a_first_piece_over_1_mb_is_refused_before_an_upload_begins(budi, req):
    scan = scan_pdf_bytes(1_300_000)
    refused = begin_with(budi, req, scan, scan[:PIECE_MAX_BYTES + 1], secrets.token_urlsafe(16),
                         key="kk", name="kk.pdf")
    assert refused.status_code == 413 and "terlalu besar" in refused.get_data(as_text=True)
    assert PartialUpload.select().count() == 0
