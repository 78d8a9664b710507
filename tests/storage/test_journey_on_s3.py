"""A village whose documents live in an S3 bucket (a real S3 API server on 127.0.0.1): the
letter journey from the resident's syarat to the signed PDF, the logo in it, the public check
and the resident's download, all through the bucket; the sweep removes what no row names;
nothing lands in the data dir's document folders."""
import datetime
import io
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from balai import sweep
from balai.demo import seed
from balai.letters.models import LetterRequest
from balai.storage import Bucket, documents
from balai.villages.models import Village
from tests.support.files import image_bytes, pdf_bytes, upload
from tests.support.forms import profile
from tests.support.s3 import BUCKET, client, object_keys
from tests.support.signing import check_upload
from tests.support.village import BUDI, SITI, make_request

LOGO_SIZE = (37, 41)


@pytest.fixture
def app_settings(on_s3):
    return on_s3


@pytest.fixture
def prefix(app):
    store = documents(app)
    assert isinstance(store, Bucket)
    return store.prefix


def approve(client_, letter, **extra):
    letter = LetterRequest.get_by_id(letter.id)
    client_.get(f"/kotak-masuk/{letter.id}")  # a Kasi approves what they opened
    response = client_.post(f"/kotak-masuk/{letter.id}",
                            data={"action": "setujui", "version": letter.version, **extra})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def logo_png():
    out = io.BytesIO()
    Image.new("RGB", LOGO_SIZE, "green").save(out, "PNG")
    return out.getvalue()


def test_a_letter_from_syarat_to_signed_pdf_through_the_bucket(app, s3, prefix, db, login):
    budi, kasipem, sekdes, kades, operator = (login.as_(who) for who in
                                               (BUDI, "kasipem", "sekdes", "kades", "operator"))
    saved = operator.post("/operator/profil", data={**profile(), "logo": upload(logo_png(),
                                                                                "logo.png")})
    assert saved.status_code == 303
    assert f"{prefix}uploads/{Village.current().logo}" in object_keys(s3, prefix)

    letter = make_request()
    sent = budi.post(f"/surat/{letter.id}/syarat", content_type="multipart/form-data", data={
        "syarat-ktp": upload(image_bytes(size=(1200, 900)), "ktp.jpg"),
        "syarat-kk": upload(pdf_bytes(), "kk.pdf")})
    assert sent.status_code == 303
    assert budi.post(f"/surat/{letter.id}/ajukan", data={"version": 0}).status_code == 303
    scan, photo = (LetterRequest.get_by_id(letter.id).attachment_for(k) for k in ("kk", "ktp"))
    small_key = f"{prefix}uploads/{photo.stored_name.rsplit('.', 1)[0]}-small.jpg"
    assert {f"{prefix}uploads/{scan.stored_name}", f"{prefix}uploads/{photo.stored_name}",
            small_key} <= object_keys(s3, prefix)

    small = kasipem.get(f"/surat/{letter.id}/lampiran/{photo.id}?ukuran=kecil")
    whole = kasipem.get(f"/surat/{letter.id}/lampiran/{photo.id}")
    assert small.status_code == whole.status_code == 200
    assert small.data == client(s3).get_object(Bucket=BUCKET, Key=small_key)["Body"].read()
    assert Image.open(io.BytesIO(whole.data)).width == 1200
    assert kasipem.get(f"/surat/{letter.id}/lampiran/{scan.id}").data == pdf_bytes()
    assert login.as_(SITI).get(f"/surat/{letter.id}/lampiran/{photo.id}").status_code == 404

    approve(kasipem, letter)
    approve(sekdes, letter)
    approve(kades, letter, passphrase=seed.DEMO_SIGNING_PASSPHRASE)
    issued = LetterRequest.get_by_id(letter.id)
    assert issued.status == "selesai" and issued.number
    pdf = client(s3).get_object(Bucket=BUCKET, Key=f"{prefix}letters/{issued.pdf_file}")
    stored = pdf["Body"].read()

    downloaded = budi.get(f"/surat/{letter.id}/unduh")
    assert downloaded.status_code == 200 and downloaded.data == stored
    assert downloaded.headers["Content-Length"] == str(len(stored))
    page = check_upload(app.test_client(), stored).get_data(as_text=True)
    assert "ASLI" in page and issued.number in page
    images = pypdf.PdfReader(io.BytesIO(stored)).pages[0].images
    sizes = {(image.image.width, image.image.height) for image in images}
    assert LOGO_SIZE in sizes  # the logo, read from the bucket into the kop surat

    assert not [folder for folder in ("uploads", "letters", "keys")
                if (Path(app.config["DATA_DIR"]) / folder).exists()]


def test_the_sweep_removes_an_orphan_object_after_the_grace_period_only(app, s3, prefix, db,
                                                                       budi, monkeypatch):
    letter = make_request()
    budi.post(f"/surat/{letter.id}/syarat", content_type="multipart/form-data",
              data={"syarat-ktp": upload(pdf_bytes(), "ktp.pdf")})
    named = object_keys(s3, prefix)
    orphans = {f"{prefix}uploads/tanpa-baris.jpg", f"{prefix}letters/tanpa-baris.pdf",
               f"{prefix}uploads/images/abcdefghijklmnop-thumb.webp"}
    for key in orphans:
        client(s3).put_object(Bucket=BUCKET, Key=key, Body=b"x")
    queue = app.extensions["queue"]
    queue.recover()
    assert object_keys(s3, prefix) == named | orphans  # within the grace period: kept

    monkeypatch.setattr(sweep, "STRAY_GRACE", datetime.timedelta(seconds=-60))  # time passes
    queue.recover()
    assert object_keys(s3, prefix) == named
    assert any(key.endswith(".pdf") and "/uploads/" in key for key in named)
    assert any("/keys/" in key for key in named)
