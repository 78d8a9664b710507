"""A seller's own static QRIS: read from the picture they upload, checked, and kept so it scans.

A QRIS is an EMVCo merchant-presented QR code: a string of TLV fields (two digits of tag, two of
length, the value), opening with the payload format indicator "000201" and closing with the
CRC (tag 63), a CRC-16/CCITT-FALSE over everything before its value. A QRIS names its merchant
(tag 59) and city (tag 60) and carries a merchant account template (tags 26-51) whose globally
unique identifier (sub-tag 00) is a QRIS one, such as "ID.CO.QRIS.WWW". The buyer's own banking
app does the paying: no money passes through Balai."""
import io
import secrets
from dataclasses import dataclass

import zxingcpp

from balai.media import JPEG_OR_PNG, NOT_A_PHOTO, ImageError, open_untrusted, read_upload
from balai.storage import UPLOADS, document_key, documents

NOT_QRIS = "Kode QR ini bukan QRIS"


class QrisError(Exception):
    """A picture refused as the lapak's QRIS; the message says why, for the seller."""


@dataclass
class Qris:
    merchant: str
    city: str


def crc16(data):
    """CRC-16/CCITT-FALSE (polynomial 0x1021, start 0xFFFF), as EMVCo QR codes use it."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1) & 0xFFFF
    return crc


def with_crc(payload):
    """The payload (without tag 63) closed by its CRC field: how a QRIS is written."""
    payload += "6304"
    return payload + f"{crc16(payload.encode()):04X}"


def fields(text):
    """{tag: value} of a TLV string; QrisError when it does not split into whole fields."""
    found, at = {}, 0
    while at < len(text):
        tag, size = text[at:at + 2], text[at + 2:at + 4]
        whole = len(size) == 2 and tag.isdigit() and size.isdigit()
        if not whole or at + 4 + int(size) > len(text):
            raise QrisError(f"{NOT_QRIS}: isinya tidak tersusun seperti kode pembayaran.")
        found.setdefault(tag, text[at + 4:at + 4 + int(size)])
        at += 4 + int(size)
    return found


def read_payload(text):
    """The merchant and city of a static QRIS payload; QrisError naming what is wrong."""
    if not text.startswith("000201"):
        raise QrisError(f"{NOT_QRIS}: kode pembayaran QRIS selalu diawali 000201.")
    tags = fields(text)
    if not text[-8:-4] == "6304":
        raise QrisError(f"{NOT_QRIS}: tanda pemeriksa (CRC) di ujungnya tidak ada.")
    if tags["63"].upper() != f"{crc16(text[:-4].encode()):04X}":
        raise QrisError("Kode QRIS ini rusak: tanda pemeriksanya (CRC) tidak cocok dengan isinya. "
                        "Unduh ulang QRIS dari aplikasi bank atau dompet digital Anda.")
    if not any("QRIS" in fields(tags[tag]).get("00", "").upper()
               for tag in map(str, range(26, 52)) if tag in tags):
        raise QrisError(f"{NOT_QRIS}: tidak ada data akun merchant QRIS (ID.CO.QRIS.WWW).")
    if tags.get("01") == "12" or "54" in tags:
        raise QrisError("Ini QRIS dinamis untuk satu transaksi. Unggah QRIS statis lapak Anda "
                        "(tanpa nominal), yang dicetak untuk ditempel di toko.")
    merchant, city = tags.get("59", "").strip(), tags.get("60", "").strip()
    if not merchant or not city:
        raise QrisError(f"{NOT_QRIS}: nama merchant atau kotanya tidak ada.")
    return Qris(merchant=merchant, city=city)


def decoded_text(image):
    """The text of the QR code in a Pillow picture; QrisError when there is none."""
    codes = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode,
                                   text_mode=zxingcpp.TextMode.Plain)
    if not codes:
        raise QrisError("Tidak ada kode QR yang terbaca di gambar ini. Unggah gambar QRIS yang "
                        "utuh dan tajam, misalnya hasil unduhan dari aplikasi, bukan foto miring.")
    return codes[0].text


def qris_key(name):
    return document_key(UPLOADS, name)


def store_qris(source):
    """(file name, Qris) of an uploaded QRIS picture, stored as a lossless PNG without metadata
    (it is checked to scan to the same payload before it is kept); QrisError otherwise."""
    try:
        image = open_untrusted(read_upload(source), JPEG_OR_PNG)
    except ImageError as error:
        raise QrisError("Berkas ini bukan gambar. Unggah QRIS sebagai gambar PNG atau JPG."
                        if str(error) == NOT_A_PHOTO else str(error)) from None
    text = decoded_text(image)
    qris = read_payload(text)
    if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    png = out.getvalue()
    if decoded_text(open_untrusted(png, JPEG_OR_PNG)) != text:
        raise QrisError("Gambar QRIS ini tidak dapat disimpan utuh. "
                        "Unggah gambar yang lebih jelas.")
    name = f"qris-{secrets.token_urlsafe(12)}.png"
    documents().put(qris_key(name), png)
    return name, qris
