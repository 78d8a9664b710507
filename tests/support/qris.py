"""Static QRIS payloads built as a bank's app writes them (EMVCo MPM TLV with its CRC), and
their QR code pictures, for the lapak payment tests."""
import io

import segno

from balai.market.qris import with_crc


def tlv(tag, value):
    return f"{tag}{len(value):02d}{value}"


def qris_payload(merchant="WARUNG BU SITI", city="KAB. GARUT", crc=True):
    """A static QRIS: format 01, static (11), a QRIS merchant account (tag 51), MCC, IDR,
    Indonesia, the merchant's name and city, its postal code, and the CRC last."""
    body = (tlv("00", "01") + tlv("01", "11")
            + tlv("26", tlv("00", "ID.CO.BANKBRI.WWW") + tlv("01", "936000020000012345")
                  + tlv("02", "000012345") + tlv("03", "UMI"))
            + tlv("51", tlv("00", "ID.CO.QRIS.WWW") + tlv("02", "ID1023245678901")
                  + tlv("03", "UMI"))
            + tlv("52", "5411") + tlv("53", "360") + tlv("58", "ID") + tlv("59", merchant)
            + tlv("60", city) + tlv("61", "44151"))
    payload = with_crc(body)
    if not crc:
        payload = payload[:-4] + ("0000" if payload[-4:] != "0000" else "FFFF")
    return payload


def qr_png(text, scale=6):
    """The text as a QR code PNG, as a phone's screenshot of it would be."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
