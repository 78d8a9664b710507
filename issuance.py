"""Issuing a letter on the Kades's approval: number, render, (sign,) store, in short steps.

The register number is taken in its own short transaction, the PDF is rendered outside any
transaction, and one atomic step moves the request to `selesai` with its number and file. If
anything fails once a number is taken, the number is voided with the reason: the register never
silently skips a number."""
import secrets
from pathlib import Path

from flask import current_app

import letter_text
from letter_pdf import render_letter
from models import LetterEvent, LetterRequest, LetterType, RegisterEntry, Village, db
from models.letters import OutOfTurn, WorkflowError, new_verify_token
from models.people import now


class IssueFailed(WorkflowError):
    """Rendering, signing or storing failed after a number was taken (and voided)."""
    status = 500


def verify_url(village, token):
    return f"{village.public_url.rstrip('/')}/verifikasi/{token}"


def take_number(letter, village, local_now):
    """A register entry holding the next number of the year in the village's time zone."""
    def make_number(seq):
        return letter_text.format_number(village.number_format, kode=letter.letter_type.code,
                                         nomor=seq, kode_desa=village.kode_desa,
                                         month=local_now.month, year=local_now.year)
    return RegisterEntry.take_number(local_now.year, make_number, letter)


def store_pdf(pdf):
    path = Path(current_app.config["LETTER_DIR"]) / f"{secrets.token_hex(16)}.pdf"
    path.write_bytes(pdf)
    return path


def issue_letter(request_id, user, note="", seen_version=None, sign=None):
    """The Kades approves a `diperiksa` request: number, render, sign (optional), store.

    sign: callable(pdf_bytes) -> pdf_bytes, run between rendering and storing (issue 3).
    Raises WorkflowError (nothing changed, no number taken when refused up front) or the
    error of a later step, after voiding the number it had taken."""
    letter = (LetterRequest.select(LetterRequest, LetterType).join(LetterType)
              .where(LetterRequest.id == request_id).get())
    if letter.check("setujui", user, note, seen_version) != "kades":
        raise OutOfTurn("Hanya Kepala Desa yang dapat menerbitkan surat yang sudah diperiksa.")
    village = Village.current()
    issued_at = now()
    local_now = village.localtime(issued_at)
    entry = take_number(letter, village, local_now)
    path = None
    try:
        token = new_verify_token()
        pdf = render_letter(letter, village, entry.number, local_now.date(),
                            verify_url(village, token))
        if sign is not None:
            pdf = sign(pdf)
        path = store_pdf(pdf)
        with db.atomic():
            letter.apply("setujui", user, note, seen_version, changes={
                LetterRequest.number: entry.number, LetterRequest.issued_at: issued_at,
                LetterRequest.pdf_file: path.name, LetterRequest.verify_token: token})
            LetterEvent.create(request=letter, actor=user, role=user.role, action="terbit",
                               from_status="selesai", to_status="selesai",
                               note=f"Nomor {entry.number}")
    except Exception as error:
        entry.void(f"Surat tidak jadi terbit: {error}")
        if path is not None:
            path.unlink(missing_ok=True)
        if isinstance(error, WorkflowError):
            raise
        raise IssueFailed(f"Surat belum dapat diterbitkan karena gangguan saat membuat berkasnya. "
                          f"Nomor {entry.number} dicatat batal. Coba setujui lagi; bila tetap "
                          f"gagal, hubungi operator.") from error
    return LetterRequest.get_by_id(request_id)
