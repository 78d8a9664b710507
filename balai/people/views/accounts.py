"""Accounts: residents waiting for activation, resetting a resident's access, officials."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from balai.people.forms import USERNAME_TAKEN, official_form
from balai.people.models import OFFICIAL_ROLES, ROLES, User
from balai.people.second_factor import SecondFactor
from balai.web.access import operator_only

bp = operator_only(Blueprint("accounts", __name__, url_prefix="/operator/akun"))
OFFICIAL_ROLE_LABELS = {role: ROLES[role] for role in OFFICIAL_ROLES}


@bp.route("/")
def index():
    return render_template("operator/accounts.html", pending=User.pending_residents(),
                           officials=User.officials(), second_factor=SecondFactor.enabled_ids())


@bp.route("/<int:user_id>/aktifkan", methods=["POST"])
def activate(user_id):
    user = get_object_or_404(User.select(), User.id == user_id)
    if user.reset_pending:
        flash("Warga ini belum membuat kata sandi baru. Minta warga mendaftar ulang di halaman "
              "Daftar, lalu aktifkan akunnya.", "error")
    else:
        user.activate()
        flash(f"Akun {user.display_name} sudah aktif.", "success")
    return redirect(url_for("accounts.index"), 303)


@bp.route("/<int:user_id>/nonaktifkan", methods=["POST"])
def deactivate(user_id):
    user = get_object_or_404(User.select().where(User.role.in_(OFFICIAL_ROLES)), User.id == user_id)
    if user.id == current_user.id:
        flash("Anda tidak dapat menonaktifkan akun Anda sendiri.", "error")
    else:
        user.deactivate()
        flash(f"Akun {user.username} sudah dinonaktifkan.", "success")
    return redirect(url_for("accounts.index"), 303)


@bp.route("/<int:user_id>/atur-ulang", methods=["POST"])
def reset(user_id):
    user = get_object_or_404(User.select().where(User.role == "warga"), User.id == user_id)
    user.deactivate(reset=True)
    flash(f"Akses {user.display_name} sudah diatur ulang. Minta warga mendaftar ulang dengan "
          "kata sandi baru, lalu aktifkan akunnya di halaman ini.", "success")
    return redirect(url_for("accounts.index"), 303)


@bp.route("/baru", methods=["GET", "POST"])
def create_official():
    if request.method == "GET":
        return render_template("operator/official_form.html", errors={}, form={},
                               roles_official=OFFICIAL_ROLE_LABELS)
    errors, values = official_form(request.form)
    if not errors and User.add_official(**values) is None:
        errors["username"] = USERNAME_TAKEN
    if errors:
        return render_template("operator/official_form.html", errors=errors, form=request.form,
                               roles_official=OFFICIAL_ROLE_LABELS), 422
    flash(f"Akun {values['username']} sudah dibuat.", "success")
    return redirect(url_for("accounts.index"), 303)
