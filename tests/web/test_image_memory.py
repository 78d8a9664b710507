"""A picture's memory is bounded by its declared size, not its file size: a 200 KB PNG that
declares 49 megapixels is refused before decoding, and the biggest pictures we accept stay
within a worker's budget. Each case runs in a fresh process that measures its own peak memory."""
import io
import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image

from balai.media import PHOTO_FORMATS, TooManyPixels, open_untrusted

ROOT = Path(__file__).resolve().parent.parent.parent
BUDGET_MIB = 256
ANSWER_SECONDS = 5

# In the child: build the app, read the file, then measure what handling it costs.
MEASURE = """
import json, sys, time
from werkzeug.datastructures import FileStorage
from balai import create_app
from balai.letters.uploads import UploadError, save_upload
from balai.media import ImageError, process_image
from balai.villages.context import village_context

def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) // 1024

path, kind, data_dir = sys.argv[1:]
app = create_app({"DATA_DIR": data_dir, "SECRET_KEY": "x"})
data = open(path, "rb").read()
handle = save_upload if kind == "syarat" else process_image
with app.test_request_context(), village_context(1):  # as the request's host would choose
    before, started, answer = status("VmRSS"), time.monotonic(), "stored"
    try:
        handle(FileStorage(__import__("io").BytesIO(data), filename="foto.png"))
    except (UploadError, ImageError) as error:
        answer = str(error)
    seconds = time.monotonic() - started
print(json.dumps({"grew": status("VmHWM") - before, "seconds": seconds, "answer": answer}))
"""


def png_stream(width, height, mode="RGBA"):
    """A real PNG of one colour, written row by row: 49 megapixels in ~200 KB, made cheaply."""
    channels = {"RGBA": (6, 4), "RGB": (2, 3)}[mode]
    body = zlib.compressobj(9)
    row = b"\x00" + bytes([90, 140, 40, 200][:channels[1]]) * width
    idat = b"".join(body.compress(row) for _ in range(height)) + body.flush()

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    header = struct.pack(">IIBBBBB", width, height, 8, channels[0], 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def baseline_jpeg(width, height):
    """A phone-sized JPEG (one smooth gradient, so the file stays small)."""
    out = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(out, "JPEG",
                                                                           quality=85)
    return out.getvalue()


@pytest.fixture(scope="module")
def pictures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pictures")
    made = {"png-49mp": png_stream(7000, 7000), "png-24mp": png_stream(4890, 4890),
            "jpeg-50mp": baseline_jpeg(8160, 6120)}
    for name, data in made.items():
        (folder / name).write_bytes(data)
    return folder


def measure(path, kind, data_dir):
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), kind, str(data_dir)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])


@pytest.mark.parametrize("kind", ["syarat", "photo"])
def test_a_49_megapixel_png_is_refused_before_it_is_decoded(pictures, tmp_path, kind):
    assert (pictures / "png-49mp").stat().st_size < 300 * 1024
    cost = measure(pictures / "png-49mp", kind, tmp_path)
    assert "terlalu besar" in cost["answer"] and "Perkecil" in cost["answer"], cost
    assert cost["grew"] < BUDGET_MIB and cost["seconds"] < ANSWER_SECONDS, cost


@pytest.mark.parametrize("name", ["png-24mp", "jpeg-50mp"])
@pytest.mark.parametrize("kind", ["syarat", "photo"])
def test_the_biggest_accepted_pictures_stay_within_budget(pictures, tmp_path, kind, name):
    cost = measure(pictures / name, kind, tmp_path)
    assert cost["answer"] == "stored" and cost["grew"] < BUDGET_MIB, cost


def progressive_jpeg_declaring(width, height):
    """A small progressive JPEG whose header is changed to declare a bigger picture."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "red").save(out, "JPEG", progressive=True)
    data = bytearray(out.getvalue())
    frame = data.index(b"\xff\xc2")  # SOF2: precision, then height and width
    data[frame + 5:frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def test_pictures_decoded_whole_have_a_lower_limit():
    """A progressive JPEG cannot be decoded at a smaller scale (libjpeg keeps every coefficient)
    and a WebP is held twice while decoding: their limits are 24 and 12 megapixels."""
    with pytest.raises(TooManyPixels):
        open_untrusted(progressive_jpeg_declaring(6000, 5000), PHOTO_FORMATS, box=(800, 800))
    webp = io.BytesIO()
    Image.new("RGB", (3500, 3500), "green").save(webp, "WEBP", lossless=True)
    with pytest.raises(TooManyPixels):
        open_untrusted(webp.getvalue(), PHOTO_FORMATS, box=(800, 800))
