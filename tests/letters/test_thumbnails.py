"""Syarat pictures are shown small: each is stored with a small JPEG beside it, pages show that,
the whole picture opens on tap, and one uploaded before thumbnails gets its small copy when first
shown."""
import io
import re

import pytest
from PIL import Image

from balai.letters.models import Attachment
from balai.letters.uploads import small_name, upload_key
from balai.storage import documents
from tests.support.files import upload
from tests.support.village import make_request

PAGE_BUDGET = 60 * 1024  # a page with two photos, and the photos it shows


def camera_photo(seed):
    """A 2000x1500 JPEG with a photo's detail (noise over a gradient): big, as phones send."""
    gradient = Image.linear_gradient("L").resize((2000, 1500)).convert("RGB")
    noise = Image.effect_noise((2000, 1500), 60 + seed).convert("RGB")
    out = io.BytesIO()
    Image.blend(gradient, noise, 0.5).save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def with_two_photos(budi, db):
    req = make_request()
    sent = budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data", data={
        "syarat-ktp": upload(camera_photo(1), "ktp.jpg"),
        "syarat-kk": upload(camera_photo(2), "kk.jpg")})
    assert sent.status_code == 303
    return req


def weight(client, url):
    """Bytes of the page and of every image it shows; the images' URLs."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    images = [src.replace("&amp;", "&") for src in re.findall(r'<img[^>]* src="(/[^"]+)"', html)]
    return len(response.data) + sum(len(client.get(src).data) for src in images), images


@pytest.mark.parametrize("step", ["/syarat", "/periksa"])
def test_a_page_with_two_photos_stays_light(budi, with_two_photos, step):
    total, images = weight(budi, f"/surat/{with_two_photos.id}{step}")
    assert len(images) == 2
    assert total <= PAGE_BUDGET, total


def test_the_small_copy_is_a_small_jpeg_and_the_whole_picture_opens_on_tap(budi, with_two_photos):
    html = budi.get(f"/surat/{with_two_photos.id}/periksa").get_data(as_text=True)
    link, src = re.search(r'<a href="([^"]+)"[^>]*><img[^>]* src="([^"]+)"', html).groups()
    small = budi.get(src.replace("&amp;", "&"))
    whole = budi.get(link.replace("&amp;", "&"))
    assert small.mimetype == "image/jpeg" and len(small.data) <= 15 * 1024
    assert Image.open(io.BytesIO(small.data)).width <= 320
    assert len(whole.data) > 10 * len(small.data)
    assert Image.open(io.BytesIO(whole.data)).width == 1600


def test_an_older_upload_gets_its_small_copy_when_first_shown(app, budi, with_two_photos):
    att = Attachment.get(Attachment.request == with_two_photos.id)
    small = upload_key(small_name(att.stored_name))
    documents(app).delete(small)
    response = budi.get(f"/surat/{with_two_photos.id}/lampiran/{att.id}?ukuran=kecil")
    assert response.status_code == 200 and len(response.data) <= 15 * 1024
    assert documents(app).get(small) == response.data


def test_removing_a_picture_removes_its_small_copy(app, budi, with_two_photos):
    att = Attachment.get(Attachment.request == with_two_photos.id)
    small, whole = upload_key(small_name(att.stored_name)), upload_key(att.stored_name)
    assert documents(app).exists(small)
    removed = budi.post(f"/surat/{with_two_photos.id}/syarat/{att.requirement_key}/hapus")
    assert removed.status_code == 303
    assert not documents(app).exists(small) and not documents(app).exists(whole)
