"""An official turns on the second factor: scan a QR code, type the first code, keep the
recovery codes. The Kades and the operator are sent here after each login until they do."""
import segno
from flask import Blueprint, render_template, request
from flask_login import current_user

from balai.people.second_factor import RecoveryCode, SecondFactor
from balai.people.views.auth import home_for, safe_next
from balai.villages.context import is_regency
from balai.villages.models import Village
from balai.web.access import OFFICIAL_ROLES, role_required

bp = Blueprint("second_factor", __name__, url_prefix="/akun/dua-langkah")

CODE_REFUSED = ("Kode salah. Ketik 6 angka yang tampil di aplikasi sekarang; bila sudah berganti, "
                "ketik yang baru.")


@bp.route("/", methods=["GET", "POST"])
@role_required(*OFFICIAL_ROLES, "kabupaten")  # the regency office too: its figures cross villages
def setup():
    later = safe_next() or home_for(current_user)
    if SecondFactor.enabled_for(current_user):
        return render_template("auth/second_factor_on.html", later=later,
                               left=RecoveryCode.left(current_user))
    factor = SecondFactor.being_set_up(current_user)
    if request.method == "GET":
        return render_setup(factor, later, {})
    codes = factor.confirm(request.form.get("code", ""))
    if codes is None:
        return render_setup(factor, later, {"code": CODE_REFUSED}), 422
    # Shown once, never stored in the clear: the page must not stay in any cache.
    return (render_template("auth/recovery_codes.html", codes=codes, later=later),
            {"Cache-Control": "no-store"})


def render_setup(factor, later, errors):
    secret = factor.secret
    issuer = "Kabupaten" if is_regency() else Village.current().name  # the regency's: no village
    uri = factor.uri(current_user.username, f"Balai {issuer}")
    qr = segno.make(uri, error="m").svg_inline(scale=4, light="#fff", svgclass="qr")
    return render_template("auth/second_factor.html", qr=qr, errors=errors, later=later,
                           secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                           asked=request.args.get("next") is not None)
