"""A syarat photo is shrunk to WebP where the browser writes WebP, and to JPEG where it cannot
(its canvas then answers with a PNG); either way the server stores it."""
import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.test_upload_network import field, served, syarat_page  # noqa: F401

NO_WEBP_ENCODER = """() => {
  const toBlob = HTMLCanvasElement.prototype.toBlob;
  HTMLCanvasElement.prototype.toBlob = function (done, type, quality) {
    return toBlob.call(this, done, type === "image/webp" ? "image/png" : type, quality);
  };
}"""


def camera_photo():
    """A 2400x1800 photo at JPEG quality 95: the page shrinks it to 1600 px."""
    gradient = Image.linear_gradient("L").resize((2400, 1800))
    out = io.BytesIO()
    Image.merge("RGB", [gradient, gradient.rotate(90), gradient]).save(out, "JPEG", quality=95)
    return out.getvalue()


@pytest.mark.parametrize("webp, sent_as", [(True, "ktp.webp"), (False, "ktp.jpeg")])
def test_a_photo_goes_as_webp_where_the_browser_writes_it(syarat_page, tmp_path, webp,  # noqa: F811
                                                          sent_as):
    page, _, req = syarat_page
    if not webp:
        page.evaluate(NO_WEBP_ENCODER)
    (tmp_path / "ktp.jpg").write_bytes(camera_photo())
    page.set_input_files("#syarat-ktp", str(tmp_path / "ktp.jpg"))
    expect(field(page, "ktp")).to_contain_text("Tersimpan", timeout=30000)
    attachment = req.attachment_for("ktp")
    assert attachment.original_name == sent_as and attachment.content_type == "image/jpeg"
