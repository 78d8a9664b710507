import io

import pytest
from PIL import Image

from balai.media import SIZES, ImageError, process_image


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
    return app.config["UPLOAD_DIR"] + "/images/" + name


def test_large_noisy_photo_fits_both_budgets(app):
    with app.app_context():
        image_set = process_image(noisy_photo())
    for size, (width, budget) in SIZES.items():
        variant = getattr(image_set, size)
        assert variant.width <= width
        for name, fmt in ((variant.webp, "WEBP"), (variant.jpeg, "JPEG")):
            data = open(stored(app, name), "rb").read()
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
        data = open(stored(app, name), "rb").read()
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
