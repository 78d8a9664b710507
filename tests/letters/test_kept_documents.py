"""Dokumen saya: a resident keeps their KTP and KK (only when they tick the box) and the next
request uses a copy; replacing or deleting a kept one never changes a request already sent;
nobody else sees or uses them; the sweep keeps them and the resident's ZIP holds them."""
import datetime
import io
import json
import zipfile

from balai import sweep
from balai.letters.kept import KeptDocument
from balai.letters.models import Attachment, LetterRequest
from balai.letters.uploads import small_name, upload_key
from balai.people.models import Person
from balai.storage import documents
from tests.support.files import image_bytes, pdf_bytes
from tests.support.village import AHMAD, BUDI, SITI, make_request

KTP_PHOTO = image_bytes("PNG", size=(60, 40), color=(10, 120, 200))
KK_SCAN = pdf_bytes()


def upload(data, name):
    return (io.BytesIO(data), name)


def send_syarat(client, req, ktp=KTP_PHOTO, kk=KK_SCAN, **extra):
    return client.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                       data={"syarat-ktp": upload(ktp, "ktp.png"), "syarat-kk": upload(kk, "kk.pdf"),
                             **extra})


def stored(name):
    return documents().get(upload_key(name))


def kept_of(nik=BUDI):
    return KeptDocument.of_person(Person.get(Person.nik == nik).id)


def first_request_kept(app, budi):
    """Budi's first request, sent, with both syarat kept in Dokumen saya."""
    req = make_request()
    response = send_syarat(budi, req, **{"simpan-ktp": "1", "simpan-kk": "1"})
    assert response.status_code == 303
    assert budi.post(f"/surat/{req.id}/ajukan").status_code == 303
    return LetterRequest.get_by_id(req.id)


def test_the_box_is_off_until_ticked_and_nothing_is_kept_without_it(app, db, budi):
    req = make_request()
    page = budi.get(f"/surat/{req.id}/syarat").get_data(as_text=True)
    assert page.count('name="simpan-') == 2 and "Simpan di Dokumen saya untuk permohonan" in page
    assert ' checked' not in page.split('name="simpan-ktp"')[1].split(">")[0]
    assert send_syarat(budi, req).status_code == 303
    assert not KeptDocument.select().exists()
    assert {a.requirement_key for a in req.attachments} == {"ktp", "kk"}


def test_a_ticked_syarat_is_kept_as_a_file_of_its_own(app, db, budi):
    req = first_request_kept(app, budi)
    docs = kept_of()
    assert set(docs) == {"ktp", "kk"}
    with app.app_context():
        for kind, doc in docs.items():
            att = req.attachment_for(kind)
            assert doc.stored_name != att.stored_name
            assert stored(doc.stored_name) == stored(att.stored_name)
        assert documents().exists(upload_key(small_name(docs["ktp"].stored_name)))  # thumbnail
    page = budi.get("/akun/dokumen").get_data(as_text=True)
    assert "ktp.png" in page and "kk.pdf" in page
    thumb = budi.get("/akun/dokumen/ktp/berkas?ukuran=kecil")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert thumb.headers["Cache-Control"] == "private, no-store"
    assert "/akun/dokumen" in budi.get("/akun").get_data(as_text=True)


def test_the_next_request_uses_a_byte_identical_copy_counted_once(app, db, budi):
    first_request_kept(app, budi)
    docs = kept_of()
    nxt = make_request(slug="usaha")
    page = budi.get(f"/surat/{nxt.id}/syarat").get_data(as_text=True)
    assert page.count("Pakai dari Dokumen saya") == 2
    assert f'action="/surat/{nxt.id}/syarat/ktp/pakai"' in page
    for kind in ("ktp", "kk", "ktp"):  # twice the KTP: still one syarat
        assert budi.post(f"/surat/{nxt.id}/syarat/{kind}/pakai").status_code == 303
    atts = {a.requirement_key: a for a in Attachment.select().where(Attachment.request == nxt.id)}
    assert set(atts) == {"ktp", "kk"}
    with app.app_context():
        for kind, att in atts.items():
            assert stored(att.stored_name) == stored(docs[kind].stored_name)
            assert att.stored_name != docs[kind].stored_name
            assert att.original_name == docs[kind].original_name
    assert stored_count(app) == 3 * 2  # two requests' syarat and the kept ones, no leftover copy


def stored_count(app):
    with app.app_context():
        return len([k for k, _ in documents().listing("uploads/") if not k.endswith("-small.jpg")])


def test_using_a_kept_one_and_ticking_the_box_keeps_no_second_copy(app, db, budi):
    first_request_kept(app, budi)
    before = {d.stored_name for d in kept_of().values()}
    nxt = make_request()
    budi.post(f"/surat/{nxt.id}/syarat/ktp/pakai")
    budi.post(f"/surat/{nxt.id}/syarat", data={"simpan-ktp": "1", "unggah": "ktp"})
    assert {d.stored_name for d in kept_of().values()} == before


def test_replacing_and_deleting_leave_the_sent_request_intact(app, db, budi):
    req = first_request_kept(app, budi)
    with app.app_context():
        sent = {a.requirement_key: stored(a.stored_name) for a in req.attachments}
    new_photo = image_bytes("PNG", size=(50, 50), color=(0, 200, 0))
    replaced = budi.post("/akun/dokumen/ktp", content_type="multipart/form-data",
                         data={"berkas": upload(new_photo, "ktp-baru.png")})
    assert replaced.status_code == 303
    assert budi.post("/akun/dokumen/kk/hapus").status_code == 303
    assert set(kept_of()) == {"ktp"} and kept_of()["ktp"].original_name == "ktp-baru.png"
    with app.app_context():
        assert {a.requirement_key: stored(a.stored_name)
                for a in LetterRequest.get_by_id(req.id).attachments} == sent
        assert stored(kept_of()["ktp"].stored_name) != sent["ktp"]
    assert budi.get("/akun/dokumen/kk/berkas").status_code == 404
    assert stored_count(app) == 2 + 1  # the old kept files went


def test_a_bad_file_on_dokumen_saya_is_refused_and_keeps_the_old_one(app, db, budi):
    first_request_kept(app, budi)
    before = kept_of()["ktp"].stored_name
    refused = budi.post("/akun/dokumen/ktp", content_type="multipart/form-data",
                        data={"berkas": upload(b"MZ not an image", "ktp.jpg")})
    assert refused.status_code == 422
    assert "bukan foto JPEG/PNG/WebP atau PDF" in refused.get_data(as_text=True)
    assert kept_of()["ktp"].stored_name == before


def test_others_cannot_see_or_use_them(app, db, budi, siti, kasipem, operator):
    req = first_request_kept(app, budi)
    draft_of_siti = make_request(nik=SITI)
    assert siti.get("/akun/dokumen/ktp/berkas").status_code == 404
    assert "ktp.png" not in siti.get("/akun/dokumen").get_data(as_text=True)
    assert siti.post("/akun/dokumen/ktp/hapus").status_code == 303 and set(kept_of()) == {"ktp", "kk"}
    assert siti.post(f"/surat/{draft_of_siti.id}/syarat/ktp/pakai").status_code == 404
    assert not draft_of_siti.attachments.count()
    for official in (kasipem, operator):
        for url in ("/akun/dokumen", "/akun/dokumen/ktp/berkas"):
            assert official.get(url).status_code == 403
        assert official.post("/akun/dokumen/ktp/hapus").status_code == 403
    # Kasi Pemerintahan sees the KTP as the sent request's syarat, and nowhere else
    page = kasipem.get(f"/surat/{req.id}").get_data(as_text=True)
    assert "Dokumen saya" not in page and "/akun/dokumen" not in page


def test_an_official_at_the_counter_is_offered_no_kept_document(app, db, budi, kasipem):
    first_request_kept(app, budi)
    req = make_request()
    req.created_by = LetterRequest.created_by.rel_model.by_login("kasipem")
    req.save()
    page = kasipem.get(f"/surat/{req.id}/syarat").get_data(as_text=True)
    assert "Pakai dari Dokumen saya" not in page and 'name="simpan-' not in page
    assert kasipem.post(f"/surat/{req.id}/syarat/ktp/pakai").status_code == 404
    send_syarat(kasipem, req, **{"simpan-ktp": "1"})
    assert {d.original_name for d in kept_of().values()} == {"ktp.png", "kk.pdf"}
    assert len(kept_of()) == 2 and not kept_of(AHMAD)


def test_a_sent_request_cannot_take_a_kept_document(app, db, budi):
    req = first_request_kept(app, budi)
    before = {a.stored_name for a in req.attachments}
    assert budi.post(f"/surat/{req.id}/syarat/ktp/pakai").status_code == 303
    assert {a.stored_name for a in LetterRequest.get_by_id(req.id).attachments} == before


def test_the_sweep_keeps_kept_documents_and_their_thumbnails(app, db, budi, monkeypatch):
    first_request_kept(app, budi)
    monkeypatch.setattr(sweep, "STRAY_GRACE", datetime.timedelta(hours=-1))  # all old enough
    with app.app_context():
        stray = "uploads/tanpa-baris.jpg"
        documents().put(stray, b"x")
        keys = {upload_key(d.stored_name) for d in kept_of().values()}
        keys.add(upload_key(small_name(kept_of()["ktp"].stored_name)))
        assert keys <= sweep.named_keys() | sweep.kept_keys()
        assert set(sweep.stray_keys()) == {stray}


def test_the_residents_zip_holds_their_kept_documents(app, db, budi):
    first_request_kept(app, budi)
    response = budi.get("/akun/data-saya.zip")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        data = json.loads(archive.read("data.json"))
        kinds = {d["kind"]: d for d in data["dokumen_saya"]}
        assert set(kinds) == {"ktp", "kk"}
        assert archive.read(kinds["kk"]["berkas"]) == KK_SCAN
        assert kinds["ktp"]["berkas"] == "dokumen/ktp.png"
        with app.app_context():
            assert archive.read("dokumen/ktp.png") == stored(kept_of()["ktp"].stored_name)
        assert "Dokumen saya disimpan sampai" in archive.read("BACA-SAYA.txt").decode()
