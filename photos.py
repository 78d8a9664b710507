"""Product photos: decoded by content, re-encoded to WebP and JPEG at two sizes under a byte budget."""
import io
import secrets
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

# size name -> (longest side in px, most bytes per file)
SIZES = {"thumb": (320, 12 * 1024), "article": (800, 60 * 1024)}
FORMATS = {"webp": "WEBP", "jpg": "JPEG"}
Image.MAX_IMAGE_PIXELS = 40_000_000


class PhotoError(Exception):
    """A file that cannot be used as a photo; the message is for the person who sent it."""


def store_photo(file, directory):
    """Save every size and format of an uploaded photo; return (key, width, height) of "article"."""
    image = decode(file)
    key = secrets.token_hex(12)
    Path(directory).mkdir(parents=True, exist_ok=True)
    width = height = 0
    for size, (side, budget) in SIZES.items():
        for ext, fmt in FORMATS.items():
            data, (width, height) = encode(image, side, budget, fmt)
            (Path(directory) / f"{key}-{size}.{ext}").write_bytes(data)
    return key, width, height


def decode(file):
    try:
        image = Image.open(file.stream if hasattr(file, "stream") else file)
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise PhotoError("Berkas ini bukan foto. Kirim foto berformat JPG, PNG, atau WebP.")
    return ImageOps.exif_transpose(image).convert("RGB")


def encode(image, side, budget, fmt):
    """The image shrunk to `side` and compressed until it fits `budget` bytes."""
    while True:
        copy = image.copy()
        copy.thumbnail((side, side))
        for quality in (80, 70, 60, 50, 40):
            out = io.BytesIO()
            copy.save(out, fmt, quality=quality, optimize=True)
            if out.tell() <= budget:
                return out.getvalue(), copy.size
        side = int(side * 0.8)


def remove_photo(key, directory):
    for size in SIZES:
        for ext in FORMATS:
            (Path(directory) / f"{key}-{size}.{ext}").unlink(missing_ok=True)
