import re

import pytest

from balai.letters.models import LetterEvent, LetterRequest, LetterType
from balai.people.models import Person, User
from tests.support.files import EXE, image_bytes, pdf_bytes, upload
from tests.support.village import BUDI, make_request


def domisili():
    return LetterType.get(LetterType.slug == "domisili")


def page(response):
    return response.get_data(as_text=True)


def test_resident_walks_the_whole_journey(budi, db):
    chooser = page(budi.get("/surat/baru"))
    form_key = re.search(r'name="form_key" value="([^"]+)"', chooser).group(1)
    created = budi.post("/surat/baru", data={"letter_type": domisili().id, "form_key": form_key})
    assert created.status_code == 303
    req = LetterRequest.get(LetterRequest.form_key == form_key)
    assert created.headers["Location"].endswith(f"/surat/{req.id}/isian")
    details = page(budi.get(f"/surat/{req.id}/isian"))
    assert "Budi Santoso" in details and BUDI in details
    assert budi.post(f"/surat/{req.id}/isian", data={"keperluan": "Melamar kerja"}).status_code == 303
    sent = budi.post(f"/surat/{req.id}/syarat", data={
        "syarat-ktp": upload(image_bytes(), "ktp.jpg"),
        "syarat-kk": upload(pdf_bytes(), "kk.pdf")}, content_type="multipart/form-data")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/periksa")
    check = page(budi.get(f"/surat/{req.id}/periksa"))
    assert "Melamar kerja" in check and "kk.pdf" in check
    done = budi.post(f"/surat/{req.id}/ajukan", data={"version": 0})
    assert done.status_code == 303
    assert LetterRequest.get_by_id(req.id).status == "diajukan"
    shown = page(budi.get(f"/surat/{req.id}"))
    assert "Menunggu pemeriksaan Kasi Pemerintahan" in shown and "Diajukan" in shown
    assert "Menunggu pemeriksaan" in page(budi.get("/surat"))


def upload_both(client, req, ktp=None, kk=None):
    return client.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data", data={
        "syarat-ktp": upload(ktp or image_bytes(), "ktp.jpg"),
        "syarat-kk": upload(kk or pdf_bytes(), "kk.pdf")})


@pytest.fixture
def ready(budi, db):
    """Budi's draft with answers and both mandatory uploads."""
    req = make_request()
    assert upload_both(budi, req).status_code == 303
    return req


@pytest.fixture
def submitted(budi, ready):
    assert budi.post(f"/surat/{ready.id}/ajukan", data={"version": 0}).status_code == 303
    return LetterRequest.get_by_id(ready.id)


def test_anonymous_visitors_are_sent_to_login(client, db):
    req = make_request()
    for url in ("/surat", "/surat/baru", f"/surat/{req.id}", f"/surat/{req.id}/isian", "/loket"):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_another_resident_gets_404_everywhere(siti, ready, db):
    att = ready.attachments.first()
    gets = ["", "/isian", "/syarat", "/periksa", "/batalkan", f"/lampiran/{att.id}"]
    for suffix in gets:
        assert siti.get(f"/surat/{ready.id}{suffix}").status_code == 404, suffix
    posts = ["/isian", "/syarat", "/syarat/ktp/hapus", "/ajukan", "/batalkan"]
    for suffix in posts:
        assert siti.post(f"/surat/{ready.id}{suffix}", data={"keperluan": "x"}).status_code == 404, suffix
    assert LetterRequest.get_by_id(ready.id).status == "draf"
    assert ready.attachments.count() == 2 and ready.purpose == "Melamar pekerjaan"
    assert "Domisili" not in page(siti.get("/surat"))


def test_attachment_of_another_request_is_404_even_for_its_owner(budi, ready, db):
    other = make_request()
    att = ready.attachments.first()
    assert budi.get(f"/surat/{other.id}/lampiran/{att.id}").status_code == 404


@pytest.mark.parametrize("official", ["kasipem", "sekdes", "kades"])
def test_officials_can_view_attachments_with_safe_headers(login, ready, official):
    ready.status = "diperiksa"  # past every step but the Kades's: all three have seen it
    ready.save()
    client = login.as_(official)
    for att in list(ready.attachments):
        response = client.get(f"/surat/{ready.id}/lampiran/{att.id}")
        assert response.status_code == 200
        assert response.mimetype == att.content_type
        disposition = "inline" if att.is_image else "attachment"  # a PDF is only downloaded
        assert response.headers["Content-Disposition"].startswith(disposition)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "private" in response.headers["Cache-Control"]
        assert "public" not in response.headers["Cache-Control"]
    assert client.get(f"/surat/{ready.id}").status_code == 200


def test_officials_who_did_not_file_it_cannot_edit_a_residents_request(kasipem, ready):
    assert kasipem.get(f"/surat/{ready.id}/isian").status_code == 403
    assert kasipem.post(f"/surat/{ready.id}/ajukan").status_code == 403


def test_double_submitted_new_request_form_makes_one_draft(budi, db):
    data = {"letter_type": domisili().id, "form_key": "sama-sekali-sama"}
    first, second = budi.post("/surat/baru", data=data), budi.post("/surat/baru", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert LetterRequest.select().count() == 1


def test_someone_elses_form_key_does_not_reach_their_draft(budi, siti, db):
    data = {"letter_type": domisili().id, "form_key": "kunci-budi"}
    budi.post("/surat/baru", data=data)
    refused = siti.post("/surat/baru", data=data)
    assert refused.status_code == 422 and "sudah pernah dikirim" in page(refused)
    assert LetterRequest.select().count() == 1


def test_choosing_no_type_is_422(budi, db):
    response = budi.post("/surat/baru", data={"form_key": "x"})
    assert response.status_code == 422 and "Pilih jenis surat" in page(response)
    assert LetterRequest.select().count() == 0


@pytest.mark.parametrize("purpose, message", [
    ("", "Tuliskan keperluan"),
    ("x" * 201, "paling banyak 200 huruf (sekarang 201)"),
])
def test_bad_purpose_is_422_with_error_summary(budi, db, purpose, message):
    req = make_request(purpose="")
    response = budi.post(f"/surat/{req.id}/isian", data={"keperluan": purpose})
    assert response.status_code == 422
    html = page(response)
    assert message in html and 'class="error-summary"' in html and 'href="#keperluan"' in html
    assert LetterRequest.get_by_id(req.id).purpose == ""


def test_extra_fields_are_required_and_kept(budi, db):
    req = make_request(slug="usaha")
    response = budi.post(f"/surat/{req.id}/isian", data={"keperluan": "Pinjaman bank",
                                                         "nama_usaha": "Warung Budi"})
    assert response.status_code == 422
    html = page(response)
    assert "Isi jenis usaha." in html and 'value="Warung Budi"' in html and "Pinjaman bank" in html
    ok = budi.post(f"/surat/{req.id}/isian", data={"keperluan": "Pinjaman bank", "nama_usaha": "Warung Budi",
                                                   "jenis_usaha": "Warung", "alamat_usaha": "Jl. Raya 1"})
    assert ok.status_code == 303
    assert LetterRequest.get_by_id(req.id).fields["jenis_usaha"] == "Warung"


def test_missing_mandatory_syarat_is_refused(budi, db):
    req = make_request()
    response = budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                         data={"syarat-ktp": upload(image_bytes(), "ktp.jpg")})
    assert response.status_code == 422
    assert "Unggah foto kartu keluarga: syarat ini wajib." in page(response)
    assert req.attachment_for("ktp") is not None
    refused = budi.post(f"/surat/{req.id}/ajukan", data={"version": 0}, follow_redirects=True)
    assert "Syarat wajib belum lengkap: Foto Kartu Keluarga" in page(refused)
    assert LetterRequest.get_by_id(req.id).status == "draf"


def test_valid_uploads_are_kept_when_another_fails(budi, db):
    req = make_request()
    response = upload_both(budi, req, kk=EXE)
    assert response.status_code == 422
    html = page(response)
    assert "bukan foto JPEG/PNG/WebP atau PDF" in html and 'href="#syarat-kk"' in html
    assert req.attachment_for("ktp") is not None and req.attachment_for("kk") is None
    assert "Sudah diunggah" in html  # the kept one is shown, no need to send it again
    fixed = budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                      data={"syarat-kk": upload(pdf_bytes(), "kk.pdf")})
    assert fixed.status_code == 303 and req.attachments.count() == 2


def test_requirement_page_marks_mandatory_and_limits_size(budi, ready):
    html = page(budi.get(f"/surat/{ready.id}/syarat"))
    assert html.count('data-max-bytes="5242880"') == 2 and 'accept="image/jpeg' in html
    assert "(wajib)" in html and "Hapus" in html


def test_oversized_file_gets_a_message_and_huge_body_a_413_page(app, budi, db):
    req = make_request()
    big = budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                    data={"syarat-ktp": upload(b"\xff\xd8\xff" + b"\0" * (6 * 1024 * 1024), "besar.jpg")})
    assert big.status_code == 422 and "terlalu besar" in page(big)
    huge = budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                     data={"syarat-ktp": upload(b"\0" * (30 * 1024 * 1024), "30mb.jpg")})
    assert huge.status_code == 413
    assert "Berkas yang Anda kirim terlalu besar" in page(huge) and "5 MB" in page(huge)
    assert req.attachments.count() == 0


def test_replacing_and_removing_an_upload_deletes_the_old_file(app, budi, ready):
    from balai.letters.uploads import upload_key
    from balai.storage import documents
    old = upload_key(ready.attachment_for("ktp").stored_name)
    assert documents(app).exists(old)
    budi.post(f"/surat/{ready.id}/syarat", content_type="multipart/form-data",
              data={"syarat-ktp": upload(image_bytes("PNG"), "ktp-baru.png")})
    new = ready.attachment_for("ktp")
    assert new.original_name == "ktp-baru.png" and not documents(app).exists(old)
    removed = budi.post(f"/surat/{ready.id}/syarat/ktp/hapus")
    assert removed.status_code == 303 and ready.attachment_for("ktp") is None
    assert not documents(app).exists(upload_key(new.stored_name))


def test_double_ajukan_is_one_transition(budi, ready):
    first = budi.post(f"/surat/{ready.id}/ajukan", data={"version": 0})
    second = budi.post(f"/surat/{ready.id}/ajukan", data={"version": 0}, follow_redirects=True)
    assert first.status_code == 303 and second.status_code == 200
    assert "Permohonan ini sudah diajukan." in page(second)
    assert LetterEvent.select().where(LetterEvent.action == "ajukan").count() == 1
    assert LetterRequest.get_by_id(ready.id).version == 1


def test_stale_check_page_gets_a_clear_message(budi, ready):
    response = budi.post(f"/surat/{ready.id}/ajukan", data={"version": 7}, follow_redirects=True)
    assert "berubah sejak halaman Anda" in page(response)
    assert LetterRequest.get_by_id(ready.id).status == "draf"


def test_submitted_request_can_no_longer_be_edited(budi, submitted):
    for url in ("isian", "syarat", "periksa"):
        response = budi.get(f"/surat/{submitted.id}/{url}", follow_redirects=True)
        assert "tidak dapat diubah lagi" in page(response)
    response = budi.post(f"/surat/{submitted.id}/isian", data={"keperluan": "lain"})
    assert response.status_code == 303
    assert LetterRequest.get_by_id(submitted.id).purpose == "Melamar pekerjaan"
    assert budi.post(f"/surat/{submitted.id}/syarat/ktp/hapus").status_code == 303
    assert submitted.attachment_for("ktp") is not None


def test_resident_cancels_a_draft_after_confirming(budi, ready):
    assert "Ya, batalkan" in page(budi.get(f"/surat/{ready.id}/batalkan"))
    response = budi.post(f"/surat/{ready.id}/batalkan", data={"note": "Salah pilih", "version": 0})
    assert response.status_code == 303
    assert LetterRequest.get_by_id(ready.id).status == "dibatalkan"


def test_cancel_reason_too_long_is_422(budi, ready):
    response = budi.post(f"/surat/{ready.id}/batalkan", data={"note": "x" * 501})
    assert response.status_code == 422 and "paling banyak 500 huruf" in page(response)
    assert LetterRequest.get_by_id(ready.id).status == "draf"


@pytest.mark.parametrize("status", ["diverifikasi", "diperiksa", "selesai", "ditolak"])
def test_cannot_cancel_after_the_kasi_acted(budi, db, status):
    req = make_request(status=status)
    response = budi.post(f"/surat/{req.id}/batalkan", follow_redirects=True)
    assert "tidak dapat dibatalkan lagi" in page(response)
    assert LetterRequest.get_by_id(req.id).status == status
    assert "Batalkan permohonan" not in page(budi.get(f"/surat/{req.id}"))


def test_returned_request_is_fixed_and_resubmitted(budi, submitted, db):
    kasi = User.get(User.username == "kasipem")
    submitted.apply("kembalikan", kasi, note="Foto KTP buram, mohon foto ulang.",
                    category="berkas_tidak_jelas")
    shown = page(budi.get(f"/surat/{submitted.id}"))
    assert "Perlu diperbaiki" in shown and "Foto KTP buram" in shown and "Perbaiki permohonan" in shown
    assert budi.post(f"/surat/{submitted.id}/syarat", content_type="multipart/form-data",
                     data={"syarat-ktp": upload(image_bytes(), "ktp-jelas.jpg")}).status_code == 303
    again = budi.post(f"/surat/{submitted.id}/ajukan", data={"version": 2})
    assert again.status_code == 303
    req = LetterRequest.get_by_id(submitted.id)
    assert req.status == "diajukan" and req.attachment_for("ktp").original_name == "ktp-jelas.jpg"
    assert [e.action for e in req.timeline()] == ["ajukan", "kembalikan", "ajukan"]


def test_resident_list_shows_status_words_newest_first(budi, db):
    make_request(slug="domisili", status="dikembalikan")
    make_request(slug="usaha", status="diajukan")
    html = page(budi.get("/surat"))
    assert html.index("Surat Keterangan Usaha") < html.index("Surat Keterangan Domisili")
    assert "Perlu diperbaiki" in html and "Ajukan surat baru" in html


def test_operator_files_a_request_at_the_counter(operator, db):
    ahmad = Person.get(Person.nik == "3213050101850003")
    User.delete().where(User.person == ahmad).execute()  # no account, no phone
    found = page(operator.post("/loket", data={"q": "3213050101"}))
    assert "Ahmad Hidayat" in found
    assert "Ahmad Hidayat" in page(operator.post("/loket", data={"q": "hidayat"}))
    chooser = page(operator.get(f"/surat/baru?penduduk={ahmad.id}"))
    assert "Untuk: <strong>Ahmad Hidayat" in chooser
    created = operator.post("/surat/baru", data={"letter_type": domisili().id, "form_key": "loket-1",
                                                 "penduduk": ahmad.id})
    req = LetterRequest.get(LetterRequest.form_key == "loket-1")
    assert req.person_id == ahmad.id and req.created_by.username == "operator"
    assert "Ahmad Hidayat" in page(operator.get(created.headers["Location"]))
    operator.post(f"/surat/{req.id}/isian", data={"keperluan": "Pindah domisili"})
    assert upload_both(operator, req).status_code == 303
    assert operator.post(f"/surat/{req.id}/ajukan", data={"version": 0}).status_code == 303
    assert LetterRequest.get_by_id(req.id).status == "diajukan"
    assert "Pindah domisili" not in page(operator.get("/loket"))  # the list shows type and name
    assert "Ahmad Hidayat" in page(operator.get("/loket"))


def test_counter_is_for_officials_only(budi, db):
    assert budi.get("/loket").status_code == 404


def test_htmx_removal_returns_only_the_field(budi, ready):
    response = budi.delete(f"/surat/{ready.id}/syarat/kk/hapus", headers={"HX-Request": "true"})
    html = page(response)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="syarat-kk"' in html and "Berkas sudah dihapus" in html and "wajib" in html
    assert ready.attachment_for("kk") is None and ready.attachment_for("ktp") is not None
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"]


def test_htmx_removal_on_a_submitted_request_redirects_the_whole_page(budi, submitted):
    response = budi.delete(f"/surat/{submitted.id}/syarat/kk/hapus", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].endswith(f"/surat/{submitted.id}")
    assert submitted.attachment_for("kk") is not None


def test_removing_an_unknown_requirement_is_404(budi, ready):
    assert budi.post(f"/surat/{ready.id}/syarat/paspor/hapus").status_code == 404


def test_request_filed_at_the_counter_is_the_residents_too(operator, budi, kasipem, db):
    person = Person.get(Person.nik == BUDI)
    operator.post("/surat/baru", data={"letter_type": domisili().id, "form_key": "loket-budi",
                                       "penduduk": person.id})
    req = LetterRequest.get(LetterRequest.form_key == "loket-budi")
    assert "Surat Keterangan Domisili" in page(budi.get("/surat"))
    assert budi.get(f"/surat/{req.id}/isian").status_code == 200
    assert "di loket oleh Rina Operator" in page(budi.get(f"/surat/{req.id}"))
    assert kasipem.get(f"/surat/{req.id}/isian").status_code == 403  # not the filer


def test_official_without_a_chosen_person_is_sent_to_the_counter(operator, db):
    response = operator.get("/surat/baru")
    assert response.status_code == 302 and response.headers["Location"].endswith("/loket")
    assert operator.get("/surat").headers["Location"].endswith("/loket")


def test_stale_cancel_form_gets_a_clear_message(budi, ready):
    response = budi.post(f"/surat/{ready.id}/batalkan", data={"version": 3}, follow_redirects=True)
    assert "berubah sejak halaman Anda" in page(response)
    assert LetterRequest.get_by_id(ready.id).status == "draf"


def test_upload_raced_from_two_tabs_leaves_no_stray_file(app, budi, db, monkeypatch):
    from peewee import IntegrityError

    from tests.support.stored import stored_keys
    req = make_request()

    def collide(self, key, saved):
        raise IntegrityError("UNIQUE constraint failed")
    monkeypatch.setattr(LetterRequest, "attach", collide)
    response = budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                         data={"syarat-ktp": upload(image_bytes(), "ktp.jpg")})
    assert response.status_code == 422 and "dari halaman lain" in page(response)
    assert stored_keys(app, "uploads/") == set()


def test_ajukan_with_empty_details_goes_back_to_the_form(budi, db):
    req = make_request(purpose="")
    response = budi.post(f"/surat/{req.id}/ajukan", data={"version": 0})
    assert response.headers["Location"].endswith(f"/surat/{req.id}/isian")
    assert LetterRequest.get_by_id(req.id).status == "draf"


def test_times_are_shown_in_the_village_time_zone(db):
    import datetime

    from balai.villages.models import Village
    from balai.web.filters import tanggal, waktu
    moment = datetime.datetime(2026, 1, 1, 20, 0)  # stored in UTC
    context = {"village": Village(timezone="Asia/Jakarta")}
    assert waktu(context, moment) == "2 Januari 2026 pukul 03.00"
    assert tanggal(context, moment) == "2 Januari 2026"
    assert tanggal(context, datetime.date(2026, 8, 17)) == "17 Agustus 2026"


def test_attachment_is_named_by_what_it_really_is(budi, db):
    req = make_request()
    budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
              data={"syarat-ktp": upload(image_bytes("PNG"), "ktp-saya.pdf")})
    att = req.attachment_for("ktp")
    response = budi.get(f"/surat/{req.id}/lampiran/{att.id}")
    assert response.mimetype == "image/png"
    assert 'filename=ktp-saya.png' in response.headers["Content-Disposition"]


def test_change_link_from_the_check_page_returns_there(budi, ready):
    check = page(budi.get(f"/surat/{ready.id}/periksa"))
    assert f"/surat/{ready.id}/isian?dari=periksa" in check
    form = page(budi.get(f"/surat/{ready.id}/isian?dari=periksa"))
    assert f'action="/surat/{ready.id}/isian?dari=periksa"' in form
    saved = budi.post(f"/surat/{ready.id}/isian?dari=periksa", data={"keperluan": "Syarat kerja"})
    assert saved.headers["Location"].endswith(f"/surat/{ready.id}/periksa")


def test_a_resident_cannot_file_for_someone_else(budi, db):
    siti = Person.get(Person.nik == "3213055503920002")
    budi.post("/surat/baru", data={"letter_type": domisili().id, "form_key": "k", "penduduk": siti.id})
    assert LetterRequest.get(LetterRequest.form_key == "k").person.nik == BUDI
