"""Uploaded requirement files: type decided by content, images re-encoded, random names.

Files live in the document store under uploads/ (see balai.storage), never under static/, and
are served only through a view that checks who asks."""
import io
import secrets
from pathlib import PurePosixPath

from flask import current_app
from pypdf import PdfReader

from balai.media import ImageError, TooManyPixels, document_image, document_thumbnail
from balai.storage import UPLOADS, delete_documents, document_key, documents
from balai.web import untrusted_pdf

STORED_AS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
# What a file claims to be picks its parser, and which message a refusal gets
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"
PHOTOS = "JPEG/PNG/WebP"  # the photos is_picture takes, as the refusals name them


def is_picture(data):
    """Whether the file starts as a JPEG, a PNG or a WebP (what a phone's browser shrinks to)."""
    webp = data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    return webp or data.startswith(JPEG_SIGNATURE) or data.startswith(PNG_SIGNATURE)


class UploadError(Exception):
    """A file we refuse; the message tells the resident what to do instead."""


def save_upload(file_storage):
    """Check, clean and store one uploaded file; return what an Attachment row needs."""
    name = file_storage.filename or "berkas"
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = file_storage.stream.read(limit + 1)
    if not data:
        raise UploadError(f"Berkas {name} kosong. Pilih berkas lain.")
    if len(data) > limit:
        raise UploadError(too_large(name))
    if data.startswith(b"%PDF-"):
        content, content_type, suffix = checked_pdf(data, name), "application/pdf", ".pdf"
    elif is_picture(data):
        content, content_type, suffix = reencoded_image(data, name)
    else:
        raise UploadError(f"Berkas {name} bukan foto {PHOTOS} atau PDF. "
                          "Unggah foto (JPG, PNG atau WebP) atau hasil pindaian PDF.")
    stored_name = stored(content, suffix, content_type)
    return {"stored_name": stored_name, "content_type": content_type, "size": len(content),
            "original_name": name[:200]}


def stored(content, suffix, content_type):
    """Store a checked file under a new random name (a picture with its thumbnail); the name."""
    stored_name = secrets.token_urlsafe(24) + suffix
    documents().put(upload_key(stored_name), content)
    if content_type.startswith("image/"):
        thumbnail_key(stored_name)
    return stored_name


def copied(saved):
    """A copy of a stored upload under a name of its own (what an Attachment or a kept document
    row needs): deleting either file never touches the other's."""
    suffix = PurePosixPath(saved["stored_name"]).suffix
    content = documents().get(upload_key(saved["stored_name"]))
    return {**saved, "stored_name": stored(content, suffix, saved["content_type"])}


def too_large(name):
    return (f"Berkas {name} terlalu besar. Paling besar "
            f"{current_app.config['UPLOAD_MAX_BYTES'] // 1048576} MB; perkecil foto atau pindai "
            "ulang dengan resolusi lebih rendah.")


def checked_pdf(data, name):
    """The PDF as sent, once pypdf can read its pages (within untrusted_pdf's bounds)."""
    try:
        pages = untrusted_pdf.read(data, page_count)
    except untrusted_pdf.Refused:
        raise UploadError(f"Berkas {name} terlalu besar atau terlalu rumit untuk dibuka. Simpan "
                          "ulang sebagai PDF dengan ukuran lebih kecil, atau unggah fotonya.") from None
    if not pages:
        raise UploadError(f"Berkas {name} bukan PDF yang dapat dibuka. Simpan ulang sebagai PDF "
                          "atau unggah fotonya.")
    return data


def page_count(data):
    """The pages pypdf finds in a PDF, 0 when it cannot read it (runs in a child process)."""
    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except Exception:  # pypdf raises many kinds of errors for a broken file
        return 0


def reencoded_image(data, name):
    """(bytes, content type, suffix) of the image re-encoded by the shared image pipeline."""
    try:
        content, fmt = document_image(data)
    except TooManyPixels:
        raise UploadError(f"Gambar {name} terlalu besar ukurannya (piksel). "
                          "Perkecil foto lalu unggah ulang.") from None
    except ImageError:
        raise UploadError(f"Gambar {name} rusak atau bukan {PHOTOS} yang benar. Ambil foto "
                          "lagi lalu unggah ulang.") from None
    return (content, *STORED_AS[fmt])


def upload_key(stored_name):
    """The document key of a stored upload; only plain names we made are accepted."""
    return document_key(UPLOADS, stored_name)


def thumbnail_key(stored_name):
    """The small JPEG beside a stored picture; made from the picture if missing (an upload from
    before thumbnails, or a restored backup, which copies only the files rows name). Two
    requests may make it at once: each write is whole."""
    key = upload_key(small_name(stored_name))
    if not documents().exists(key):
        documents().put(key, document_thumbnail(documents().get(upload_key(stored_name))))
    return key


def small_name(stored_name):
    return PurePosixPath(stored_name).stem + "-small.jpg"


def delete_upload(stored_name):
    delete_documents(upload_key(stored_name), upload_key(small_name(stored_name)))
