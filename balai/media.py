"""The shared image pipeline: any uploaded photo becomes small WebP and JPEG files at two widths.

Files get random names, so they never change and can be cached for a year.
"""
import io
import re
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from flask import current_app, send_from_directory
from PIL import Image, ImageOps, UnidentifiedImageError

from balai.web.stored import delete_stored

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 50_000_000  # larger pictures could exhaust memory while decoding
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
# name -> (width in px, budget in bytes for each encoded file)
SIZES = {"thumb": (320, 12 * 1024), "article": (800, 60 * 1024)}
QUALITIES = (82, 74, 66, 58, 50, 42, 34, 26)
SHRINK = 0.85  # when even the lowest quality is too big, the width shrinks by this step
NOT_A_PHOTO = "Berkas ini bukan foto atau rusak. Kirim foto JPG, PNG, atau WebP."
NAME_PATTERN = re.compile(r"^([A-Za-z0-9_-]{16})-(thumb|article)\.(webp|jpg)$")
IMAGE_FOLDER = "images"  # under app.config["UPLOAD_DIR"]


class ImageError(ValueError):
    """An upload that is not a usable photo; the message tells the user what to do."""


@dataclass
class Variant:
    webp: str
    jpeg: str
    width: int
    height: int


@dataclass
class ImageSet:
    """The stored files of one uploaded image."""
    key: str
    thumb: Variant
    article: Variant

    def as_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, data):
        return cls(key=data["key"], thumb=Variant(**data["thumb"]),
                   article=Variant(**data["article"]))

    def names(self):
        return [self.thumb.webp, self.thumb.jpeg, self.article.webp, self.article.jpeg]


def image_dir():
    path = Path(current_app.config["UPLOAD_DIR"]) / IMAGE_FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_upload(source):
    """The bytes of a FileStorage or bytes, refusing anything over the size limit."""
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    else:
        data = source.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImageError("Foto terlalu besar. Ukuran paling besar 5 MB; "
                         "perkecil fotonya lalu coba lagi.")
    if not data:
        raise ImageError("Berkas foto kosong. Pilih berkas foto lagi.")
    return data


def open_image(data):
    """The picture upright, without metadata, as RGB; decided by content, never by file name."""
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in ACCEPTED_FORMATS:
            raise ImageError(NOT_A_PHOTO)
        if image.width * image.height > MAX_PIXELS:
            raise ImageError("Foto terlalu besar resolusinya. Perkecil fotonya lalu coba lagi.")
        widest = max(width for width, _ in SIZES.values())
        image.draft("RGB", (widest, widest))  # a JPEG decodes at a smaller scale: much faster
        return flatten(ImageOps.exif_transpose(image))
    except ImageError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageError(NOT_A_PHOTO) from None


def flatten(image):
    """An RGB copy (transparency on white) that carries no EXIF (GPS, camera), ICC or XMP data."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, "white")
        flat.paste(image, mask=image.getchannel("A"))
    else:
        flat = image.convert("RGB")
    flat.info = {}
    return flat


def encode(image, fmt, budget):
    """The image encoded at the highest quality step that fits the budget, or None."""
    for quality in QUALITIES:
        buffer = io.BytesIO()
        if fmt == "WEBP":
            image.save(buffer, "WEBP", quality=quality, method=4)
        else:
            image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
        if buffer.tell() <= budget:
            return buffer.getvalue()
    return None


def fit(image, width, budget):
    """(webp bytes, jpeg bytes, size) of the image scaled to width, both within budget."""
    width = min(width, image.width)
    while True:
        height = max(1, round(image.height * width / image.width))
        scaled = image.resize((width, height), Image.Resampling.LANCZOS)
        webp, jpeg = encode(scaled, "WEBP", budget), encode(scaled, "JPEG", budget)
        if webp and jpeg:
            return webp, jpeg, scaled.size
        width = max(16, int(width * SHRINK))


def process_image(source):
    """Check, clean and store an uploaded photo; raises ImageError with a message for the user."""
    image = open_image(read_upload(source))
    key = secrets.token_urlsafe(12)
    folder = image_dir()
    variants = {}
    for size, (width, budget) in SIZES.items():
        webp, jpeg, (w, h) = fit(image, width, budget)
        names = (f"{key}-{size}.webp", f"{key}-{size}.jpg")
        (folder / names[0]).write_bytes(webp)
        (folder / names[1]).write_bytes(jpeg)
        variants[size] = Variant(webp=names[0], jpeg=names[1], width=w, height=h)
    return ImageSet(key=key, **variants)


def delete_image(image_set):
    folder = image_dir()
    delete_stored(*(folder / name for name in image_set.names()))


def key_of(name):
    """The image key inside a stored file name, or None for a name the pipeline never made."""
    match = NAME_PATTERN.match(name)
    return match and match.group(1)


def send_image(name):
    """Serve a stored file; its name never changes, so browsers may keep it for a year."""
    response = send_from_directory(image_dir(), name, max_age=31536000)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
