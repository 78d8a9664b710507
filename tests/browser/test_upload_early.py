"""A syarat photo goes as soon as it is chosen (and shrunk), while the resident goes on: both
photos are on their way before "Simpan dan lanjutkan" is tapped, which then waits for them
(tapped twice: one file each) and opens the check page."""
import io
import time

from PIL import Image
from playwright.sync_api import expect

from balai.letters.models import Attachment
from balai.letters.partial_uploads import PartialUpload
from tests.browser.test_upload_network import WEAK_SIGNAL, served, syarat_page  # noqa: F401
from tests.support.stored import stored_names


def grainy_photo():
    """A photo that stays some 30 KB when shrunk: seconds on the weak signal."""
    out = io.BytesIO()
    Image.merge("RGB", [Image.effect_noise((400, 300), 60)] * 3).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_photos_go_when_chosen_and_simpan_waits_for_them(app, syarat_page, served, tmp_path):  # noqa: F811
    page, cdp, req = syarat_page
    _, counted = served
    cdp.send("Network.emulateNetworkConditions", WEAK_SIGNAL)
    for key in ("ktp", "kk"):
        (tmp_path / f"{key}.jpg").write_bytes(grainy_photo())
        page.set_input_files(f"#syarat-{key}", str(tmp_path / f"{key}.jpg"))
    deadline = time.monotonic() + 30
    while counted.begun < 2:  # no button tapped yet
        assert time.monotonic() < deadline, "the photos did not go when chosen"
        time.sleep(0.05)
    assert Attachment.select().where(Attachment.request == req).count() < 2  # still on the way
    page.get_by_role("button", name="Simpan dan lanjutkan").dblclick()
    expect(page.locator("h1")).to_have_text("Periksa sebelum mengajukan")
    assert counted.begun == 2 and PartialUpload.select().count() == 2
    attachments = Attachment.select().where(Attachment.request == req)
    assert sorted(a.requirement_key for a in attachments) == ["kk", "ktp"]
    assert len(stored_names(app, "uploads")) == 4  # two pictures and their small copies
