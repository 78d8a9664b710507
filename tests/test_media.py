import io
import struct
import zlib

import pytest
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from balai.media import (
    JPEG_OR_PNG,
    MAX_PIXELS,
    PHOTO_FORMATS,
    SIZES,
    ImageError,
    TooManyPixels,
    document_image,
    image_key,
    logo_png,
    open_untrusted,
    process_image,
)
from balai.storage import documents


def noisy_photo(width=3200, height=2400, exif=None):
    """A large phone-like photo: shapes and colour under strong sensor noise, as JPEG bytes."""
    scene = Image.merge("RGB", [Image.linear_gradient("L").resize((width, height)),
                                Image.radial_gradient("L").resize((width, height)),
                                Image.linear_gradient("L").rotate(90).resize((width, height))])
    noise = Image.effect_noise((width // 4, height // 4), 80).resize((width, height)).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(scene, noise, 0.3).save(buffer, "JPEG", quality=90, exif=exif or Image.Exif())
    return buffer.getvalue()


def tiff_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "TIFF")
    return buffer.getvalue()


def stored(app, name):
    return documents(app).get(image_key(name))


def test_large_noisy_photo_fits_both_budgets(app):
    with app.app_context():
        image_set = process_image(noisy_photo())
    for size, (width, budget) in SIZES.items():
        variant = getattr(image_set, size)
        assert variant.width <= width
        for name, fmt in ((variant.webp, "WEBP"), (variant.jpeg, "JPEG")):
            data = stored(app, name)
            assert len(data) <= budget, (name, len(data))
            with Image.open(io.BytesIO(data)) as picture:
                assert picture.format == fmt
                assert picture.size == (variant.width, variant.height)
    assert image_set.thumb.width == 320
    assert 480 <= image_set.article.width <= 800  # so noisy that it may have to shrink
    assert image_set.thumb.height == 240


def test_exif_orientation_applied_and_metadata_removed(app):
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was turned: the picture must be rotated a quarter turn
    exif[0x010F] = "KameraHP"
    exif[0x8825] = {1: "S", 2: (6.0, 30.0, 0.0)}  # GPS position: must never be published
    source = io.BytesIO()
    Image.new("RGB", (1200, 600), (200, 30, 30)).save(source, "JPEG", exif=exif)
    with app.app_context():
        image_set = process_image(source.getvalue())
    assert image_set.article.height > image_set.article.width  # upright now
    for name in image_set.names():
        data = stored(app, name)
        with Image.open(io.BytesIO(data)) as picture:
            assert not picture.getexif()
            assert "exif" not in picture.info and "icc_profile" not in picture.info
        assert b"KameraHP" not in data


def test_small_png_with_transparency_is_not_enlarged(app):
    source = io.BytesIO()
    Image.new("RGBA", (200, 100), (0, 0, 0, 0)).save(source, "PNG")
    with app.app_context():
        image_set = process_image(source.getvalue())
    assert (image_set.thumb.width, image_set.article.width) == (200, 200)


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.4 this is not a picture", "bukan foto"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "bukan foto"),
    (b"", "kosong"),
    (noisy_photo(320, 240)[:600], "rusak"),  # a photo cut off while uploading
    (tiff_bytes(), "bukan foto"),
    (b"\xff" * (5 * 1024 * 1024 + 1), "terlalu besar"),
])
def test_non_images_and_huge_files_are_refused(app, data, message):
    with app.app_context(), pytest.raises(ImageError, match=message):
        process_image(data)


def test_file_named_like_a_photo_is_judged_by_content(app):
    from werkzeug.datastructures import FileStorage
    upload = FileStorage(io.BytesIO(b"MZ\x90\x00 a program"), filename="foto.jpg",
                         content_type="image/jpeg")
    with app.app_context(), pytest.raises(ImageError):
        process_image(upload)


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header(width, height):
    """A PNG whose header declares the size, followed by a few bytes that are no pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", b"not zlib")
            + png_chunk(b"IEND", b""))


@pytest.mark.parametrize("width, height", [(20000, 20000), (8000, 8000)])
def test_too_many_pixels_are_refused_from_the_header_before_decoding(width, height):
    data = png_header(width, height)
    assert len(data) < 100
    with pytest.raises(TooManyPixels, match="terlalu besar resolusinya"):
        open_untrusted(data, PHOTO_FORMATS)
    with pytest.raises(ImageError, match="rusak") as broken:  # what decoding it would have given
        open_untrusted(png_header(100, 100), PHOTO_FORMATS)
    assert not isinstance(broken.value, TooManyPixels)


def picture(fmt, size=(40, 30), mode="RGB", **options):
    buffer = io.BytesIO()
    Image.new(mode, size, "green").save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["GIF", "WEBP", "BMP", "TIFF"])
def test_a_format_outside_the_allow_list_is_refused(fmt):
    with pytest.raises(ImageError, match="bukan foto") as refused:
        open_untrusted(picture(fmt), JPEG_OR_PNG)
    assert not isinstance(refused.value, TooManyPixels)


def test_the_opener_turns_the_picture_upright_and_keeps_no_metadata():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate a quarter turn
    exif[0x010F] = "KameraHP"
    image = open_untrusted(picture("JPEG", (300, 100), exif=exif, comment=b"catatan"),
                           JPEG_OR_PNG)
    assert image.size == (100, 300) and image.format == "JPEG"
    assert image.info == {} and not image.getexif()


def secret_metadata():
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"
    exif[0x8825] = {1: "S", 2: (6.0, 30.0, 0.0)}  # where the resident lives
    return exif


@pytest.mark.parametrize("source, fmt", [
    (picture("JPEG", (2000, 1500), exif=secret_metadata(), comment=b"NIK 3201234567890001"),
     "JPEG"),
    (picture("MPO", (2000, 1500), exif=secret_metadata(), comment=b"NIK 3201234567890001"),
     "JPEG"),
    (picture("PNG", (2000, 1500), exif=secret_metadata(), pnginfo=PngInfo()), "PNG"),
])
def test_a_syarat_image_keeps_no_comment_or_exif(source, fmt):
    content, stored = document_image(source)
    assert stored == fmt
    for secret in (b"NIK 3201", b"KameraMerek"):
        assert secret not in content
    with Image.open(io.BytesIO(content)) as stored_image:
        assert stored_image.format == fmt and max(stored_image.size) == 1600
        assert not stored_image.getexif() and "comment" not in stored_image.info


def test_a_png_syarat_keeps_no_text_chunk():
    text = PngInfo()
    text.add_text("Comment", "NIK 3201234567890001")
    content, _ = document_image(picture("PNG", pnginfo=text))
    assert b"NIK 3201" not in content


@pytest.mark.parametrize("mode, size", [("RGBA", (1200, 300)), ("P", (40, 30))])
def test_the_logo_keeps_its_transparency(mode, size):
    logo = Image.new(mode, size)
    options = {}
    if mode == "P":
        options["transparency"] = 0  # palette entry 0 (black) is see-through
        logo.putpixel((39, 29), 1)
    else:
        logo.paste((20, 120, 20, 255), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    logo.save(buffer, "PNG", **options)
    with Image.open(io.BytesIO(logo_png(buffer.getvalue(), MAX_PIXELS))) as stored:
        assert stored.format == "PNG" and stored.mode == "RGBA"
        assert max(stored.size) == min(600, max(size))
        assert stored.getpixel((0, 0))[3] == (255 if mode == "RGBA" else 0)
        assert stored.getpixel((stored.width - 1, stored.height - 1))[3] == (
            0 if mode == "RGBA" else 255)
