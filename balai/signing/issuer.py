"""Who issued the certificate a letter is signed with, as its footer names it: the remote
signing service's (BSrE of BSSN) when letters are signed there, else the certificate's own
issuer (the village CA that signing-setup made, or the issuer of an imported certificate)."""
from cryptography import x509
from cryptography.x509.oid import NameOID

from balai.signing.models import SignerCertificate, kades_signers
from balai.signing.remote import settings
from balai.villages.models import Village

BSRE = "Balai Sertifikasi Elektronik (BSrE), BSSN"


def issuer_name(cert_pem):
    """The issuer's common name (else organisation) in a PEM certificate, or ""."""
    issuer = x509.load_pem_x509_certificate(cert_pem.encode()).issuer
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        names = issuer.get_attributes_for_oid(oid)
        if names:
            return names[0].value
    return ""


def certificate_issuer(row, config):
    """The issuer a letter signed with `row` (a SignerCertificate, or None for a draft before
    anyone can sign) names: BSrE when the remote signer is set, else the certificate's."""
    if settings(config)["BALAI_TTE_URL"]:
        return BSRE
    return (row and issuer_name(row.cert_pem)) or f"CA {Village.current().name}"


def kades_certificate():
    """The certificate the Kades's step would sign with today (the Kades's, else a Plt.'s)."""
    for user in sorted(kades_signers(), key=lambda user: user.role != "kades"):
        row = SignerCertificate.current_for(user)
        if row:
            return row
    return None
