"""Signed letters for officials: revoking an issued letter, and the register of signers."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from access import operator_required
from forms import parse_date
from models import LetterRequest, SignerCertificate
from models.letters import NOTE_MAX, WorkflowError

bp = Blueprint("signing", __name__)


def revocable_letter(request_id):
    """An issued letter for the Kades or the operator; 404 for residents, 403 other officials."""
    letter = LetterRequest.issued().where(LetterRequest.id == request_id).first()
    if letter is None or not current_user.is_official:
        abort(404)
    if not (current_user.role == "operator" or current_user.signs_as_kades):
        abort(403)
    return letter


@bp.route("/surat-terbit/<int:request_id>/cabut", methods=["GET", "POST"])
@login_required
def revoke(request_id):
    letter = revocable_letter(request_id)
    if request.method == "GET":
        return revoke_page(letter)
    reason = request.form.get("reason", "")
    try:
        letter.revoke(current_user, reason)
    except WorkflowError as error:
        return revoke_page(letter, reason, {"reason": str(error)}), error.status
    flash(f"Surat nomor {letter.number} sudah dicabut. Pemohon diberi tahu.", "success")
    return redirect(url_for("signing.revoke", request_id=letter.id), 303)


def revoke_page(letter, reason="", errors=None):
    return render_template("signing/revoke.html", letter=letter, reason=reason,
                           errors=errors or {}, note_max=NOTE_MAX)


@bp.route("/operator/penanda-tangan")
@operator_required
def certificates():
    return render_template("signing/certificates.html",
                           certificates=SignerCertificate.trusted().order_by(
                               SignerCertificate.valid_from.desc()))


def optional_date(name):
    """A date from the form: None when left empty, False when it cannot be read."""
    value = request.form.get(name, "").strip()
    return (parse_date(value) or False) if value else None


@bp.route("/operator/penanda-tangan/<int:cert_id>", methods=["GET", "POST"])
@operator_required
def designate(cert_id):
    cert = SignerCertificate.get_or_none(id=cert_id) or abort(404)
    if request.method == "GET":
        return designate_page(cert, {"position": cert.position,
                                     "period_from": cert.period_from or "",
                                     "period_to": cert.period_to or ""})
    errors = cert.designate(request.form.get("position", ""),
                            optional_date("period_from"), optional_date("period_to"))
    if errors:
        return designate_page(cert, request.form, errors), 422
    flash(f"Masa tugas {cert.holder_name} sudah disimpan.", "success")
    return redirect(url_for("signing.certificates"), 303)


@bp.route("/operator/penanda-tangan/<int:cert_id>/nonaktifkan", methods=["POST"])
@operator_required
def deactivate(cert_id):
    cert = SignerCertificate.get_or_none(id=cert_id) or abort(404)
    cert.deactivate()
    flash(f"Sertifikat {cert.holder_name} dinonaktifkan. Surat lama tetap dapat diperiksa.",
          "success")
    return redirect(url_for("signing.certificates"), 303)


def designate_page(cert, form, errors=None):
    return render_template("signing/designate.html", cert=cert, form=form, errors=errors or {})
