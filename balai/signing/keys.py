"""Signing letters with the village officials' own keys: PAdES signatures made by pyHanko.

Keys live as encrypted PKCS#12 files under keys/ in the document store (balai.storage), which
functions here take as `store`. The passphrase that opens
them is typed by the signer for each approval; it is passed down as an argument and never stored,
logged, or handed to the task queue.
"""
import datetime
import hashlib
import io

from asn1crypto import keys as asn1_keys
from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from balai.db import db, utc_naive
from balai.signing.models import SignerCertificate
from balai.storage import KEYS, document_key, documents
from balai.villages.models import Village

KEY_TYPES = ("p256", "rsa3072")
CA_FILE = "village-ca.p12"
CA_PEM_FILE = "village-ca.pem"
FIELD_NAME = "TandaTanganDesa"
TERM_YEARS = 6  # a Kepala Desa's term of office


class SigningError(Exception):
    """Signing cannot go ahead; the message (Bahasa Indonesia) says what to do."""
    status = 422  # the HTTP status a view answers with: the form must be fixed


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def fingerprint(cert):
    """SHA-256 of a certificate (cryptography object), as hex."""
    return cert.fingerprint(hashes.SHA256()).hex()


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def load_pem_list(text):
    """Every certificate in a PEM text, as asn1crypto objects (what pyHanko works with)."""
    data = (text or "").encode()
    return [asn1_x509.Certificate.load(der) for _, _, der in asn1_pem.unarmor(data, multiple=True)]


# Key material ------------------------------------------------------------------------------

def new_key(key_type="p256"):
    if key_type == "rsa3072":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    return ec.generate_private_key(ec.SECP256R1())


def _name(common_name, village_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, village_name),
                      x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")])


def _certificate(subject, issuer, public_key, issuer_key, not_before, not_after, is_ca):
    usage = dict(digital_signature=not is_ca, content_commitment=not is_ca, key_encipherment=False,
                 data_encipherment=False, key_agreement=False, key_cert_sign=is_ca,
                 crl_sign=is_ca, encipher_only=False, decipher_only=False)
    return (x509.CertificateBuilder()
            .subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.BasicConstraints(ca=is_ca, path_length=0 if is_ca else None), True)
            .add_extension(x509.KeyUsage(**usage), True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False)
            .sign(issuer_key, hashes.SHA256()))


def make_ca(village_name, key_type="p256", years=30):
    """A self-signed certificate authority for the village: (key, cert)."""
    key = new_key(key_type)
    name = _name(f"CA {village_name}", village_name)
    start = utcnow() - datetime.timedelta(days=1)
    cert = _certificate(name, name, key.public_key(), key, start,
                        start + datetime.timedelta(days=365 * years), is_ca=True)
    return key, cert


def make_signer(ca, holder_name, village_name, key_type="p256", valid_from=None, valid_to=None):
    """A signing key and certificate for one official, issued by the village CA: (key, cert)."""
    ca_key, ca_cert = ca
    key = new_key(key_type)
    start = valid_from or utcnow() - datetime.timedelta(minutes=5)
    end = valid_to or start + datetime.timedelta(days=365 * TERM_YEARS)
    cert = _certificate(_name(holder_name, village_name), ca_cert.subject, key.public_key(),
                        ca_key, start, end, is_ca=False)
    return key, cert


def p12_bytes(label, key, cert, chain, passphrase):
    encryption = serialization.BestAvailableEncryption(passphrase.encode())
    return pkcs12.serialize_key_and_certificates(label.encode(), key, cert, chain, encryption)


def open_p12(data, passphrase):
    """(key, cert, chain) from PKCS#12 bytes; a wrong passphrase raises SigningError."""
    try:
        return pkcs12.load_key_and_certificates(data, passphrase.encode())
    except ValueError:
        raise SigningError("Kata sandi tanda tangan salah. Periksa huruf besar/kecil lalu "
                           "ketik ulang.") from None


# The register -------------------------------------------------------------------------------

def key_file_key(name):
    """The document key of a file under keys/ (a signer's PKCS#12 file, the village CA)."""
    return document_key(KEYS, name)


def has_village_ca(store):
    return store.exists(key_file_key(CA_FILE))


def village_ca(store, passphrase, village_name, key_type="p256"):
    """The village CA (key, cert): made on first use, afterwards opened with its passphrase."""
    if has_village_ca(store):
        try:
            key, cert, _ = open_p12(store.get(key_file_key(CA_FILE)), passphrase)
        except SigningError:
            raise SigningError("Kata sandi CA desa salah.") from None
        return key, cert
    key, cert = make_ca(village_name, key_type)
    install_ca(store, p12_bytes(f"CA {village_name}", key, cert, None, passphrase), cert)
    return key, cert


def install_ca(store, p12_data, cert):
    store.put(key_file_key(CA_FILE), p12_data)
    store.put(key_file_key(CA_PEM_FILE), pem(cert).encode())


def add_to_register(store, p12_data, cert, chain, user, position, source,
                    period=(None, None), nik=None):
    """Store the PKCS#12 file (None: the key is held by a remote service) and add the
    certificate to the register; returns the row."""
    digest = fingerprint(cert)
    key_file = f"signer-{digest[:16]}.p12" if p12_data else None
    with db.atomic():
        row = SignerCertificate.create(
            fingerprint=digest, holder_name=_common_name(cert) or user.full_name,
            position=position, user=user, nik=nik,
            valid_from=utc_naive(cert.not_valid_before_utc),
            valid_to=utc_naive(cert.not_valid_after_utc),
            period_from=period[0], period_to=period[1], source=source, key_file=key_file,
            cert_pem=pem(cert), chain_pem="".join(pem(c) for c in chain))
        if p12_data:
            store.put(key_file_key(key_file), p12_data)
    return row


def _common_name(cert):
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return names[0].value if names else ""


def enroll(store, ca, user, position, passphrase, key_type="p256", period=(None, None)):
    """Make a key and certificate for `user`, signed by the village CA, and register it."""
    village_name = Village.current().name
    key, cert = make_signer(ca, user.full_name, village_name, key_type)
    data = p12_bytes(user.full_name, key, cert, [ca[1]], passphrase)
    return add_to_register(store, data, cert, [ca[1]], user, position, "dibuat", period)


def import_p12(store, p12_data, user, position, passphrase, period=(None, None), nik=None):
    """Register a PKCS#12 issued elsewhere, kept as given, once the passphrase opens it."""
    _, cert, chain = open_p12(p12_data, passphrase)
    if cert is None:
        raise SigningError("Berkas PKCS#12 ini tidak berisi sertifikat penanda tangan.")
    return add_to_register(store, p12_data, cert, chain, user, position, "impor", period, nik)


def import_certificate(cert_data, user, position, nik, period=(None, None)):
    """Register a certificate whose key a remote signing service holds (PEM or DER file)."""
    if not nik:
        raise SigningError("Sertifikat tanpa kunci hanya dipakai lewat layanan tanda tangan "
                           "elektronik: sebutkan NIK penanda tangan (--nik).")
    try:
        cert = (x509.load_pem_x509_certificate(cert_data) if b"-----BEGIN" in cert_data
                else x509.load_der_x509_certificate(cert_data))
    except ValueError:
        raise SigningError("Berkas ini bukan sertifikat X.509 (PEM atau DER).") from None
    return add_to_register(None, None, cert, [], user, position, "impor", period, nik)


# Signing ------------------------------------------------------------------------------------

def ensure_usable(row, at=None):
    """Refuse a certificate outside its validity or the holder's designated period."""
    if not row.usable_at(utc_naive(at or utcnow())):
        raise SigningError(f"Sertifikat {row.holder_name} ({row.position}) tidak berlaku pada "
                           "saat ini: masa jabatan atau masa berlaku sertifikat sudah berakhir. "
                           "Minta operator membuat sertifikat baru.")


class _TimedPdfSigner(signers.PdfSigner):
    """A PdfSigner that records a given signing time (pyHanko otherwise takes the clock)."""

    def __init__(self, *args, signing_time, **kwargs):
        super().__init__(*args, **kwargs)
        self.signing_time = signing_time

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self.signing_time
        return session


class _KeySigner(signers.SimpleSigner):
    """A SimpleSigner that keeps the opened key object: pyHanko's re-parses the key for every
    raw signature, which costs hundreds of milliseconds for RSA 3072."""

    def __init__(self, key, cert, chain):
        der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        super().__init__(
            signing_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=SimpleCertificateStore.from_certs(chain))
        self.key = key

    def sign_raw(self, data, digest_algorithm):
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15":
            return self.key.sign(data, padding.PKCS1v15(), digest)
        if mechanism == "ecdsa":
            return self.key.sign(data, ec.ECDSA(digest))
        return super().sign_raw(data, digest_algorithm)


class UnlockedSigner:
    """A register row whose key has been opened with its passphrase; signs many letters."""

    def __init__(self, row, signer, location):
        self.row = row
        self.signer = signer
        self.location = location

    def sign(self, pdf_bytes, signing_time=None, verify_url=None):
        """The PDF with a PAdES signature over the whole file, made at `signing_time` (UTC)."""
        at = signing_time or utcnow()
        if at.tzinfo is None:
            at = at.replace(tzinfo=datetime.timezone.utc)
        ensure_usable(self.row, at)
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES,
            reason=f"Ditandatangani oleh {self.row.position}", location=self.location,
            name=self.row.holder_name, contact_info=verify_url)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        out = _TimedPdfSigner(meta, self.signer, signing_time=at).sign_pdf(writer)
        return out.getvalue()


def unlock(row, passphrase, store=None):
    """Open the row's key with the passphrase, or raise SigningError saying how to fix it; the
    key file is read from `store`, by default the app's document store."""
    if not row.key_file:
        raise SigningError(f"Kunci {row.holder_name} dipegang layanan tanda tangan elektronik, "
                           "bukan server desa; aktifkan layanan TTE (BALAI_TTE_URL).")
    try:
        p12_data = (store or documents()).get(key_file_key(row.key_file))
    except FileNotFoundError:
        raise SigningError(f"Berkas kunci tanda tangan {row.holder_name} tidak ditemukan di "
                           "folder kunci server. Minta pengelola server memulihkan cadangan "
                           "data/keys atau membuat sertifikat baru (signing-setup).") from None
    key, cert, _ = open_p12(p12_data, passphrase)
    if cert is None or fingerprint(cert) != row.fingerprint:
        raise SigningError("Berkas kunci tanda tangan tidak cocok dengan sertifikat yang "
                           "terdaftar. Minta pengelola server memeriksa folder data/keys.")
    signer = _KeySigner(key, cert, load_pem_list(row.chain_pem))
    return UnlockedSigner(row, signer, Village.current().name)


def check_passphrase(row, passphrase, store=None):
    """Raise SigningError unless the row may sign now and the passphrase opens its key; call it
    before a number is taken, so a refusal consumes no number."""
    ensure_usable(row)
    unlock(row, passphrase, store)


def sign_pdf(pdf_bytes, signer_row, passphrase, signing_time=None, verify_url=None):
    """Sign one PDF with the row's key; see UnlockedSigner.sign."""
    return unlock(signer_row, passphrase).sign(pdf_bytes, signing_time, verify_url)


def sha256(data):
    return hashlib.sha256(data).hexdigest()
