"""The one image pipeline: every uploaded picture is opened here, judged by content, re-encoded.

Photos for news and the market become small WebP and JPEG files at two widths; files get random
names, so they never change and can be cached for a year. A syarat scan and the village logo are
re-encoded here too; the letters and operator areas store them.
"""
import io
import math
import re
import secrets
from dataclasses import asdict, dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from balai.storage import UPLOADS, delete_documents, document_key, documents

MAX_BYTES = 5 * 1024 * 1024
# Decoding costs memory by pixels, not by file size: a 200 KB PNG can declare 49 megapixels. So
# the header alone gets a picture refused above what a phone photo reaches. A baseline JPEG is
# decoded at 1/2, 1/4 or 1/8 scale (draft), so it may be a full 50 MP shot (8160 x 6120); every
# other picture, a progressive JPEG too (libjpeg keeps all its coefficients), is decoded whole
# at up to 4 bytes a pixel, so 24 MP (what almost every phone takes) is its limit. A WebP is
# held twice more while decoding (libwebp's buffer and its copy), so it gets half of that.
MAX_PIXELS = 50_000_000
WHOLE_MAX_PIXELS = 24_000_000
WEBP_MAX_PIXELS = 12_000_000
PHOTO_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
JPEG_OR_PNG = {"JPEG", "MPO", "PNG"}  # MPO is the JPEG that phones with two cameras write
DOCUMENT_FORMATS = JPEG_OR_PNG | {"WEBP"}  # a browser shrinks a syarat photo to WebP
# name -> (width in px, budget in bytes for each encoded file)
SIZES = {"thumb": (320, 12 * 1024), "article": (800, 60 * 1024)}
QUALITIES = (82, 74, 66, 58, 50, 42, 34, 26)
SHRINK = 0.85  # when even the lowest quality is too big, the width shrinks by this step
DOCUMENT_SIDE = 1600  # longest side of a stored syarat: small print on a scanned page stays legible
DOCUMENT_QUALITY = 82
DOCUMENT_THUMB = (320, 15 * 1024)  # width, bytes: a syarat in lists, the full one opens on tap
LOGO_SIDE = 600  # plenty for a kop surat; keeps letters small
NOT_A_PHOTO = "Berkas ini bukan foto atau rusak. Kirim foto JPG, PNG, atau WebP."
TOO_MANY_PIXELS = ("Foto terlalu besar resolusinya. Perkecil fotonya (ubah ukurannya di galeri "
                   "HP, atau kirim tangkapan layar foto itu), lalu coba lagi.")
NAME_PATTERN = re.compile(r"^([A-Za-z0-9_-]{16})-(thumb|article)\.(webp|jpg)$")
IMAGES = f"{UPLOADS}/images"  # the photos' folder in the document store


class ImageError(ValueError):
    """An upload that is not a usable picture; the message, worded for a photo, says what to do."""


class TooManyPixels(ImageError):
    """A picture whose header declares more than the limit; it was never decoded."""


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


def image_key(name):
    """The document key of one stored photo file."""
    return document_key(IMAGES, name)


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


def open_untrusted(data, formats, box=None, max_pixels=MAX_PIXELS):
    """The decoded picture, upright, carrying nothing from the file but pixels and transparency.

    The format comes from the content and must be one of `formats`; the size the header declares
    is checked before any pixel is decoded. `box` (width, height) is what the caller will shrink
    the picture to fit: it is then decoded (JPEG) or reduced by a whole factor straight away, so
    the full-size picture is held once, briefly. `format` still names the source format.
    """
    try:
        source = Image.open(io.BytesIO(data))
        if source.format not in formats:
            raise ImageError(NOT_A_PHOTO)
        if source.width * source.height > min(max_pixels, pixel_limit(source)):
            raise TooManyPixels(TOO_MANY_PIXELS)
        factor = 1
        if box:
            box = box[::-1] if source.getexif().get(ORIENTATION) in TURNED else box
            source.draft("RGB", fitted(source.size, box))
            target = fitted(source.size, box)
            factor = min(source.width // target[0], source.height // target[1])
        if source.width * source.height > WHOLE_MAX_PIXELS:  # a JPEG its decoder cannot shrink
            raise TooManyPixels(TOO_MANY_PIXELS)
        # A palette or 1-bit picture (a byte a pixel) is copied whole: reduce cannot average
        # palette numbers, and the caller shrinks it anyway.
        image = source.reduce(factor if source.mode in REDUCIBLE else 1)  # decodes here
        ImageOps.exif_transpose(image, in_place=True)
    except ImageError:
        raise
    except Image.DecompressionBombError:  # Pillow's own, far higher limit, met in Image.open
        raise TooManyPixels(TOO_MANY_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageError(NOT_A_PHOTO) from None
    # XMP, ICC and comments would otherwise be written back by the encoders; the EXIF that
    # exif_transpose read stays cached on the picture.
    image.info = {key: value for key, value in source.info.items() if key == "transparency"}
    image.getexif().clear()
    image.format = source.format
    return image


ORIENTATION, TURNED = 0x0112, (5, 6, 7, 8)  # EXIF: the camera was turned a quarter
REDUCIBLE = {"L", "LA", "RGB", "RGBA", "CMYK", "I", "F"}  # the modes Image.reduce averages


def pixel_limit(source):
    """How many pixels this file may declare: more when its decoder shrinks while reading."""
    if source.format in ("JPEG", "MPO") and "progressive" not in source.info:
        return MAX_PIXELS
    return WEBP_MAX_PIXELS if source.format == "WEBP" else WHOLE_MAX_PIXELS


def fitted(size, box):
    """The size (width, height) takes once shrunk to fit inside box; never larger."""
    scale = min(1, box[0] / size[0], box[1] / size[1])
    return (max(1, math.ceil(size[0] * scale)), max(1, math.ceil(size[1] * scale)))


def flatten(image):
    """An RGB copy for JPEG and WebP: anything transparent lies on white."""
    if not image.has_transparency_data:
        return image.convert("RGB")
    image = image.convert("RGBA")
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.getchannel("A"))
    return flat


def document_image(data):
    """(bytes, format) of a syarat picture at most DOCUMENT_SIDE long.

    A PNG stays a PNG, so the text of a screenshot stays sharp; anything else (a WebP too)
    becomes a JPEG, which every printer and PDF renderer reads.
    """
    image = open_untrusted(data, DOCUMENT_FORMATS, box=(DOCUMENT_SIDE, DOCUMENT_SIDE))
    image.thumbnail((DOCUMENT_SIDE, DOCUMENT_SIDE))
    out = io.BytesIO()
    if image.format == "PNG":
        image.save(out, "PNG", optimize=True)
        return out.getvalue(), "PNG"
    flatten(image).save(out, "JPEG", quality=DOCUMENT_QUALITY, optimize=True)
    return out.getvalue(), "JPEG"


def document_thumbnail(content):
    """A small JPEG of a stored syarat picture (document_image's output), within DOCUMENT_THUMB."""
    image = flatten(open_untrusted(content, JPEG_OR_PNG, box=(DOCUMENT_SIDE, DOCUMENT_SIDE)))
    _, jpeg, _ = fit(image, *DOCUMENT_THUMB)
    return jpeg


def logo_png(data, max_pixels):
    """The village logo as a PNG at most LOGO_SIDE long, its transparency kept."""
    image = open_untrusted(data, JPEG_OR_PNG, box=(LOGO_SIDE, LOGO_SIDE),
                           max_pixels=max_pixels)
    image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    image.thumbnail((LOGO_SIDE, LOGO_SIDE))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def logo_key(name):
    """The document key of the village logo that Village.logo names."""
    return document_key(UPLOADS, name)


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
    widest = max(width for width, _ in SIZES.values())  # any height: fit() scales by width
    image = flatten(open_untrusted(read_upload(source), PHOTO_FORMATS, box=(widest, math.inf)))
    key = secrets.token_urlsafe(12)
    variants = {}
    for size, (width, budget) in SIZES.items():
        webp, jpeg, (w, h) = fit(image, width, budget)
        names = (f"{key}-{size}.webp", f"{key}-{size}.jpg")
        documents().put(image_key(names[0]), webp)
        documents().put(image_key(names[1]), jpeg)
        variants[size] = Variant(webp=names[0], jpeg=names[1], width=w, height=h)
    return ImageSet(key=key, **variants)


def delete_image(image_set):
    delete_documents(*map(image_key, image_set.names()))


def key_of(name):
    """The image key inside a stored file name, or None for a name the pipeline never made."""
    match = NAME_PATTERN.match(name)
    return match and match.group(1)


def send_image(name):
    """Serve a stored file; its name never changes, so browsers may keep it for a year."""
    mimetype = "image/webp" if name.endswith(".webp") else "image/jpeg"
    response = documents().response(image_key(name), mimetype, max_age=31536000)
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
