"""Logging in (a password, then a code for an account with a second factor) and out, residents
registering themselves, and changing one's password."""
import time

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from peewee import IntegrityError

from balai.db import db
from balai.people import devices
from balai.people.models import LoginFailure, Person, User, check_nobodys_password
from balai.people.nik import kk_error, nik_error
from balai.people.passwords import DIFFERENT_AGAIN, password_error
from balai.people.second_factor import ASKED_ROLES, SecondFactor
from balai.people.sessions import TOKEN_KEY, LoginSession
from balai.web.forms import parse_date

bp = Blueprint("auth", __name__)

LOGIN_REFUSED = ("NIK/nama pengguna atau kata sandi salah. Bila Anda baru mendaftar, akun Anda "
                 "belum diaktifkan operator desa: tunggu, atau datang ke kantor desa membawa KK "
                 "dan KTP.")
LOCKED = ("Terlalu banyak percobaan masuk yang salah. Demi keamanan, akun ini dikunci "
          "15 menit. Coba lagi nanti atau hubungi operator desa.")
LOCKED_ADDRESS = ("Terlalu banyak percobaan masuk yang salah dari jaringan ini. Demi keamanan, "
                  "percobaan dari sini ditahan 15 menit. Coba lagi nanti, atau masuk dari "
                  "perangkat yang biasa Anda pakai.")
CODE_REFUSED = ("Kode salah atau sudah pernah dipakai. Ketik 6 angka yang tampil di aplikasi "
                "autentikator sekarang, atau salah satu kode cadangan Anda.")
# The private pages a visitor most often arrives from, and what the login page tells them.
WHY_LOG_IN = (("/surat", "Masuk dulu untuk mengajukan surat."),
              ("/lapak", "Masuk dulu untuk memesan atau membuka lapak."),
              ("/pesanan", "Masuk dulu untuk melihat pesanan Anda."))
PENDING = "pending_login"  # in the session between the password and the code
PENDING_SECONDS = 600


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html", errors={}, form={}, why=why_log_in())
    login_name = request.form.get("login", "").strip().lower()
    password = request.form.get("password", "")
    device = devices.device_for(login_name)
    errors = login_errors(login_name, password, device)
    if errors:
        return render_template("auth/login.html", errors=errors, form=request.form), 422
    user = User.by_login(login_name)
    if SecondFactor.enabled_for(user):
        # The attempt stays counted until the code is right: codes share the password's limit.
        session.clear()
        session[PENDING] = {"user": user.get_id(), "login": login_name, "at": time.time(),
                            "next": safe_next()}
        return redirect(url_for("auth.code"), 303)
    return finish_login(user, login_name, device, safe_next())


def login_errors(login_name, password, device):
    """Check a login; count failures per name, so the limit holds whether or not the name exists."""
    if not login_name or not password:
        return {"login": "Isi NIK atau nama pengguna, dan kata sandi."}
    if login_name[0].isdigit() and (message := nik_error(login_name)):
        return {"login": message}  # usernames start with a letter: this was meant as a NIK
    if LoginFailure.attempt(login_name, address(), device) is None:
        return {"login": lock_message(login_name, device)}
    user = User.by_login(login_name)
    if user is None:
        check_nobodys_password(password)  # same time whether the name exists or not
    # An account waiting for activation answers like a wrong password: anyone holding a KK
    # photocopy can register, and the answer must not tell whether the NIK is on record.
    if user is None or not user.check_password(password) or not user.active:
        return {"login": lock_message(login_name, device) or LOGIN_REFUSED}
    return {}


def address():
    return request.remote_addr or ""


def lock_message(login_name, device):
    """Why attempts for this name from here are refused now, or None."""
    lock = LoginFailure.lock(login_name, address(), device)
    return lock and (LOCKED_ADDRESS if lock == "address" else LOCKED)


@bp.route("/masuk/kode", methods=["GET", "POST"])
def code():
    user, login_name = pending_login()
    if user is None:
        flash("Waktu untuk mengisi kode sudah habis. Silakan masuk lagi.", "info")
        return redirect(url_for("auth.login"))
    if request.method == "GET":
        return render_template("auth/code.html", errors={})
    device = devices.device_for(login_name)
    errors = code_errors(user, login_name, request.form.get("code", ""), device)
    if errors:
        return render_template("auth/code.html", errors=errors), 422
    return finish_login(user, login_name, device, session[PENDING]["next"])


def pending_login():
    """(account, login name) whose password was right a moment ago, or (None, None)."""
    pending = session.get(PENDING) or {}
    if pending.get("at", 0) < time.time() - PENDING_SECONDS:
        return None, None
    user = User.by_login(pending["login"])
    if user is None or not user.active or user.get_id() != pending["user"]:
        return None, None
    return user, pending["login"]


def code_errors(user, login_name, typed, device):
    """The second step counts against the same limits as the password."""
    if LoginFailure.attempt(login_name, address(), device) is None:
        return {"code": lock_message(login_name, device)}
    if not SecondFactor.verify(user, typed):
        return {"code": lock_message(login_name, device) or CODE_REFUSED}
    return {}


def finish_login(user, login_name, device, target):
    """A new session of its own for this device; the Kades and the operator are asked to turn
    on a second factor until they do."""
    LoginFailure.clear(login_name, device)
    LoginSession.end(session.get(TOKEN_KEY))  # logging in again, as someone else perhaps
    session.clear()  # nothing from before the login carries over
    session[TOKEN_KEY] = LoginSession.start(user)
    login_user(user)
    target = target or home_for(user)
    if user.role in ASKED_ROLES and not SecondFactor.enabled_for(user):
        target = url_for("second_factor.setup", next=target)
    response = redirect(target, 303)
    devices.remember(response, login_name)
    return response


def why_log_in():
    """What the page a visitor was sent from needs them logged in for, or None."""
    target = safe_next() or ""
    return next((why for path, why in WHY_LOG_IN if target.startswith(path)), None)


def safe_next():
    """A path on this site to return to, or None. Checked as a browser will read it: browsers
    drop tabs and newlines anywhere and read "\\" as "/", so "/%09/evil.example" or
    "/\\evil.example" would become "//evil.example", another site. Anything unprintable is
    refused rather than cleaned."""
    target = request.args.get("next", "").replace("\\", "/")
    if not target.startswith("/") or target.startswith("//") or not target.isprintable():
        return None
    return target


def home_for(user):
    if user.role == "warga":
        return url_for("letters.mine")
    if user.role == "operator":
        return url_for("operator.index")
    if user.role == "kabupaten":
        return url_for("regency.index")
    return url_for("inbox.index")


@bp.route("/keluar", methods=["POST"])
@login_required
def logout():
    LoginSession.end(session.get(TOKEN_KEY))
    logout_user()
    session.clear()
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
    if message := password_error(form.get("password", ""), (form.get("nik") or "").strip()):
        errors["password"] = message
    elif form.get("password") != form.get("password2"):
        errors["password2"] = DIFFERENT_AGAIN
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
    own_name = current_user.username or current_user.person.nik
    if message := password_error(request.form.get("password", ""), own_name):
        errors["password"] = message
    if errors:
        return render_template("auth/password.html", errors=errors), 422
    with db.atomic():
        current_user.set_password(request.form["password"])
        current_user.save()
        LoginSession.end_all(current_user.id, keep=session.get(TOKEN_KEY))
    flash("Kata sandi sudah diganti. Perangkat lain yang masih masuk dengan akun ini sudah "
          "dikeluarkan.", "success")
    return redirect(home_for(current_user), 303)
