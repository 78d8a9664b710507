"""Is this PDF a letter of this village? Checks an upload's signature against the register."""
import dataclasses
import datetime
import io
import re

from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from balai.db import utc_naive
from balai.signing.keys import load_pem_list, sha256
from balai.signing.models import SignerCertificate
from balai.web import untrusted_pdf

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ASLI, DIUBAH, BUKAN = "asli", "diubah", "bukan dari desa ini"
TOO_LARGE = ("Berkas terlalu besar. Ukuran paling besar 10 MB; kirim berkas PDF surat yang asli, "
             "bukan hasil pindaian.")
TOO_INTRICATE = ("Berkas PDF ini tidak dapat diperiksa karena isinya terlalu besar atau terlalu "
                 "rumit untuk sebuah surat. Unggah berkas surat asli yang Anda terima dari desa.")
SIGNATURE_TRACE = re.compile(rb"/ByteRange|/(FT|Type)\s*/Sig\b")  # a signature was there


class UploadError(ValueError):
    """The upload cannot be checked; the message (Bahasa Indonesia) says why."""


@dataclasses.dataclass
class Verdict:
    status: str  # ASLI, DIUBAH or BUKAN
    reason: str  # one sentence for the public page
    sha256: str
    letter: object = None  # the issued letter found via the file or its signature
    signer: SignerCertificate = None
    signed_at: datetime.datetime = None


@dataclasses.dataclass
class Signature:
    """What pyHanko found out about a signature by a register certificate, in plain values
    that come back from the child process reading the upload."""
    fingerprint: str
    signed_at: datetime.datetime  # as the signer says (the time the register judges it at)
    token: str  # the verification token of the URL the signature names
    intact: bool = False
    valid: bool = False
    trusted: bool = False
    coverage: SignatureCoverageLevel = None


def read_upload(file_storage):
    """The bytes of an uploaded PDF, or UploadError for a missing, oversized or non-PDF file."""
    if file_storage is None or not file_storage.filename:
        raise UploadError("Pilih berkas PDF surat yang ingin diperiksa.")
    data = file_storage.stream.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(TOO_LARGE)
    if b"%PDF-" not in data[:1024]:
        raise UploadError("Berkas ini bukan PDF. Unggah berkas surat berformat PDF "
                          "(berakhiran .pdf) seperti yang Anda terima.")
    return data


def check_pdf(pdf_bytes, issued_lookup=None):
    """Judge a PDF: ASLI, DIUBAH or BUKAN (see Verdict); UploadError for a file too big or too
    intricate to read (see untrusted_pdf).

    issued_lookup(sha256_hex, token) returns (letter, issued_sha256) or None: the issued letter
    whose file has that hash, else the one whose verification token the signature names. With
    a lookup, a validly signed file that matches no issued letter is not ASLI.
    """
    digest = sha256(pdf_bytes)
    register = {row.fingerprint: row for row in SignerCertificate.trusted()}
    pems = {fingerprint: (row.cert_pem, row.chain_pem) for fingerprint, row in register.items()}
    try:
        reading = untrusted_pdf.read(pdf_bytes, read_signatures, pems)
    except untrusted_pdf.Refused:
        raise UploadError(TOO_INTRICATE) from None
    if reading is None and SIGNATURE_TRACE.search(pdf_bytes):
        return Verdict(DIUBAH, "Berkas ini rusak atau diubah sehingga tanda tangannya tidak "
                       "dapat dibaca lagi.", digest)
    if reading is None:
        return Verdict(BUKAN, "Berkas ini tidak dapat dibaca sebagai surat bertanda tangan.",
                       digest)
    count, ours = reading
    if ours is None:
        reason = ("Berkas ini tidak memiliki tanda tangan elektronik." if not count else
                  "Tanda tangan pada berkas ini tidak dibuat dengan sertifikat desa ini.")
        return Verdict(BUKAN, reason, digest)
    return _judge(ours, register[ours.fingerprint], digest, issued_lookup)


def read_signatures(pdf_bytes, pems):
    """(how many signatures the PDF has, the Signature of the first one by a certificate of
    pems {fingerprint: (cert_pem, chain_pem)} or None), or None for a file pyHanko cannot read.
    Runs in untrusted_pdf's child process."""
    try:  # hostile or broken uploads fail in many ways inside the parser
        signatures = PdfFileReader(io.BytesIO(pdf_bytes), strict=False).embedded_signatures
        ours = [s for s in signatures if s.signer_cert.sha256.hex() in pems]
    except Exception:
        return None
    return len(signatures), _validated(ours[0], pems) if ours else None


def _validated(embedded, pems):
    signed_at = embedded.self_reported_timestamp
    signature = Signature(embedded.signer_cert.sha256.hex(), signed_at, _token(embedded))
    try:
        status = validate_pdf_signature(embedded, _context(pems, signed_at), skip_diff=True)
    except (ValueError, PdfError):
        return signature
    return dataclasses.replace(signature, intact=status.intact, valid=status.valid,
                               trusted=status.trusted, coverage=status.coverage)


def _judge(signature, row, digest, issued_lookup):
    signed_at = signature.signed_at and utc_naive(signature.signed_at)
    verdict = Verdict(BUKAN, "", digest, signer=row, signed_at=signed_at)
    if not (signature.intact and signature.valid):
        return _with(verdict, DIUBAH, "Tanda tangan pada berkas ini rusak: isi surat telah "
                     "diubah setelah ditandatangani.")
    if signature.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return _with(verdict, DIUBAH, "Berkas ini telah ditambah atau diubah setelah "
                     "ditandatangani.")
    if not signature.trusted or not (signed_at and row.designated_on(signed_at.date())):
        return _with(verdict, BUKAN, "Tanda tangan ini dibuat di luar masa berlaku sertifikat "
                     "penanda tangan desa ini.")
    found = issued_lookup and issued_lookup(digest, signature.token)
    if issued_lookup and not found:  # e.g. signed by a remote service, then never issued
        return _with(verdict, BUKAN, "Tanda tangan ini milik pejabat desa, tetapi surat ini "
                     "tidak tercatat sebagai surat yang diterbitkan desa.")
    if found:
        verdict.letter = found[0]
        if found[1] != digest:
            return _with(verdict, DIUBAH, "Berkas ini berbeda dari surat yang diterbitkan desa.")
    return _with(verdict, ASLI, "Tanda tangan sah, dibuat dengan sertifikat desa ini, dan "
                 "berkas tidak diubah sejak ditandatangani.")


def _with(verdict, status, reason):
    verdict.status, verdict.reason = status, reason
    return verdict


def _context(pems, signed_at):
    """Trust exactly the register's certificates, judged at the recorded signing time, offline."""
    roots = [cert for cert_pem, _ in pems.values() for cert in load_pem_list(cert_pem)]
    others = [cert for _, chain_pem in pems.values() for cert in load_pem_list(chain_pem)]
    return ValidationContext(trust_roots=roots, other_certs=others, allow_fetching=False,
                             moment=signed_at, best_signature_time=signed_at,
                             revocation_mode="soft-fail")


def _token(embedded):
    """The verification token at the end of the URL the signature names in /ContactInfo."""
    contact = embedded.sig_object.get("/ContactInfo")
    return str(contact).rstrip("/").rsplit("/", 1)[-1] if contact else None
