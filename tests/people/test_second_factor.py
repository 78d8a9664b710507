"""A second factor for officials: setting it up, logging in with it or a recovery code, the
Kades and the operator asked at login until they turn it on, and the operator's reset."""
import re
import time

import pyotp
import pytest

from balai import create_app
from balai.notify.models import Notification
from balai.people.models import LoginFailure, User
from balai.people.second_factor import RecoveryCode, SecondFactor
from balai.people.sessions import LoginSession

PASSWORD = {"password": "sukamaju123"}
RECOVERY_CODE = r"<li><strong>([a-z0-9]{5}-[a-z0-9]{5})</strong></li>"


def factor_of(login):
    return SecondFactor.get(SecondFactor.user == User.by_login(login))


def secret_of(app, login):
    """Unsealed with the app's key, as in a request; the context is not kept open, or the test
    client's requests would share it (and its logged-in user)."""
    with app.app_context():
        return factor_of(login).secret


def current_code(app, login, steps_ahead=0):
    totp = pyotp.TOTP(secret_of(app, login))
    return totp.generate_otp(totp.timecode(time.time()) + steps_ahead)


def turn_on(client, login):
    """Set the second factor up as the official would; returns the recovery codes shown."""
    assert client.get("/akun/dua-langkah/").status_code == 200
    response = client.post("/akun/dua-langkah/", data={"code": current_code(client.application, login)})
    assert response.status_code == 200
    return re.findall(RECOVERY_CODE, response.get_data(as_text=True))


def test_the_kades_and_the_operator_are_asked_at_login_without_being_blocked(client, db):
    for login, home in (("kades", "/kotak-masuk"), ("operator", "/operator/")):
        response = client.post("/masuk", data={"login": login, **PASSWORD})
        assert response.status_code == 303
        assert response.location.startswith("/akun/dua-langkah/?next=")
        page = client.get(response.location).get_data(as_text=True)
        assert "Nanti saja" in page and f'href="{home}"' in page
        assert client.get(home).status_code == 200  # "later" works: the nudge does not block
        client.post("/keluar")


def test_other_officials_are_not_asked_but_may_turn_it_on(kasipem, db):
    assert kasipem.get("/akun/dua-langkah/").status_code == 200


def test_residents_have_no_second_factor_page(budi):
    assert budi.get("/akun/dua-langkah/").status_code == 403


def test_the_set_up_page_shows_a_qr_code_without_inline_script_or_style(app, kades, db):
    html = kades.get("/akun/dua-langkah/?next=/kotak-masuk").get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "<path" in svg and "style=" not in svg and "<script" not in svg
    assert not re.search(r"\son[a-z]+=", svg)
    assert secret_of(app, "kades")[:4] in html  # typed by hand when the camera will not scan


def test_turning_it_on_needs_a_right_code_and_shows_ten_recovery_codes_once(app, kades, db):
    kades.get("/akun/dua-langkah/")
    wrong = kades.post("/akun/dua-langkah/", data={"code": "000000"})
    assert wrong.status_code == 422 and "Kode salah" in wrong.get_data(as_text=True)
    assert not SecondFactor.enabled_for(User.by_login("kades"))
    response = kades.post("/akun/dua-langkah/", data={"code": current_code(app, "kades")})
    codes = re.findall(RECOVERY_CODE, response.get_data(as_text=True))
    assert len(set(codes)) == 10 and "no-store" in response.headers["Cache-Control"]
    assert SecondFactor.enabled_for(User.by_login("kades"))
    assert "Kode cadangan yang belum dipakai: <strong>10" in kades.get(
        "/akun/dua-langkah/").get_data(as_text=True)


def test_a_database_dump_alone_gives_away_neither_the_secret_nor_the_recovery_codes(app, kades, db):
    codes = turn_on(kades, "kades")
    stored = [factor_of("kades").sealed_secret] + [row.code_hash for row in RecoveryCode.select()]
    assert secret_of(app, "kades") not in " ".join(stored)
    assert not any(code.replace("-", "") in " ".join(stored) for code in codes)


@pytest.fixture
def kades_with_factor(kades, db):
    codes = turn_on(kades, "kades")
    kades.post("/keluar")
    return codes


def log_in(client, next_page=None):
    return client.post("/masuk", query_string={"next": next_page} if next_page else None,
                       data={"login": "kades", **PASSWORD})


def test_login_asks_for_the_code_after_the_password(app, client, kades_with_factor):
    first = log_in(client, "/kotak-masuk/1")
    assert first.status_code == 303 and first.location == "/masuk/kode"
    assert client.get("/kotak-masuk").status_code == 302  # not logged in yet
    assert "Kode 6 angka" in client.get("/masuk/kode").get_data(as_text=True)
    done = client.post("/masuk/kode", data={"code": current_code(app, "kades", steps_ahead=1)})
    assert done.status_code == 303 and done.location == "/kotak-masuk/1"  # no more nudging
    assert client.get("/kotak-masuk").status_code == 200


def test_a_code_works_once(app, kades_with_factor):
    code = current_code(app, "kades", steps_ahead=1)  # the current one went into the set-up
    first, second = app.test_client(), app.test_client()
    log_in(first), log_in(second)
    assert first.post("/masuk/kode", data={"code": code}).status_code == 303
    replay = second.post("/masuk/kode", data={"code": code})
    assert replay.status_code == 422 and "sudah pernah dipakai" in replay.get_data(as_text=True)


def test_a_recovery_code_logs_in_once_when_the_phone_is_lost(app, kades_with_factor):
    code = kades_with_factor[0]
    client = app.test_client()
    log_in(client)
    assert client.post("/masuk/kode", data={"code": code.upper()}).status_code == 303
    again = app.test_client()
    log_in(again)
    assert again.post("/masuk/kode", data={"code": code}).status_code == 422
    assert RecoveryCode.left(User.by_login("kades")) == 9


def test_wrong_codes_count_against_the_login_limit(app, client, kades_with_factor):
    log_in(client)
    for _ in range(4):
        assert client.post("/masuk/kode", data={"code": "123456"}).status_code == 422
    locked = client.post("/masuk/kode", data={"code": current_code(app, "kades")})
    assert "dikunci 15 menit" in locked.get_data(as_text=True)
    assert LoginFailure.is_locked("kades")


def test_the_code_step_expires_and_needs_the_password_first(app, client, kades_with_factor):
    assert client.get("/masuk/kode").status_code == 302
    log_in(client)
    with client.session_transaction() as session:
        session["pending_login"] = {**session["pending_login"], "at": time.time() - 3600}
    response = client.post("/masuk/kode", data={"code": current_code(app, "kades", 1)})
    assert response.status_code == 302 and "/masuk" in response.location
    assert client.get("/kotak-masuk").status_code == 302


def test_the_operator_resets_a_lost_second_factor_and_the_official_is_told(
        app, operator, kades_with_factor):
    phone = app.test_client()  # still logged in on the lost phone
    log_in(phone)
    assert phone.post("/masuk/kode", data={"code": current_code(app, "kades", 1)}).status_code == 303
    assert "Atur ulang" in operator.get("/operator/akun/").get_data(as_text=True)
    kades = User.by_login("kades")
    response = operator.post(f"/operator/akun/{kades.id}/dua-langkah/atur-ulang")
    assert response.status_code == 303
    assert not SecondFactor.enabled_for(kades) and RecoveryCode.left(kades) == 0
    assert phone.get("/kotak-masuk").status_code == 302
    assert not LoginSession.select().where(LoginSession.user == kades).exists()
    told = Notification.get((Notification.recipient == kades) & (Notification.kind == "akun"))
    assert "mengatur ulang verifikasi dua langkah" in told.message
    again = log_in(app.test_client())  # the password alone, then asked to set it up again
    assert again.location.startswith("/akun/dua-langkah/")


def test_only_the_operator_resets_a_second_factor(kasipem, kades_with_factor):
    kades = User.by_login("kades")
    assert kasipem.post(f"/operator/akun/{kades.id}/dua-langkah/atur-ulang").status_code == 403
    assert SecondFactor.enabled_for(kades)


def test_the_host_can_reset_a_second_factor_from_the_command_line(app, kades_with_factor):
    result = app.test_cli_runner().invoke(args=["reset-second-factor", "Kades"])
    assert result.exit_code == 0, result.output
    assert not SecondFactor.enabled_for(User.by_login("kades"))
    unknown = app.test_cli_runner().invoke(args=["reset-second-factor", "nobody"])
    assert unknown.exit_code != 0 and "Tidak ada akun" in unknown.output


def test_after_a_new_secret_key_the_code_is_refused_not_an_error(app, kades_with_factor, db):
    moved = create_app({"TESTING": True, "DATA_DIR": app.config["DATA_DIR"],
                        "SECRET_KEY": "another", "WTF_CSRF_ENABLED": False})
    client = moved.test_client()
    log_in(client)
    refused = client.post("/masuk/kode", data={"code": current_code(app, "kades", 1)})
    assert refused.status_code == 422


def test_a_set_up_begun_under_an_old_secret_key_starts_afresh(app, kasipem, db):
    kasipem.get("/akun/dua-langkah/")
    SecondFactor.update(sealed_secret="sealed-with-a-lost-key").execute()
    assert kasipem.get("/akun/dua-langkah/").status_code == 200
    assert secret_of(app, "kasipem")
