"""A syarat photo the browser shrank to WebP: accepted by content, stored as the server stores
every syarat photo (a JPEG without metadata, with its thumbnail), the picture kept upright."""
import io

from PIL import Image

from balai.letters.uploads import ACCEPT, small_name
from tests.support.files import pdf_bytes, upload
from tests.support.stored import stored_names, upload_bytes
from tests.support.village import make_request


def webp_photo(size=(2000, 1000)):
    """A WebP carrying what must not be kept: EXIF (turned a quarter), XMP and an ICC profile."""
    exif = Image.Exif()
    exif[0x010F], exif[0x0112] = "KameraMerek", 6
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(
        out, "WEBP", quality=70, exif=exif.tobytes(), xmp=b"<x:xmpmeta>lokasi</x:xmpmeta>",
        icc_profile=b"\x00" * 128)
    return out.getvalue()


def test_a_webp_syarat_is_stored_as_a_clean_jpeg_with_its_thumbnail(app, budi, db):
    req = make_request()
    sent = budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                     data={"syarat-ktp": upload(webp_photo(), "ktp.webp"),
                           "syarat-kk": upload(pdf_bytes(), "kk.pdf")})
    assert sent.status_code == 303
    att = req.attachment_for("ktp")
    assert att.content_type == "image/jpeg" and att.stored_name.endswith(".jpg")
    assert att.original_name == "ktp.webp"
    with app.app_context():
        stored = upload_bytes(app, att.stored_name)
        assert small_name(att.stored_name) in stored_names(app, "uploads")
        thumbnail = Image.open(io.BytesIO(upload_bytes(app, small_name(att.stored_name))))
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (800, 1600)  # upright, at most 1600 px
        assert not image.getexif() and not {"exif", "xmp", "icc_profile"} & set(image.info)
    assert b"lokasi" not in stored and b"KameraMerek" not in stored
    assert thumbnail.format == "JPEG" and thumbnail.width == 320


def test_the_syarat_fields_offer_webp():
    assert "image/webp" in ACCEPT and ".webp" in ACCEPT
