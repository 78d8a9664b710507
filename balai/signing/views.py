"""The register of signers' certificates: the operator sets each one's title and period."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from balai.signing.models import SignerCertificate
from balai.web.access import operator_required
from balai.web.forms import parse_date

bp = Blueprint("signing", __name__)


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
