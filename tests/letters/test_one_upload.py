"""On a weak signal a resident sends one syarat file per submit: each has its own button, the
page comes back with what is stored, and the other mandatory files may follow later."""
from tests.support.files import image_bytes, upload
from tests.support.village import make_request


def test_each_file_has_its_own_button_and_a_note_about_slow_signals(budi, db):
    html = budi.get(f"/surat/{make_request().id}/syarat").get_data(as_text=True)
    assert 'name="unggah" value="ktp"' in html and 'name="unggah" value="kk"' in html
    assert "Kirim satu berkas setiap kali" in html and "beberapa menit" in html


def test_one_file_is_stored_and_the_page_shows_it_while_others_are_still_missing(budi, db):
    req = make_request()
    sent = budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                     data={"unggah": "ktp", "syarat-ktp": upload(image_bytes(), "ktp.jpg")})
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"/surat/{req.id}/syarat")
    html = budi.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Berkas tersimpan" in html and "Sudah diunggah" in html and 'alt="ktp.jpg"' in html
    assert req.attachment_for("ktp") and not req.attachment_for("kk")


def test_the_button_without_a_file_asks_for_one(budi, db):
    req = make_request()
    response = budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                         data={"unggah": "kk"})
    assert response.status_code == 422
    assert "Pilih berkasnya dulu" in response.get_data(as_text=True)
