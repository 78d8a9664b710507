"""An official's approval, and the letter it issues at the issuing step: number, render, sign,
store, in short steps.

The register number is taken provisional in its own short transaction, the PDF is rendered and
signed outside any transaction (a remote signer is a network call), and one atomic step moves
the request to `selesai` with its number and file and issues the number. If signing fails, the
number is given back when no later one was taken; a remote signer that took the file and never
answered leaves it held for the Kades; anything else voids it with the reason, even the server
killing a slow request (SystemExit). A process killed outright leaves it provisional, and the
register settles it later: the register never silently skips a number."""
import dataclasses
import logging
import secrets
from time import monotonic

from flask import current_app

from balai.db import db, now
from balai.letters import text as letter_text
from balai.letters.models import LetterEvent, LetterRequest, LetterType, new_verify_token
from balai.letters.pdf import render_letter
from balai.letters.register import RegisterEntry
from balai.letters.workflow import (
    NOT_OPENED,
    OPEN_BEFORE_APPROVING,
    NotOpened,
    OutOfTurn,
    WorkflowError,
)
from balai.signing.keys import SigningError, sha256
from balai.signing.models import SignerCertificate
from balai.signing.remote import (
    NOT_SIGNED,
    CredentialRefused,
    OutcomeUnknown,
    ServiceDown,
    signer_for,
)
from balai.storage import LETTERS, delete_documents, document_key, documents
from balai.villages.models import Village

log = logging.getLogger(__name__)

BATCH_MAX = 20
UNEXPECTED = ("Surat ini belum terbit karena gangguan di server; permohonannya tetap menunggu "
              "Anda. Coba tanda tangani lagi sebentar lagi.")
NOT_REACHED = ("Belum ditandatangani: waktu untuk sekali tanda tangan sudah habis sebelum sampai "
               "ke surat ini. Permohonannya tetap menunggu Anda; pilih dan tanda tangani lagi.")
HELD = ("Layanan tanda tangan elektronik tidak menjawab; belum pasti apakah surat sudah "
        "ditandatangani di sana. Menunggu Kepala Desa memeriksanya di layanan itu dan "
        "membatalkan nomor ini di kotak masuk.")
KILLED = ("Surat tidak jadi terbit: prosesnya dihentikan server (melewati batas waktu) sebelum "
          "suratnya tersimpan.")
NO_CERTIFICATE = ("Anda belum memiliki sertifikat tanda tangan, sehingga surat belum dapat "
                  "diterbitkan. Minta pengelola server menjalankan perintah "
                  "`flask --app app signing-setup` untuk membuatnya, lalu setujui lagi.")


class IssueFailed(WorkflowError):
    """Rendering, signing or storing failed after a number was taken (and voided)."""
    status = 500


class TemplateBroken(WorkflowError):
    """The letter type's body or the village's number format cannot be used (saved before the
    checks of letters/text.py, or changed by hand): the operator must fix it, not the Kades."""
    status = 409


def verify_url(village, token):
    return f"{village.public_url.rstrip('/')}/verifikasi/{token}"


def take_number(letter, village, local_now):
    """A register entry holding the next number of the year in the village's time zone."""
    def make_number(seq):
        return letter_text.format_number(village.number_format, kode=letter.letter_type.code,
                                         nomor=seq, kode_desa=village.kode_desa,
                                         month=local_now.month, year=local_now.year)
    return RegisterEntry.take_number(local_now.year, make_number, letter)


def letter_key(pdf_file):
    """The document key of an issued letter's PDF, by the name its row holds."""
    return document_key(LETTERS, pdf_file)


def store_pdf(pdf):
    """Write the letter under a new name (whole or not at all); returns the name."""
    name = f"{secrets.token_hex(16)}.pdf"
    documents().put(letter_key(name), pdf)
    return name


def signer_of(user, passphrase, config, kind="passphrase"):
    """The official's signer, opened now: SigningError (before any number is taken) when they
    have no usable certificate, the passphrase does not open their key or the signing service
    would refuse them. kind: "passphrase", or "totp" when BSrE API v2 signs."""
    row = SignerCertificate.current_for(user) or SignerCertificate.latest_for(user)
    if row is None:
        raise SigningError(NO_CERTIFICATE)
    if not passphrase:
        raise SigningError(("Ketik kode TOTP dari aplikasi BSrE" if kind == "totp" else
                            "Ketik kata sandi tanda tangan Anda") +
                           " untuk menyetujui dan menandatangani surat.")
    return signer_for(row, passphrase, config, kind)


def approve(letter, user, note="", seen_version=None, passphrase="", kind="passphrase"):
    """An official approves the step the request waits at, checked once. At the issuing step
    the letter is issued, signed by the user's key that the passphrase opens before a number is
    taken (a wrong passphrase takes none); any other step just moves on. At an
    OPEN_BEFORE_APPROVING step, only once the official opened it since it was sent (NotOpened).
    Returns the request."""
    move = letter.check("setujui", user, note, seen_version)
    if move.role in OPEN_BEFORE_APPROVING and not letter.opened_since_sent(user):
        raise NotOpened(NOT_OPENED)
    if not move.issues:
        letter.take(move, user)
        return letter
    return issue(letter, move, user, signer_of(user, passphrase, current_app.config, kind))


def issue_letter(request_id, user, note="", seen_version=None, *, signer):
    """Approve and issue one request at the issuing step with a signer already opened (a
    batch's); a request at any other step is refused before a number is taken."""
    letter = (LetterRequest.select(LetterRequest, LetterType).join(LetterType)
              .where(LetterRequest.id == request_id).first())
    move = letter and letter.check("setujui", user, note, seen_version)
    if not (move and move.issues):
        raise OutOfTurn("Hanya Kepala Desa yang dapat menerbitkan surat yang sudah diperiksa.")
    return issue(letter, move, user, signer)


def issue(letter, move, user, signer):
    """Number, render, sign and store the letter, then take the checked move with them.

    signer: .row (the SignerCertificate) and .sign(pdf, signing_time, verify_url), see
    signer_of. Raises SigningError (the number given back, or held when a remote signer may
    have signed it) or the error of a later step (the number voided)."""
    village = Village.current()
    issued_at = now()
    local_now = village.localtime(issued_at)
    try:
        entry = take_number(letter, village, local_now)
    except letter_text.TemplateError as error:
        raise TemplateBroken(f"Surat belum dapat diterbitkan: format nomor surat di profil desa "
                             f"tidak dapat dipakai. {error} Minta operator memperbaikinya di "
                             "Profil desa, lalu setujui lagi. Belum ada nomor yang terpakai.")
    pdf_file = None
    try:
        token = new_verify_token()
        url = verify_url(village, token)
        pdf = render_letter(letter, village, entry.number, local_now.date(), url, signer.row)
        pdf = signer.sign(pdf, signing_time=issued_at, verify_url=url)
        pdf_file = store_pdf(pdf)
        with db.atomic():
            letter.take(move, user, changes={
                LetterRequest.number: entry.number, LetterRequest.issued_at: issued_at,
                LetterRequest.pdf_file: pdf_file, LetterRequest.verify_token: token,
                LetterRequest.sha256: sha256(pdf), LetterRequest.signer: signer.row,
                LetterRequest.signed_at: issued_at})
            LetterEvent.create(request=letter, actor=user, role=user.role, action="terbit",
                               from_status=move.to_status, to_status=move.to_status,
                               note=f"Nomor {entry.number}, ditandatangani "
                                    f"{signer.row.holder_name} ({signer.row.position})")
            entry.mark_issued()
    except BaseException as error:  # SystemExit too: the web server's timeout kills with it
        release(entry, error, pdf_file)
        shown = shown_instead(entry, error)
        if shown is None:
            raise
        raise shown from error
    return LetterRequest.get_by_id(letter.id)


def release(entry, error, pdf_file):
    """Settle the number and the file of a letter whose commit did not happen.

    The number is held when a remote signer may have signed it, given back when signing
    failed, void with the reason otherwise; the file is removed. When the database cannot be
    read or written, both are left to the register's and the file sweep's later care."""
    try:
        if RegisterEntry.get_by_id(entry.id).status == "terbit":
            return  # the letter committed; what failed came after
        if isinstance(error, OutcomeUnknown):
            entry.hold(HELD)
        elif isinstance(error, SigningError):
            entry.give_back(f"Tanda tangan gagal: {error}")
        else:
            entry.void(f"Surat tidak jadi terbit: {error}" if isinstance(error, Exception)
                       else KILLED)
        if pdf_file is not None:
            delete_documents(letter_key(pdf_file))
    except Exception:
        log.exception("Could not release number %s", entry.number)


def shown_instead(entry, error):
    """What the official is told instead of the error of a letter that did not issue; None
    when the error says it already (and for SystemExit, which must go on)."""
    if isinstance(error, OutcomeUnknown):
        return OutcomeUnknown(f"{error} Nomor {entry.number} ditahan dan tidak dipakai surat "
                              "lain: periksa riwayat dokumen di layanan itu, lalu batalkan nomor "
                              "ini di kotak masuk. Surat ini tetap menunggu persetujuan Anda.")
    if isinstance(error, letter_text.TemplateError):
        return TemplateBroken(f"Surat belum dapat diterbitkan: isi surat jenis ini tidak dapat "
                              f"dipakai. {error} Minta operator memperbaikinya di halaman Jenis "
                              f"surat, lalu setujui lagi. Nomor {entry.number} dicatat batal.")
    if isinstance(error, (SigningError, WorkflowError)) or not isinstance(error, Exception):
        return None
    return IssueFailed(f"Surat belum dapat diterbitkan karena gangguan saat membuat berkasnya. "
                       f"Nomor {entry.number} dicatat batal. Coba setujui lagi; bila tetap "
                       f"gagal, hubungi operator.")


@dataclasses.dataclass
class Outcome:
    """One letter of a batch: issued (letter.number) or not (error says why)."""
    request_id: int
    letter: LetterRequest = None
    error: str = None


class OutOfTime(WorkflowError):
    """A batch's time ran out before this letter was started."""


def issue_many(picks, user, signer, note=""):
    """Issue each picked (request_id, seen_version) with one opened signer; a failure does not
    stop the rest, except a signing service that is down, which the rest need too, or one that
    refused the passphrase or TOTP (sent again, it would lock the account). No letter
    is started after ISSUE_BATCH_SECONDS, so the batch ends before the web server kills it."""
    outcomes, down = [], None
    deadline = monotonic() + current_app.config["ISSUE_BATCH_SECONDS"]
    for request_id, version in picks:
        try:
            if down:
                raise down
            if monotonic() >= deadline:
                raise OutOfTime(NOT_REACHED)
            outcomes.append(Outcome(request_id, issue_letter(request_id, user, note, version,
                                                             signer=signer)))
        except Exception as error:  # one letter's failure, even the database busy, stops no other
            if isinstance(error, (ServiceDown, CredentialRefused)) and not down:
                down = type(error)("Belum dikirim ke layanan tanda tangan elektronik karena "
                                   + ("layanan itu gagal" if isinstance(error, ServiceDown) else
                                      "kata sandi atau kode TOTP ditolak")
                                   + f" pada surat sebelumnya. {NOT_SIGNED}.")
            outcomes.append(Outcome(request_id, LetterRequest.get_or_none(id=request_id),
                                    failure_message(error, request_id)))
    return outcomes


def failure_message(error, request_id):
    """What the batch page says about a letter that was not issued; unexpected errors logged."""
    if isinstance(error, (WorkflowError, SigningError)):
        return str(error)
    log.exception("Issuing request %s failed", request_id)
    return UNEXPECTED
