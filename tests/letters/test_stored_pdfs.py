"""What a resident uploads cannot act in another's browser: a syarat picture is re-encoded (no
comment survives), and a stored PDF, script and /OpenAction included, is only ever downloaded."""
import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from balai.letters.models import LetterRequest
from tests.support.files import upload
from tests.support.stored import upload_bytes
from tests.support.village import make_request

SECRET = b"<script>alert(document.cookie)</script>"


def pdf_with_script():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_open_action(JavaScript("app.alert('halo');"))  # the document's scripts
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject({  # run on opening
        NameObject("/S"): NameObject("/JavaScript"),
        NameObject("/JS"): TextStringObject("app.launchURL('https://contoh.invalid/');")})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def jpeg_with_comment():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, "JPEG", comment=SECRET)
    assert SECRET in out.getvalue()
    return out.getvalue()


def test_a_syarat_pdf_is_served_only_as_a_download(app, budi, kasipem, db):
    letter = make_request()
    response = budi.post(f"/surat/{letter.id}/syarat", content_type="multipart/form-data", data={
        "syarat-ktp": upload(jpeg_with_comment(), "ktp.jpg"),
        "syarat-kk": upload(pdf_with_script(), "kk.pdf")})
    assert response.status_code == 303
    letter = LetterRequest.get_by_id(letter.id)
    scan, photo = letter.attachment_for("kk"), letter.attachment_for("ktp")
    stored_pdf, stored_photo = (upload_bytes(app, a.stored_name) for a in (scan, photo))
    assert b"/OpenAction" in stored_pdf  # kept as sent...
    letter.apply("ajukan", letter.created_by)  # at the Kasi's step: theirs to open
    for client in (budi, kasipem):
        served = client.get(f"/surat/{letter.id}/lampiran/{scan.id}")
        assert served.status_code == 200 and served.mimetype == "application/pdf"
        assert served.headers["Content-Disposition"].startswith("attachment;")  # ...never shown
        assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert SECRET not in stored_photo and b"alert" not in stored_photo
    with Image.open(io.BytesIO(stored_photo)) as picture:
        assert "comment" not in picture.info


def test_an_issued_letter_is_a_download_too(budi, objects):  # noqa: F811
    letter, _ = objects["letters"][1]
    served = budi.get(f"/surat/{letter.id}/unduh")
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment;")
    assert served.headers["X-Content-Type-Options"] == "nosniff"

