"""The letter as a PDF: kop surat, body, signature block and QR code, rendered by xhtml2pdf."""
import base64
import datetime
import io
import threading
from pathlib import Path

import segno
from flask import current_app, render_template
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from balai.letters import text as letter_text
from balai.media import logo_key
from balai.signing.issuer import certificate_issuer, kades_certificate
from balai.storage import documents
from balai.web.filters import indonesian_date

PAPER_SIZES = {"A4": "210mm 297mm", "F4": "215mm 330mm"}

# xhtml2pdf keeps state in module globals (fonts, reportlab settings): one document at a time.
_render_lock = threading.Lock()


class RenderError(Exception):
    """xhtml2pdf could not make the letter."""


def link_callback(uri, rel):
    """The local path for an image in the letter: data URIs (the QR code, the logo) and our
    static files only."""
    if uri.startswith("data:"):
        return uri
    static = Path(current_app.static_folder).resolve()
    path = Path(uri).resolve()
    return str(path) if path.is_file() and path.is_relative_to(static) else ""


def resource_policy():
    """xhtml2pdf's own gate, opened to our static files only; no network at all."""
    return ResourceAccessPolicy.server(base_dir=Path(current_app.static_folder).resolve(),
                                       allow_remote=False)


def data_uri(mimetype, data):
    return f"data:{mimetype};base64," + base64.b64encode(data).decode()


def logo_data_uri(village):
    """The village logo (a PNG in the document store) for the kop surat, or None."""
    if not village.logo:
        return None
    try:
        return data_uri("image/png", documents().get(logo_key(village.logo)))
    except (FileNotFoundError, ValueError):  # lost, or a name we never made: no logo
        return None


def qr_data_uri(url):
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    return data_uri("image/png", buffer.getvalue())


def body_values(letter, village, valid_until):
    """The placeholders of letter_text.BODY_PLACEHOLDERS, plus the type's extra fields."""
    person = letter.person
    return {**(letter.fields or {}),
            "nama": person.name, "nik": person.nik, "no_kk": person.kk_number,
            "tempat_lahir": person.birth_place,
            "tanggal_lahir": indonesian_date(person.birth_date),
            "jenis_kelamin": person.sex_label, "agama": person.religion,
            "status_perkawinan": person.marital_status, "pekerjaan": person.occupation,
            "kewarganegaraan": person.citizenship, "alamat": person.address, "rt": person.rt,
            "rw": person.rw, "dusun": person.dusun, "keperluan": letter.purpose,
            "desa": village.name, "kecamatan": village.kecamatan, "kabupaten": village.kabupaten,
            "berlaku_sampai": indonesian_date(valid_until)}


def signer_title(position, village):
    """The lines above the signature: "Plt. Kepala Desa Sukamaju", or for "a.n. Kepala Desa,
    Sekretaris Desa" the two lines "a.n. Kepala Desa Sukamaju" and "Sekretaris Desa"."""
    first, *rest = [part.strip() for part in position.split(",")]
    if first.endswith("Kepala Desa"):
        first = f"{first} {village.name.removeprefix('Desa ')}"
    return [first, *rest]


def render_letter(letter, village, number, issued_on, verify_url, signer):
    """The PDF bytes of an issued letter, signed by `signer` (a SignerCertificate: name and
    title). issued_on is the date in the village's time zone."""
    html = letter_html(letter, village, issued_on, number=number, qr=qr_data_uri(verify_url),
                       signer_name=signer.holder_name,
                       signer_title=signer_title(signer.position, village),
                       issuer=certificate_issuer(signer, current_app.config))
    return pdf_from(html)


def render_draft(letter, village, today):
    """The letter as it will print, marked DRAF / CONTOH: no number, no QR code, no signature;
    the signer the Kades's step would sign with today, when there is one."""
    signer = kades_certificate()
    title = (signer_title(signer.position, village) if signer
             else signer_title("Kepala Desa", village))
    html = letter_html(letter, village, today, number=None, qr=None,
                       signer_name=signer.holder_name if signer else "",
                       signer_title=title, issuer=certificate_issuer(signer, current_app.config),
                       draft=True)
    return pdf_from(html)


def letter_html(letter, village, issued_on, *, number, qr, signer_name, signer_title, issuer,
                draft=False):
    """The HTML xhtml2pdf makes the letter from (number and qr None in a draft)."""
    valid_until = issued_on + datetime.timedelta(days=letter.letter_type.validity_days)
    body = letter_text.render_body(letter.letter_type.body_template,
                                   body_values(letter, village, valid_until))
    return render_template(
        "pdf/letter.html", letter=letter, village=village, number=number, draft=draft,
        paragraphs=[p for p in body.split("\n\n") if p.strip()],
        date=indonesian_date(issued_on), valid_until=indonesian_date(valid_until),
        page_size=PAPER_SIZES.get(village.paper, PAPER_SIZES["A4"]),
        birth_date=indonesian_date(letter.person.birth_date),
        extra_fields=[(f["label"], (letter.fields or {}).get(f["key"], ""))
                      for f in letter.letter_type.extra_fields],
        logo=logo_data_uri(village), qr=qr, signer_name=signer_name,
        signer_title=signer_title, issuer=issuer,
        verify_address=f"{village.public_url.rstrip('/')}/verifikasi")


def pdf_from(html):
    output = io.BytesIO()
    with _render_lock:
        result = pisa.CreatePDF(html, dest=output, link_callback=link_callback, encoding="utf-8",
                                resource_policy=resource_policy())
    if result.err:
        raise RenderError(f"PDF tidak dapat dibuat ({result.err} kesalahan).")
    return output.getvalue()
