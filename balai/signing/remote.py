"""Signing through a remote electronic-signature service (BSrE's Esign Client API), an option.

Configured by app.config or the environment: BALAI_TTE_URL (unset = sign locally),
BALAI_TTE_TOKEN or BALAI_TTE_USER + BALAI_TTE_PASSWORD, BALAI_TTE_TIMEOUT (seconds, default 30),
BALAI_BSRE_API: `v1` (default; `POST /api/sign/pdf`, multipart, passphrase only) or `v2`
(`POST /api/v2/sign/pdf`, JSON, passphrase or TOTP, the signer's status checked first; the
error codes of balai/signing/bsre.py).

A signing call is made once: never retried here, and a batch stops at a refused passphrase
or a service that is down (see letters/issuance.py). The passphrase or TOTP lives only in the
signer object of one request: it is sent to the service and never logged, stored or queued.
"""
import base64
import os

import requests
from urllib3.exceptions import NewConnectionError

from balai.db import db
from balai.signing import bsre
from balai.signing import keys as signing
from balai.signing.keys import SigningError
from balai.villages.models import Village

SETTINGS = ("BALAI_TTE_URL", "BALAI_TTE_TOKEN", "BALAI_TTE_USER", "BALAI_TTE_PASSWORD",
            "BALAI_TTE_TIMEOUT", "BALAI_BSRE_API")
API_VERSIONS = ("v1", "v2")
KINDS = ("passphrase", "totp")  # how the signer proves it is them; TOTP with v2 only
NOT_SIGNED = bsre.NOT_SIGNED


class ServiceDown(SigningError):
    """The service could not be reached or failed: worth trying again later."""
    status = 503


class OutcomeUnknown(ServiceDown):
    """The file reached the service but no answer came back: it may have been signed there."""


class CredentialRefused(SigningError):
    """The service refused the passphrase or TOTP: another letter must not be sent with it
    (a few wrong entries lock the signer's account at the service)."""


def settings(config):
    """The TTE settings from app.config, falling back to the environment."""
    return {key: config.get(key) or os.environ.get(key) for key in SETTINGS}


def api_version(config):
    """v1 or v2 (BALAI_BSRE_API); anything else is a setup error the operator must fix."""
    version = (settings(config)["BALAI_BSRE_API"] or "v1").strip().lower()
    if version not in API_VERSIONS:
        raise SigningError(f"Pengaturan BALAI_BSRE_API bernilai {version!r}; yang dikenal hanya "
                           f"v1 atau v2. {NOT_SIGNED}; minta operator memperbaikinya.")
    return version


def accepts_totp(config):
    """Whether the Kades may sign with a TOTP code instead of the passphrase (BSrE API v2)."""
    tte = settings(config)
    return bool(tte["BALAI_TTE_URL"]) and (tte["BALAI_BSRE_API"] or "").strip().lower() == "v2"


class RemoteService:
    """One signer's calls to the service, each made once."""

    def __init__(self, row, url, secret, token=None, user=None, password=None, timeout=30,
                 kind="passphrase"):
        self.row, self.nik = row, row.nik
        self.base = url.rstrip("/")
        self.secret, self.kind = secret, kind
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.auth = (user, password) if user else None
        self.timeout = float(timeout or 30)

    def __repr__(self):  # never the secret, should the object end up in a log line
        return f"<{type(self).__name__} {self.row.holder_name}>"

    def post(self, path, signing_call, **body):
        """The response of one POST; a timeout or a dropped connection once the request was
        sent is OutcomeUnknown for a signing call (the service may have signed)."""
        if db.in_transaction():
            raise RuntimeError("Remote signing must not run inside a database transaction.")
        try:
            return requests.post(self.base + path, headers=self.headers, auth=self.auth,
                                 timeout=self.timeout, **body)
        except requests.ConnectTimeout:
            raise ServiceDown("Layanan tanda tangan elektronik tidak dapat dihubungi dalam "
                              f"{self.timeout:g} detik. {NOT_SIGNED}; coba lagi beberapa saat "
                              "lagi.") from None
        except (requests.ReadTimeout, requests.ConnectionError) as error:
            if signing_call and sent(error):
                raise OutcomeUnknown(f"Layanan tanda tangan elektronik tidak menjawab dalam "
                                     f"{self.timeout:g} detik setelah surat dikirim, jadi belum "
                                     "pasti apakah surat sudah ditandatangani di sana."
                                     if isinstance(error, requests.ReadTimeout) else
                                     "Sambungan ke layanan tanda tangan elektronik terputus "
                                     "setelah surat dikirim, jadi belum pasti apakah surat "
                                     "sudah ditandatangani di sana.") from None
            raise ServiceDown("Layanan tanda tangan elektronik tidak dapat dihubungi. "
                              f"{NOT_SIGNED}; coba lagi nanti atau hubungi operator.") from None
        except requests.RequestException:
            raise ServiceDown("Layanan tanda tangan elektronik tidak dapat dihubungi. "
                              f"{NOT_SIGNED}; coba lagi nanti atau hubungi operator.") from None


def sent(error):
    """Whether a failed request may have reached the service (a read that timed out, or a
    connection dropped after it was opened), as opposed to one that never connected."""
    if isinstance(error, requests.ReadTimeout):
        return True
    reason = getattr(error.args[0] if error.args else None, "reason", None)
    return not isinstance(reason, NewConnectionError)


class RemoteSigner(RemoteService):
    """BSrE API v1: `POST {url}/api/sign/pdf` with the signer's NIK, passphrase and the file."""

    def sign(self, pdf_bytes, signing_time=None, verify_url=None):
        """The signed PDF; same call as UnlockedSigner.sign, but the service sets the time and
        the signature's details itself."""
        response = self.post("/api/sign/pdf", True,
                             data={"nik": self.nik, "passphrase": self.secret},
                             files={"file": ("surat.pdf", pdf_bytes, "application/pdf")})
        status = response.status_code
        if status in (401, 403):
            raise SigningError(bsre.APP_REFUSED)
        if 400 <= status < 500:
            raise CredentialRefused("Layanan tanda tangan elektronik menolak NIK atau kata sandi "
                                    f"tanda tangan. {NOT_SIGNED}; periksa kata sandi lalu coba "
                                    "lagi.")
        if status != 200 or not response.content.startswith(b"%PDF-"):
            raise ServiceDown("Layanan tanda tangan elektronik sedang bermasalah "
                              f"(kode {status}). {NOT_SIGNED}; coba lagi nanti.")
        return response.content


class RemoteSignerV2(RemoteService):
    """BSrE API v2: the signer's status at `POST /api/v2/user/check/status`, then
    `POST /api/v2/sign/pdf` with JSON {nik, passphrase|totp, signatureProperties, file: [b64]},
    answered with {time, file: [b64]}."""

    def check_status(self):
        """Refuse (before any number is taken) a signer BSrE would not let sign."""
        response = self.post("/api/v2/user/check/status", False, json={"nik": self.nik})
        body = bsre.json_body(response)
        if response.status_code in (401, 403):
            raise SigningError(bsre.APP_REFUSED)
        if response.status_code >= 500 or body is None:
            raise ServiceDown(bsre.unusable_answer(response.status_code))
        status = body.get("status") or body.get("userStatus")
        if status != "ISSUE":
            raise SigningError(bsre.status_message(status, body.get("status_code"),
                                                   self.row.holder_name))

    def sign(self, pdf_bytes, signing_time=None, verify_url=None):
        """The signed PDF, with an invisible signature: the letter prints its own QR code."""
        properties = {"tampilan": "INVISIBLE", "reason": f"Surat {self.row.position}",
                      "location": Village.current().name}
        response = self.post("/api/v2/sign/pdf", True, json={
            "nik": self.nik, self.kind: self.secret, "signatureProperties": [properties],
            "file": [base64.b64encode(pdf_bytes).decode("ascii")]})
        body = bsre.json_body(response)
        if response.status_code in (401, 403):
            raise SigningError(bsre.APP_REFUSED)
        if response.status_code == 200:
            return self.signed_file(body)
        code = body and body.get("status_code")
        if code in bsre.CREDENTIAL_CODES:
            raise CredentialRefused(bsre.code_message(code, self.kind, body))
        if code is not None and response.status_code < 500:
            raise SigningError(bsre.code_message(code, self.kind, body))
        raise ServiceDown(bsre.unusable_answer(response.status_code))

    def signed_file(self, body):
        """The PDF of a 200 answer; one without a readable PDF may still mean the service
        signed it, so the outcome is unknown."""
        try:
            pdf = base64.b64decode(body["file"][0], validate=True)
        except (TypeError, KeyError, IndexError, ValueError):
            pdf = b""
        if not pdf.startswith(b"%PDF-"):
            raise OutcomeUnknown("Layanan tanda tangan elektronik menjawab tanpa berkas surat "
                                 "yang dapat dibaca, jadi belum pasti apakah surat sudah "
                                 "ditandatangani di sana.")
        return pdf


def signer_for(row, secret, config, kind="passphrase"):
    """The signer (.row, .sign(pdf_bytes, signing_time, verify_url)) for issuing letters with
    `row`: remote when BALAI_TTE_URL is set, otherwise the local key, opened now so a wrong
    passphrase, or a signer the service would refuse, shows before numbering."""
    tte = settings(config)
    signing.ensure_usable(row)
    if kind not in KINDS or (kind == "totp" and not accepts_totp(config)):
        raise SigningError("Kode TOTP hanya dapat dipakai bila desa memakai layanan BSrE "
                           "(API v2). Pilih kata sandi tanda tangan.")
    if not tte["BALAI_TTE_URL"]:
        return signing.unlock(row, secret)
    if not row.nik:
        raise SigningError(f"NIK {row.holder_name} untuk layanan tanda tangan elektronik "
                           "belum diisi. Minta operator melengkapinya (signing-import --nik).")
    remote = RemoteSignerV2 if api_version(config) == "v2" else RemoteSigner
    signer = remote(row, tte["BALAI_TTE_URL"], secret, tte["BALAI_TTE_TOKEN"],
                    tte["BALAI_TTE_USER"], tte["BALAI_TTE_PASSWORD"], tte["BALAI_TTE_TIMEOUT"],
                    kind)
    if remote is RemoteSignerV2:
        signer.check_status()
    return signer
