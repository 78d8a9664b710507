"""Sessions end on the server: logging out, a new password, idle and absolute time limits; and
behind an HTTPS proxy the cookies are Secure."""
import datetime

import pytest

from balai import create_app
from balai.db import now
from balai.people.models import LoginFailure, User
from balai.people.sessions import LoginSession
from tests.support.village import BUDI

NEW_PASSWORD = "kopi-sawah-merah"


def copy_of(app, client):
    """Another browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_cookie_copied_before_logging_out_no_longer_opens_anything(app, budi):
    thief = copy_of(app, budi)
    assert thief.get("/surat").status_code == 200
    budi.post("/keluar")
    assert thief.get("/surat").status_code == 302


def test_logging_out_on_the_phone_leaves_the_office_computer_logged_in(login):
    phone, office = login.as_("kasipem"), login.as_("kasipem")
    phone.post("/keluar")
    assert phone.get("/kotak-masuk").status_code == 302
    assert office.get("/kotak-masuk").status_code == 200


def test_a_new_password_ends_every_other_session_but_not_this_one(app, login, db):
    phone, office = login.as_(BUDI), login.as_(BUDI)
    thief = copy_of(app, office)
    response = phone.post("/akun/sandi", data={"current": "sukamaju123", "password": NEW_PASSWORD})
    assert response.status_code == 303
    assert office.get("/surat").status_code == 302 and thief.get("/surat").status_code == 302
    assert phone.get("/surat").status_code == 200
    assert User.by_login(BUDI).check_password(NEW_PASSWORD)


def age(hours=0, minutes=0, idle_minutes=0):
    moment = now()
    LoginSession.update(started_at=moment - datetime.timedelta(hours=hours, minutes=minutes),
                        seen_at=moment - datetime.timedelta(minutes=idle_minutes)).execute()


def test_everyone_is_logged_out_twelve_hours_after_logging_in(db, budi, kades):
    age(hours=11, minutes=50)
    assert budi.get("/surat").status_code == 200
    age(hours=12, minutes=1)
    assert budi.get("/surat").status_code == 302
    assert kades.get("/kotak-masuk").status_code == 302


def test_officials_are_logged_out_after_thirty_minutes_idle_residents_are_not(db, budi, kasipem):
    age(minutes=40, idle_minutes=29)
    assert kasipem.get("/kotak-masuk").status_code == 200  # and that counts as activity
    assert LoginSession.select().where(LoginSession.seen_at > now() - datetime.timedelta(
        minutes=1)).count() == 1
    age(minutes=40, idle_minutes=31)
    assert kasipem.get("/kotak-masuk").status_code == 302
    assert budi.get("/surat").status_code == 200


def test_time_limits_are_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("BALAI_SESSION_HOURS", "8")
    monkeypatch.setenv("BALAI_OFFICIAL_IDLE_MINUTES", "15")
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "t"})
    assert (app.config["SESSION_HOURS"], app.config["OFFICIAL_IDLE_MINUTES"]) == (8, 15)
    assert create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "t",
                       "SESSION_HOURS": 1}).config["SESSION_HOURS"] == 1


def test_a_remember_me_cookie_alone_logs_nobody_in(app, db):
    from flask_login.utils import encode_cookie
    with app.test_request_context():
        value = encode_cookie(User.by_login(BUDI).get_id())
    visitor = app.test_client()
    visitor.set_cookie("remember_token", value)
    assert visitor.get("/surat").status_code == 302


def test_logging_in_starts_a_new_session_whatever_the_cookie_held(app, client, db):
    with client.session_transaction() as session:
        session["login_token"] = "planted-by-someone-else"
    client.post("/masuk", data={"login": BUDI, "password": "sukamaju123"})
    with client.session_transaction() as session:
        assert session["login_token"] != "planted-by-someone-else"


@pytest.fixture
def proxied(app):
    """The same village's app, told that one proxy stands in front of it."""
    return create_app({"TESTING": True, "DATA_DIR": app.config["DATA_DIR"], "SECRET_KEY": "test",
                       "WTF_CSRF_ENABLED": False, "PROXY_COUNT": 1})


HTTPS_PROXY = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


def test_behind_an_https_proxy_cookies_are_secure_and_hsts_is_sent(proxied, db):
    client = proxied.test_client()
    response = client.post("/masuk", data={"login": BUDI, "password": "sukamaju123"},
                           headers=HTTPS_PROXY)
    assert response.status_code == 303
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("; Secure" in cookie for cookie in cookies)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    client.post("/masuk", data={"login": BUDI, "password": "salah-sekali"}, headers=HTTPS_PROXY)
    assert LoginFailure.get().address == "203.0.113.9"  # the visitor's address, not the proxy's


def test_without_a_proxy_setting_forwarded_headers_are_not_believed(client, db):
    response = client.post("/masuk", data={"login": BUDI, "password": "sukamaju123"},
                           headers=HTTPS_PROXY)
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers
    client.post("/masuk", data={"login": BUDI, "password": "salah-sekali"}, headers=HTTPS_PROXY)
    assert LoginFailure.get().address == "127.0.0.1"
