"""A syarat file sent in pieces on a weak signal: the server says how much it holds, a piece is
kept only at that offset, the last one stores the file through the normal upload, and the same
upload asked again never stores a second file."""
import datetime
import secrets

import pytest

from balai.db import now
from balai.letters.models import Attachment
from balai.letters.partial_uploads import PartialUpload, append_bytes, pieces
from balai.letters.uploads import small_name
from tests.support.files import EXE, photo_bytes, scan_pdf_bytes
from tests.support.stored import stored_names, upload_bytes
from tests.support.village import SITI, csrf_token_from, make_request

OCTETS = "application/offset+octet-stream"


def begin(client, req, data, upload_id=None, key="ktp", name="ktp.jpg", headers=None):
    return client.post(f"/surat/{req.id}/syarat/{key}/unggahan", headers=headers or {},
                       data={"id": upload_id or secrets.token_urlsafe(16), "nama": name,
                             "ukuran": len(data)})


def send(client, location, offset, piece, headers=None):
    return client.patch(location, data=piece, headers={"Upload-Offset": str(offset),
                                                       "Content-Type": OCTETS, **(headers or {})})


def held(client, location):
    return int(client.head(location).headers["Upload-Offset"])


def uploaded_files(app):
    return sorted(stored_names(app, "uploads"))


@pytest.fixture
def req(db):
    return make_request()


def test_a_photo_sent_in_pieces_is_stored_once_with_its_thumbnail(app, budi, req):
    photo = photo_bytes((1600, 1200))
    started = begin(budi, req, photo)
    assert started.status_code == 201 and started.headers["Upload-Offset"] == "0"
    location = started.headers["Location"]
    third = len(photo) // 3
    assert send(budi, location, 0, photo[:third]).status_code == 204
    assert held(budi, location) == third
    kept = send(budi, location, third, photo[third:2 * third])
    assert kept.status_code == 204 and kept.headers["Upload-Offset"] == str(2 * third)
    assert Attachment.select().where(Attachment.request == req).count() == 0
    stored = send(budi, location, 2 * third, photo[2 * third:])
    html = stored.get_data(as_text=True)
    assert stored.status_code == 200 and "Tersimpan" in html and 'alt="ktp.jpg"' in html
    att = req.attachment_for("ktp")
    assert att.content_type == "image/jpeg"
    with app.app_context():
        assert small_name(att.stored_name) in stored_names(app, "uploads")
        assert not pieces(PartialUpload.get().upload_id)  # pieces go once stored


def test_a_piece_for_another_offset_gets_409_and_the_real_offset(budi, req):
    scan = scan_pdf_bytes(300_000)
    location = begin(budi, req, scan, name="kk.pdf").headers["Location"]
    send(budi, location, 0, scan[:100_000])
    for offset in (0, 50_000, 150_000):
        wrong = send(budi, location, offset, scan[offset:offset + 100_000])
        assert wrong.status_code == 409 and wrong.headers["Upload-Offset"] == "100000"
    assert held(budi, location) == 100_000


def test_a_piece_cut_by_a_dropped_connection_resumes_from_what_the_server_holds(app, budi, req):
    scan = scan_pdf_bytes(600_000)
    started = begin(budi, req, scan, name="kk.pdf", key="kk")
    location, upload_id = started.headers["Location"], location_id(started)
    send(budi, location, 0, scan[:262_144])
    with app.app_context():  # what a piece cut half-way leaves: its first bytes
        append_bytes(upload_id, scan[262_144:400_000])
    offset = held(budi, location)
    assert offset == 400_000
    assert send(budi, location, offset, scan[offset:]).status_code == 200
    with app.app_context():
        assert upload_bytes(app, req.attachment_for("kk").stored_name) == scan


def location_id(response):
    return response.headers["Location"].rsplit("/", 1)[1]


def test_the_same_upload_asked_again_stores_one_file(app, budi, req):
    photo, upload_id = photo_bytes(), secrets.token_urlsafe(16)
    first, again = begin(budi, req, photo, upload_id), begin(budi, req, photo, upload_id)
    assert first.headers["Location"] == again.headers["Location"]
    location = first.headers["Location"]
    assert send(budi, location, 0, photo).status_code == 200
    files = uploaded_files(app)
    assert len(files) == 2  # the picture and its small copy
    for answer in (send(budi, location, 0, photo), begin(budi, req, photo, upload_id),
                   budi.get(location), send(budi, location, len(photo), b"")):
        assert answer.status_code == 200 and "Tersimpan" in answer.get_data(as_text=True)
    assert uploaded_files(app) == files
    assert PartialUpload.select().count() == 1 and len(list(req.attachments)) == 1


def test_two_requests_finishing_one_upload_keep_one_file(app, budi, req):
    """Both finishers had read the upload as unfinished (a retry while the first still ran)."""
    photo = photo_bytes()
    location = begin(budi, req, photo).headers["Location"]
    with app.test_request_context():
        append_bytes(location.rsplit("/", 1)[1], photo)
        first, second = PartialUpload.get(), PartialUpload.get()
        first.finish()
        second.finish()
    assert len(uploaded_files(app)) == 2 and len(list(req.attachments)) == 1


def test_a_finish_cut_by_a_kill_is_done_by_an_empty_last_piece(app, budi, req):
    photo = photo_bytes()
    started = begin(budi, req, photo)
    with app.app_context():  # every byte held, the process killed before it attached the file
        append_bytes(location_id(started), photo)
    status = budi.get(started.headers["Location"])
    assert status.status_code == 204 and status.headers["Upload-Offset"] == str(len(photo))
    stored = send(budi, started.headers["Location"], len(photo), b"")
    assert stored.status_code == 200 and req.attachment_for("ktp")


def test_a_file_declared_too_large_is_refused_before_any_byte(app, budi, req):
    answer = budi.post(f"/surat/{req.id}/syarat/ktp/unggahan",
                       data={"id": secrets.token_urlsafe(16), "nama": "besar.jpg",
                             "ukuran": app.config["UPLOAD_MAX_BYTES"] + 1})
    assert answer.status_code == 413 and "terlalu besar" in answer.get_data(as_text=True)
    assert PartialUpload.select().count() == 0


def test_a_piece_past_the_declared_size_is_refused(budi, req):
    photo = photo_bytes()
    location = begin(budi, req, photo).headers["Location"]
    answer = send(budi, location, 0, photo + b"lebih")
    assert answer.status_code == 413 and "terlalu besar" in answer.get_data(as_text=True)


def test_a_file_that_is_no_photo_is_refused_in_indonesian_and_forgotten(budi, req):
    location = begin(budi, req, EXE, name="virus.jpg").headers["Location"]
    answer = send(budi, location, 0, EXE)
    assert answer.status_code == 422 and "bukan foto" in answer.get_data(as_text=True)
    assert budi.get(location).status_code == 404 and not req.attachment_for("ktp")


def test_only_the_applicant_reaches_an_upload(app, budi, login, client, req):
    photo = photo_bytes()
    location = begin(budi, req, photo).headers["Location"]
    siti = login.as_(SITI)
    assert begin(siti, req, photo).status_code == 404
    assert siti.get(location).status_code == 404
    assert send(siti, location, 0, photo).status_code == 404
    for answer in (begin(client, req, photo), client.get(location), send(client, location, 0, b"")):
        assert answer.status_code == 302 and "/masuk" in answer.headers["Location"]
    assert held(budi, location) == 0


def test_every_write_needs_the_csrf_token(app, budi, req):
    app.config["WTF_CSRF_ENABLED"] = True
    photo = photo_bytes()
    assert begin(budi, req, photo).status_code == 400
    token = {"X-CSRFToken": csrf_token_from(budi.get(f"/surat/{req.id}/syarat").get_data(True))}
    location = begin(budi, req, photo, headers=token).headers["Location"]
    assert send(budi, location, 0, photo).status_code == 400
    assert send(budi, location, 0, photo, headers=token).status_code == 200


def test_an_upload_left_half_way_is_removed_after_a_day(app, budi, req):
    scan = scan_pdf_bytes(300_000)
    started = begin(budi, req, scan, name="kk.pdf")
    send(budi, started.headers["Location"], 0, scan[:100_000])
    recent = begin(budi, req, scan, name="kk.pdf")
    PartialUpload.update(created_at=now() - datetime.timedelta(hours=25)).where(
        PartialUpload.upload_id == location_id(started)).execute()
    app.extensions["queue"].recover()  # what the worker does at start and every few minutes
    assert [u.upload_id for u in PartialUpload.select()] == [location_id(recent)]
    with app.app_context():
        assert not pieces(location_id(started))
    assert budi.get(started.headers["Location"]).status_code == 404
