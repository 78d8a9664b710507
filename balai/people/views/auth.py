"""Logging in and out, and residents registering themselves."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from peewee import IntegrityError

from balai.db import db
from balai.people.models import LoginFailure, Person, User, check_nobodys_password
from balai.people.nik import kk_error, nik_error
from balai.web.forms import parse_date

bp = Blueprint("auth", __name__)

LOGIN_REFUSED = ("NIK/nama pengguna atau kata sandi salah. Bila Anda baru mendaftar, akun Anda "
                 "belum diaktifkan operator desa: tunggu, atau datang ke kantor desa membawa KK "
                 "dan KTP.")
LOCKED = ("Terlalu banyak percobaan masuk yang salah. Demi keamanan, akun ini dikunci "
          "15 menit. Coba lagi nanti atau hubungi operator desa.")
PASSWORD_MIN = 8


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html", errors={}, form={})
    login_name = request.form.get("login", "").strip().lower()
    password = request.form.get("password", "")
    errors = login_errors(login_name, password)
    if errors:
        return render_template("auth/login.html", errors=errors, form=request.form), 422
    user = User.by_login(login_name)
    LoginFailure.clear(login_name)
    login_user(user)
    return redirect(safe_next() or home_for(user), 303)


def login_errors(login_name, password):
    """Check a login; count failures per name, so the limit holds whether or not the name exists."""
    if not login_name or not password:
        return {"login": "Isi NIK atau nama pengguna, dan kata sandi."}
    if login_name[0].isdigit() and (message := nik_error(login_name)):
        return {"login": message}  # usernames start with a letter: this was meant as a NIK
    if LoginFailure.attempt(login_name, request.remote_addr or "") is None:
        return {"login": LOCKED}
    user = User.by_login(login_name)
    if user is None:
        check_nobodys_password(password)  # same time whether the name exists or not
    # An account waiting for activation answers like a wrong password: anyone holding a KK
    # photocopy can register, and the answer must not tell whether the NIK is on record.
    if user is None or not user.check_password(password) or not user.active:
        return {"login": LOCKED if LoginFailure.is_locked(login_name) else LOGIN_REFUSED}
    return {}


def safe_next():
    """A path on this site to return to; browsers read "/\\host" like "//host", another site."""
    target = request.args.get("next", "")
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else None


def home_for(user):
    if user.role == "warga":
        return url_for("letters.mine")
    if user.role == "operator":
        return url_for("operator.index")
    return url_for("inbox.index")


@bp.route("/keluar", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("Anda sudah keluar.", "success")
    return redirect(url_for("home.index"), 303)


@bp.route("/daftar", methods=["GET", "POST"])
def register():
    if request.method == "GET":
        return render_template("auth/register.html", errors={}, form={})
    errors, birth_date = registration_errors(request.form)
    if errors:
        return render_template("auth/register.html", errors=errors, form=request.form), 422
    create_resident_account(request.form, birth_date)
    return redirect(url_for("auth.registered"), 303)


def registration_errors(form):
    errors = {}
    for name, check in (("nik", nik_error), ("kk_number", kk_error)):
        if message := check(form.get(name)):
            errors[name] = message
    birth_date = parse_date(form.get("birth_date"))
    if birth_date is None:
        errors["birth_date"] = "Isi tanggal lahir Anda, misalnya 17-08-1990."
    if len(form.get("password", "")) < PASSWORD_MIN:
        errors["password"] = f"Kata sandi paling sedikit {PASSWORD_MIN} huruf atau angka."
    elif form.get("password") != form.get("password2"):
        errors["password2"] = "Kedua kata sandi tidak sama. Ketik ulang."
    return errors, birth_date


def create_resident_account(form, birth_date):
    """Make an inactive account when the three facts match a record; say nothing either way.

    An account whose access the operator reset takes the new password and waits, inactive,
    for the operator to activate it again."""
    user = User(role="warga", active=False)
    user.set_password(form["password"])  # before the match, so the time taken does not tell
    user.person = Person.matching(form["nik"].strip(), form["kk_number"].strip(), birth_date)
    if user.person is None:
        return
    try:
        with db.atomic():
            user.save()
    except IntegrityError:  # an account exists already; the answer must not tell
        User.replace_password_after_reset(user.person, user.password_hash)


@bp.route("/daftar/terkirim")
def registered():
    return render_template("auth/registered.html")


@bp.route("/akun/sandi", methods=["GET", "POST"])
@login_required
def change_password():
    if request.method == "GET":
        return render_template("auth/password.html", errors={})
    errors = {}
    if not current_user.check_password(request.form.get("current", "")):
        errors["current"] = "Kata sandi lama salah."
    if len(request.form.get("password", "")) < PASSWORD_MIN:
        errors["password"] = f"Kata sandi baru paling sedikit {PASSWORD_MIN} huruf atau angka."
    if errors:
        return render_template("auth/password.html", errors=errors), 422
    current_user.set_password(request.form["password"])
    current_user.save()
    flash("Kata sandi sudah diganti.", "success")
    return redirect(home_for(current_user), 303)
