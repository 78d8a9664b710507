"""PDFs and key material for the signing tests, made once per test session."""
import datetime
import functools
import io

from reportlab.pdfgen import canvas

import seed
import signing

LETTER_TEXT = b"Surat Keterangan Domisili Nomor 470/001/3213052001/XI/2026"


@functools.cache
def letter_pdf():
    """A small unsigned letter, content stream left uncompressed so tests can find its text."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=0)
    page.drawString(72, 720, LETTER_TEXT.decode())
    page.drawString(72, 700, "Nama: Budi Santoso")
    page.save()
    return buffer.getvalue()


@functools.cache
def rendered_letter_pdf():
    """A letter as the app renders them: xhtml2pdf, A4, with a QR code image on the page."""
    import base64

    import segno
    from xhtml2pdf import pisa
    qr_png = io.BytesIO()
    segno.make("http://127.0.0.1:5000/verifikasi/tok123").save(qr_png, kind="png", scale=4)
    qr = base64.b64encode(qr_png.getvalue())
    html = (f"<html><body><h3>SURAT KETERANGAN DOMISILI</h3><p>{LETTER_TEXT.decode()}</p>"
            f"<p>Kepala Desa Sukamaju<br><img src='data:image/png;base64,{qr.decode()}'><br>"
            "H. Ujang Suryana</p></body></html>")
    buffer = io.BytesIO()
    assert not pisa.CreatePDF(html, dest=buffer).err
    return buffer.getvalue()


@functools.cache
def other_village():
    """CA and signer of another village: (ca, (key, cert))."""
    ca = signing.make_ca("Desa Lain")
    return ca, signing.make_signer(ca, "Kepala Desa Lain", "Desa Lain")


@functools.cache
def former_kades_key():
    """A key of a former Kades, from the demo CA, whose certificate was valid 2019-2025 only."""
    ca_p12 = seed.demo_signing_material()[0]
    ca_key, ca_cert, _ = signing.open_p12(ca_p12, seed.DEMO_SIGNING_PASSPHRASE)
    utc = datetime.timezone.utc
    return ca_cert, signing.make_signer((ca_key, ca_cert), "Drs. Karta Wijaya", "Desa Sukamaju",
                                        valid_from=datetime.datetime(2019, 1, 1, tzinfo=utc),
                                        valid_to=datetime.datetime(2025, 1, 1, tzinfo=utc))
