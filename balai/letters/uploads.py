"""Uploaded requirement files: type decided by content, images re-encoded, random names.

Files live under app.config["UPLOAD_DIR"] (data/uploads), never under static/, and are served
only through a view that checks who asks."""
import io
import os
import secrets
from pathlib import Path

from flask import current_app
from pypdf import PdfReader

from balai.media import ImageError, TooManyPixels, document_image, document_thumbnail
from balai.web import untrusted_pdf
from balai.web.stored import delete_stored

STORED_AS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}
# What a file claims to be picks its parser, and which message a refusal gets
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
ACCEPT = "image/jpeg,image/png,application/pdf,.jpg,.jpeg,.png,.pdf"


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
    elif data.startswith(JPEG_SIGNATURE) or data.startswith(PNG_SIGNATURE):
        content, content_type, suffix = reencoded_image(data, name)
    else:
        raise UploadError(f"Berkas {name} bukan foto JPEG/PNG atau PDF. "
                          "Unggah foto (JPG atau PNG) atau hasil pindaian PDF.")
    stored_name = secrets.token_urlsafe(24) + suffix
    upload_path(stored_name).write_bytes(content)
    if content_type.startswith("image/"):
        thumbnail_path(stored_name)
    return {"stored_name": stored_name, "content_type": content_type, "size": len(content),
            "original_name": name[:200]}


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
        raise UploadError(f"Gambar {name} rusak atau bukan JPEG/PNG yang benar. Ambil foto lagi "
                          "lalu unggah ulang.") from None
    return (content, *STORED_AS[fmt])


def upload_path(stored_name):
    """Where a stored upload lives; only plain names we made are accepted."""
    if Path(stored_name).name != stored_name or stored_name.startswith("."):
        raise ValueError("not a stored upload name")
    return Path(current_app.config["UPLOAD_DIR"]) / stored_name


def thumbnail_path(stored_name):
    """The small JPEG beside a stored picture; made from the picture if missing (an upload from
    before thumbnails, or a restored backup, which copies only the files rows name)."""
    path = upload_path(small_name(stored_name))
    if not path.exists():
        partial = path.with_name(f".{secrets.token_hex(8)}-{path.name}")  # two may make it at once
        partial.write_bytes(document_thumbnail(upload_path(stored_name).read_bytes()))
        os.replace(partial, path)
    return path


def small_name(stored_name):
    return Path(stored_name).stem + "-small.jpg"


def delete_upload(stored_name):
    delete_stored(upload_path(stored_name), upload_path(small_name(stored_name)))
