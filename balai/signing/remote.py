"""Signing through a remote electronic-signature service (BSrE-style API), an option.

Configured by app.config or the environment: BALAI_TTE_URL (unset = sign locally),
BALAI_TTE_TOKEN or BALAI_TTE_USER + BALAI_TTE_PASSWORD, BALAI_TTE_TIMEOUT (seconds, default 30).
"""
import os

import requests

from balai.db import db
from balai.signing import keys as signing
from balai.signing.keys import SigningError

SETTINGS = ("BALAI_TTE_URL", "BALAI_TTE_TOKEN", "BALAI_TTE_USER", "BALAI_TTE_PASSWORD",
            "BALAI_TTE_TIMEOUT")
NOT_SIGNED = "Surat belum ditandatangani dan tetap menunggu persetujuan Anda"


class ServiceDown(SigningError):
    """The service could not be reached or failed: worth trying again later."""
    status = 503


class OutcomeUnknown(ServiceDown):
    """The file reached the service but no answer came back: it may have been signed there."""


def settings(config):
    """The TTE settings from app.config, falling back to the environment."""
    return {key: config.get(key) or os.environ.get(key) for key in SETTINGS}


class RemoteSigner:
    """Signs a PDF at `POST {url}/api/sign/pdf` with the signer's NIK, passphrase and the file."""

    def __init__(self, row, url, passphrase, token=None, user=None, password=None, timeout=30):
        self.row = row
        self.url = url.rstrip("/") + "/api/sign/pdf"
        self.nik, self.passphrase = row.nik, passphrase
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.auth = (user, password) if user else None
        self.timeout = float(timeout or 30)

    def sign(self, pdf_bytes, signing_time=None, verify_url=None):
        """The signed PDF; same call as UnlockedSigner.sign, but the service sets the time and
        the signature's details itself."""
        if db.in_transaction():
            raise RuntimeError("Remote signing must not run inside a database transaction.")
        try:
            response = requests.post(
                self.url, data={"nik": self.nik, "passphrase": self.passphrase},
                files={"file": ("surat.pdf", pdf_bytes, "application/pdf")},
                headers=self.headers, auth=self.auth, timeout=self.timeout)
        except requests.ConnectTimeout:
            raise ServiceDown("Layanan tanda tangan elektronik tidak dapat dihubungi dalam "
                               f"{self.timeout:g} detik. {NOT_SIGNED}; coba lagi beberapa saat "
                               "lagi.") from None
        except requests.ReadTimeout:
            raise OutcomeUnknown(f"Layanan tanda tangan elektronik tidak menjawab dalam "
                                 f"{self.timeout:g} detik setelah surat dikirim, jadi belum "
                                 "pasti apakah surat sudah ditandatangani di sana.") from None
        except requests.RequestException:
            raise ServiceDown("Layanan tanda tangan elektronik tidak dapat dihubungi. "
                               f"{NOT_SIGNED}; coba lagi nanti atau hubungi operator.") from None
        return self._signed_pdf(response)

    def _signed_pdf(self, response):
        status = response.status_code
        if status in (401, 403):
            raise SigningError("Layanan tanda tangan elektronik menolak akun aplikasi desa. "
                               f"{NOT_SIGNED}; minta operator memeriksa pengaturan layanan TTE.")
        if 400 <= status < 500:
            raise SigningError("Layanan tanda tangan elektronik menolak NIK atau kata sandi "
                               f"tanda tangan. {NOT_SIGNED}; periksa kata sandi lalu coba lagi.")
        if status != 200 or not response.content.startswith(b"%PDF-"):
            raise ServiceDown("Layanan tanda tangan elektronik sedang bermasalah "
                               f"(kode {status}). {NOT_SIGNED}; coba lagi nanti.")
        return response.content


def signer_for(row, passphrase, config):
    """The signer (.row, .sign(pdf_bytes, signing_time, verify_url)) for issuing letters with
    `row`: remote when BALAI_TTE_URL is set, otherwise the local key, opened now so a wrong
    passphrase shows before numbering."""
    tte = settings(config)
    signing.ensure_usable(row)
    if tte["BALAI_TTE_URL"]:
        if not row.nik:
            raise SigningError(f"NIK {row.holder_name} untuk layanan tanda tangan elektronik "
                               "belum diisi. Minta operator melengkapinya (signing-import --nik).")
        return RemoteSigner(row, tte["BALAI_TTE_URL"], passphrase, tte["BALAI_TTE_TOKEN"],
                            tte["BALAI_TTE_USER"], tte["BALAI_TTE_PASSWORD"],
                            tte["BALAI_TTE_TIMEOUT"])
    return signing.unlock(row, passphrase)
