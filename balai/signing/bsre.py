"""What BSrE's Esign Client API answers, told to the Kades in Indonesian.

The user statuses of `/api/v2/user/check/status` and the `status_code` of an error answer
({"status_code": 2031, "error": "Passphrase anda salah"}) are those of BSrE's "Petunjuk Teknis
Penggunaan API Esign Client Service" as the public clients use them (see the fake service in
tests/support/bsre_v2.py for the sources).
"""
NOT_SIGNED = "Surat belum ditandatangani dan tetap menunggu persetujuan Anda"
ASK_COORDINATOR = ("Hubungi koordinator TTE (Diskominfo kabupaten) atau portal BSrE untuk "
                   "mengurusnya, lalu setujui lagi.")
APP_REFUSED = ("Layanan tanda tangan elektronik menolak akun aplikasi desa. "
               f"{NOT_SIGNED}; minta operator memeriksa pengaturan layanan TTE.")

NOT_REGISTERED, NO_CERTIFICATE, WRONG_CREDENTIAL = 2011, 2021, 2031
CREDENTIAL_CODES = {WRONG_CREDENTIAL}

CODES = {
    NOT_REGISTERED: "NIK penanda tangan belum terdaftar sebagai pengguna BSrE",
    NO_CERTIFICATE: "penanda tangan belum memiliki sertifikat elektronik BSrE yang aktif",
}
STATUSES = {  # a status other than ISSUE: BSrE will not sign with this certificate now
    "NOT_REGISTERED": CODES[NOT_REGISTERED],
    "NO_CERTIFICATE": CODES[NO_CERTIFICATE],
    "NEW": "pendaftaran sertifikat elektronik di BSrE belum selesai",
    "WAITING_FOR_VERIFICATION": "pendaftaran sertifikat elektronik masih menunggu verifikasi "
                                "BSrE",
    "EXPIRED": "sertifikat elektronik di BSrE sudah habis masa berlakunya",
    "RENEW": "sertifikat elektronik di BSrE sedang diperpanjang",
    "SUSPEND": "sertifikat elektronik di BSrE sedang dibekukan",
    "REVOKE": "sertifikat elektronik di BSrE sudah dicabut",
}
STATUS_CODES = {"NOT_REGISTERED": NOT_REGISTERED, "NO_CERTIFICATE": NO_CERTIFICATE}


def json_body(response):
    """The answer's JSON object, or None."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def status_message(status, code, holder):
    """Why a signer whose status is not ISSUE cannot sign yet (before a number is taken)."""
    code = code or STATUS_CODES.get(status)
    why = STATUSES.get(status) or f"status penanda tangan di BSrE tidak dikenal ({status})"
    shown = f"kode {code}, " if code else ""
    return (f"Surat belum dapat ditandatangani: {why} ({shown}{holder}). Belum ada nomor surat "
            f"yang terpakai. {ASK_COORDINATOR}")


def code_message(code, kind, body):
    """An error answer of the signing call, in Indonesian."""
    if code == WRONG_CREDENTIAL:
        what = "Kode TOTP salah atau sudah kedaluwarsa" if kind == "totp" else \
            "Kata sandi (passphrase) tanda tangan BSrE salah"
        return (f"{what} (kode {code}). {NOT_SIGNED}. Periksa lalu coba lagi dengan teliti: "
                "beberapa kali salah dapat mengunci akun BSrE Anda.")
    if code in CODES:
        return f"Surat belum dapat ditandatangani: {CODES[code]} (kode {code}). {NOT_SIGNED}. " \
               f"{ASK_COORDINATOR}"
    said = str(body.get("error") or body.get("message") or "")[:200]
    return (f"BSrE menolak permintaan tanda tangan (kode {code}" + (f": {said}" if said else "")
            + f"). {NOT_SIGNED}; bila terulang, hubungi koordinator TTE.")


def unusable_answer(http_status):
    return (f"Layanan tanda tangan elektronik sedang bermasalah (kode {http_status}). "
            f"{NOT_SIGNED}; coba lagi nanti.")
