"""Bad input on the letter journey: a clear message in Bahasa Indonesia, nothing half-written."""

import pytest

from balai.letters.models import Attachment, LetterEvent, LetterRequest
from tests.support.files import EXE, FAKE_PNG, image_bytes, pdf_bytes, upload
from tests.support.stored import stored_keys
from tests.support.village import csrf_token_from, make_request

THIRTY_MB = 30 * 1024 * 1024


def stored_files(app):
    return sorted(stored_keys(app, "uploads/"))


@pytest.mark.parametrize("data, name, status, message", [
    (EXE, "ktp.pdf", 422, "bukan foto JPEG/PNG/WebP atau PDF"),
    (FAKE_PNG, "ktp.png", 422, "rusak atau bukan JPEG/PNG/WebP"),
    (b"%PDF-1.4 not really", "ktp.pdf", 422, "bukan PDF yang dapat dibuka"),
    (b"", "ktp.jpg", 422, "Berkas ktp.jpg kosong"),
    (b"\xff\xd8\xff" + b"\0" * THIRTY_MB, "ktp.jpg", 413, "Berkas yang Anda kirim terlalu besar"),
])
def test_a_refused_file_leaves_no_row_and_no_file(app, budi, db, data, name, status, message):
    req = make_request()
    response = budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                         data={"syarat-ktp": upload(data, name)})
    html = response.get_data(as_text=True)
    assert response.status_code == status and message in html
    assert status == 413 or 'class="error-summary"' in html
    assert not Attachment.select().exists() and stored_files(app) == []
    refused = budi.post(f"/surat/{req.id}/ajukan", data={"version": 0})
    assert refused.status_code == 303 and refused.location.endswith("/syarat")
    assert LetterRequest.get_by_id(req.id).status == "draf" and not LetterEvent.select().exists()


@pytest.fixture
def decided(budi, kasipem, db):
    """Budi's request, submitted with both files, then approved by the Kasi Pem."""
    req = make_request()
    budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data", data={
        "syarat-ktp": upload(image_bytes(), "ktp.jpg"), "syarat-kk": upload(pdf_bytes(), "kk.pdf")})
    assert budi.post(f"/surat/{req.id}/ajukan", data={"version": 0}).status_code == 303
    kasipem.get(f"/kotak-masuk/{req.id}")  # the Kasi approves what they opened
    assert kasipem.post(f"/kotak-masuk/{req.id}",
                        data={"action": "setujui", "version": 1}).status_code == 303
    return LetterRequest.get_by_id(req.id)


def snapshot(app, req):
    req = LetterRequest.get_by_id(req.id)
    return (req.status, req.version, req.purpose, req.events.count(),
            sorted(a.stored_name for a in req.attachments), sorted(map(str, stored_files(app))))


def test_forms_re_posted_after_the_request_was_decided_change_nothing(app, budi, kasipem,
                                                                      decided):
    before = snapshot(app, decided)
    posts = [
        (budi, "isian", {"keperluan": "Diubah setelah disetujui"}),
        (budi, "syarat", {"syarat-ktp": upload(image_bytes(color=(1, 2, 3)), "baru.jpg")}),
        (budi, "syarat/ktp/hapus", {}),
        (budi, "ajukan", {"version": 0}),
        (budi, "batalkan", {"version": 0, "note": "Tidak jadi"}),
    ]
    for client, path, data in posts:
        response = client.post(f"/surat/{decided.id}/{path}", data=data,
                               content_type="multipart/form-data", follow_redirects=True)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert ("tidak dapat diubah lagi" in html or "tidak dapat dibatalkan lagi" in html
                or "sudah diproses" in html), path
    again = kasipem.post(f"/kotak-masuk/{decided.id}", data={"action": "tolak", "version": 1,
                                                              "note": "Terlambat"})
    assert again.status_code == 409 and "sudah diproses" in again.get_data(as_text=True)
    assert snapshot(app, decided) == before


@pytest.mark.parametrize("htmx", [False, True])
def test_an_expired_csrf_token_asks_to_reload_in_indonesian(app, budi, db, htmx):
    req = make_request()
    app.config["WTF_CSRF_ENABLED"] = True
    token = csrf_token_from(budi.get(f"/surat/{req.id}/isian").get_data(as_text=True))
    app.config["WTF_CSRF_TIME_LIMIT"] = -1  # every token is now older than the limit
    response = budi.post(f"/surat/{req.id}/isian", data={"csrf_token": token, "keperluan": "Baru"},
                         headers={"HX-Request": "true"} if htmx else {})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Muat ulang halaman" in html and "kedaluwarsa" in html
    assert "CSRF" not in html and "Bad Request" not in html and "expired" not in html
    if htmx:
        assert "<html" not in html and response.headers["HX-Retarget"] == "#pesan"
    else:
        assert "<html" in html
    assert LetterRequest.get_by_id(req.id).purpose == "Melamar pekerjaan"


@pytest.mark.parametrize("htmx", [False, True])
def test_other_errors_are_in_indonesian_too(app, login, db, htmx):
    def broken():
        raise RuntimeError("bug")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.add_url_rule("/rusak", "broken", broken)
    kasipem = login.as_("kasipem")
    letter = make_request(status="diajukan")
    headers = {"HX-Request": "true"} if htmx else {}
    answers = {
        400: kasipem.post(f"/kotak-masuk/{letter.id}", data={"action": "hapus"}, headers=headers),
        405: kasipem.get("/keluar", headers=headers),
        500: kasipem.get("/rusak", headers=headers),
    }
    for status, response in answers.items():
        html = response.get_data(as_text=True)
        assert response.status_code == status
        assert "Bad Request" not in html and "Method Not Allowed" not in html
        assert "Internal Server Error" not in html and "msg-error" in html
        assert ("<html" not in html and response.headers["HX-Retarget"] == "#pesan") if htmx \
            else "<h1>Maaf</h1>" in html
    assert LetterRequest.get_by_id(letter.id).status == "diajukan"
