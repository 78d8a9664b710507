"""Tiny real files made in memory for upload tests."""
import io

from PIL import Image


def image_bytes(fmt="JPEG", size=(40, 30), exif_orientation=None, color=(200, 30, 30)):
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    kwargs = {}
    if exif_orientation or fmt == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "KameraMerek"  # Make
        if exif_orientation:
            exif[0x0112] = exif_orientation
        kwargs["exif"] = exif.tobytes()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def photo_bytes(size=(1000, 700)):
    """A plain JPEG photo, without the EXIF that image_bytes adds."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf_bytes():
    """A one-page PDF written by pypdf."""
    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scan_pdf_bytes(size=1_300_000):
    """A PDF of about `size` bytes that nothing shrinks: a page and an attached random scan."""
    import os

    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("pindaian.bin", os.urandom(size))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
FAKE_PNG = b"\x89PNG\r\n\x1a\n" + b"this is not really a png" * 10


def upload(data, name):
    return (io.BytesIO(data), name)
