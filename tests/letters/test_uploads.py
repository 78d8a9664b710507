import io
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from balai.letters.uploads import UploadError, delete_upload, save_upload, upload_key
from balai.storage import documents
from tests.support.files import EXE, FAKE_PNG, image_bytes, pdf_bytes
from tests.support.stored import stored_keys, upload_bytes


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield app


def save(data, name):
    return save_upload(FileStorage(io.BytesIO(data), filename=name))


@pytest.mark.parametrize("data, name, content_type", [
    (image_bytes("JPEG"), "ktp.jpg", "image/jpeg"),
    (image_bytes("PNG"), "kk.png", "image/png"),
    (pdf_bytes(), "kk.pdf", "application/pdf"),
    (image_bytes("PNG"), "named-wrong.pdf", "image/png"),  # content decides, not the name
])
def test_real_files_are_stored_under_the_upload_dir_with_random_names(ctx, data, name, content_type):
    saved = save(data, name)
    assert saved["content_type"] == content_type and saved["original_name"] == name
    assert len(upload_bytes(ctx, saved["stored_name"])) == saved["size"] > 0
    assert upload_key(saved["stored_name"]) == f"uploads/{saved['stored_name']}"
    assert not (Path(ctx.static_folder) / saved["stored_name"]).exists()
    again = save(data, name)
    assert again["stored_name"] != saved["stored_name"] and len(saved["stored_name"]) >= 32


@pytest.mark.parametrize("data, name, message", [
    (EXE, "ijazah.pdf", "bukan foto JPEG/PNG/WebP atau PDF"),
    (FAKE_PNG, "ktp.png", "rusak atau bukan JPEG/PNG/WebP"),
    (b"%PDF-1.7\nnot really a pdf at all", "kk.pdf", "bukan PDF yang dapat dibuka"),
    (b"", "kosong.jpg", "kosong"),
    (b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024), "besar.jpg", "terlalu besar"),
])
def test_bad_files_are_refused_with_a_clear_message(ctx, data, name, message):
    with pytest.raises(UploadError, match=message):
        save(data, name)
    assert stored_keys(ctx, "uploads/") == set()


def test_images_are_turned_upright_stripped_of_exif_and_downscaled(ctx):
    # 3000x1000 with orientation 6 (rotate 90°): upright it is 1000x3000.
    saved = save(image_bytes("JPEG", size=(3000, 1000), exif_orientation=6), "foto.jpg")
    with Image.open(io.BytesIO(upload_bytes(ctx, saved["stored_name"]))) as image:
        assert image.size == (533, 1600)
        assert not image.getexif()
        assert "exif" not in image.info


def test_png_exif_is_dropped_too(ctx):
    saved = save(image_bytes("PNG", size=(2000, 100), exif_orientation=1), "foto.png")
    with Image.open(io.BytesIO(upload_bytes(ctx, saved["stored_name"]))) as image:
        assert image.size == (1600, 80) and not image.getexif()


def test_decompression_bomb_is_refused(ctx):
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # tiny file, 81 megapixels
    assert len(out.getvalue()) < 100_000
    with pytest.raises(UploadError, match="terlalu besar ukurannya"):
        save(out.getvalue(), "bom.png")


def test_upload_key_accepts_only_plain_names_and_delete_removes(ctx):
    for bad in ("../secret_key", "a/b.jpg", ".hidden", ""):
        with pytest.raises(ValueError):
            upload_key(bad)
    saved = save(pdf_bytes(), "a.pdf")
    delete_upload(saved["stored_name"])
    assert not documents().exists(upload_key(saved["stored_name"]))
    delete_upload(saved["stored_name"])  # twice is fine
