"""The set-up commands an operator runs on a fresh machine: init-db, seed-demo, create-user."""
import pytest

from balai import create_app
from balai import db as database
from balai.letters.models import LetterType
from balai.people.models import Person, User


@pytest.fixture
def fresh(tmp_path):
    """An app on an empty data folder: no tables, no village."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "t"})
    runner = app.test_cli_runner()
    yield lambda args, text=None: runner.invoke(args=args, input=text)
    if not database.db.is_closed():
        database.db.close()


def count(model):
    with database.db.connection_context():
        return model.select().count()


def test_init_db_makes_the_tables_and_is_safe_to_run_again(fresh):
    for _ in range(2):
        result = fresh(["init-db"])
        assert result.exit_code == 0, result.output
        assert "Database siap" in result.output
    assert count(User) == 0  # the table is there (on either engine), empty


def test_seed_demo_loads_the_village_once(fresh):
    fresh(["init-db"])
    first = fresh(["seed-demo"])
    assert first.exit_code == 0 and "Desa demo dimuat" in first.output
    assert count(Person) == 3 and count(LetterType) >= 8
    assert count(User) == 8
    second = fresh(["seed-demo"])
    assert second.exit_code == 0 and "tidak dimuat ulang" in second.output
    assert count(User) == 8
    accounts = fresh(["demo-accounts"]).output
    assert "kasipem" in accounts and "3213051508900001" in accounts and "sukamaju123" in accounts


def test_create_user_makes_an_official_who_can_log_in(fresh):
    fresh(["init-db"])
    result = fresh(["create-user", "--username", "Sekdes2", "--role", "sekdes",
                    "--name", "Nining Sekretaris"], "rahasia-desa\nrahasia-desa\n")
    assert result.exit_code == 0, result.output
    with database.db.connection_context():
        user = User.by_login("sekdes2")
        assert user.role == "sekdes" and user.active and user.check_password("rahasia-desa")
        assert LetterType.select().count() >= 8  # a real village can work without the demo
    again = fresh(["create-user", "--username", "sekdes2", "--role", "kades", "--name", "X"],
                  "rahasia-desa\nrahasia-desa\n")
    assert again.exit_code != 0 and "sudah dipakai" in again.output


@pytest.mark.parametrize("username, role, password, message", [
    ("baru", "sekdes", "pendek", "paling sedikit 8"),
    ("baru", "warga", "rahasia-desa", "Invalid value"),
    ("1sekdes", "sekdes", "rahasia-desa", "diawali huruf"),  # would be read as a NIK at login
])
def test_create_user_refuses_bad_input(fresh, username, role, password, message):
    fresh(["init-db"])
    result = fresh(["create-user", "--username", username, "--role", role, "--name", "Baru"],
                   f"{password}\n{password}\n")
    assert result.exit_code != 0 and message in result.output
    assert count(User) == 0
