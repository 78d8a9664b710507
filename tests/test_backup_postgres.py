"""`flask backup` and `flask restore` on PostgreSQL: pg_dump taken while residents upload and the
Kades signs restores into a new database that still signs letters; a damaged backup, a database
that holds data, a backup of another engine or schema are refused; `migrate` backs up first."""
import json

import pytest

from balai import create_app, dumps, schema
from balai import db as database
from balai.demo import seed
from balai.letters.issuance import letter_key
from balai.letters.models import Attachment, LetterRequest
from balai.letters.uploads import upload_key
from balai.migrations import LATEST
from balai.people.models import Person
from balai.storage import documents
from tests.support import postgres
from tests.support.backups import (
    backup_under_a_writer,
    checks_as_asli,
    issue_letter,
    other_database,
    run_command,
)
from tests.support.migrations import downgraded
from tests.support.village import Login, make_request

CONFIG = {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False}


def restored_village(data_dir, settings):
    return create_app({**CONFIG, "DATA_DIR": str(data_dir), **settings})


@pytest.fixture
def folders(tmp_path_factory):
    return tmp_path_factory.mktemp("cadangan") / "malam-ini", tmp_path_factory.mktemp("pulih")


@pytest.fixture
def elsewhere():
    with other_database() as settings:
        yield settings


@postgres.needs_postgres
def test_a_dump_taken_while_residents_upload_restores_a_village_that_still_signs(
        app, db, folders, elsewhere):
    target, fresh = folders
    old = issue_letter(app)
    result = backup_under_a_writer(app, target)
    assert result.exit_code == 0, result.output
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["postgresql"] == {"schema": "public"}
    assert "balai.pgdump" in {entry["path"] for entry in manifest["files"]}
    assert not (target / "balai.db").exists()

    database.db.close()
    restored = run_command(restored_village(fresh, elsewhere), "restore", str(target))
    assert restored.exit_code == 0, restored.output
    assert not (fresh / "balai.pgdump").exists()

    village = restored_village(fresh, elsewhere)
    assert Attachment.select().count() >= 1
    assert all(documents(village).exists(upload_key(a.stored_name)) for a in Attachment.select())
    issued = LetterRequest.select().where(LetterRequest.pdf_file.is_null(False))
    assert issued.count() >= 2
    assert all(documents(village).exists(letter_key(letter.pdf_file)) for letter in issued)
    assert checks_as_asli(village, LetterRequest.get_by_id(old.id))
    new = issue_letter(village)  # the sequences came back too: new ids, the next number
    assert new.pdf_file and new.number != old.number and checks_as_asli(village, new)


@pytest.fixture
def backed_up(app, db, folders, elsewhere):
    target, fresh = folders
    issue_letter(app)
    assert run_command(app, "backup", str(target)).exit_code == 0
    database.db.close()
    return target, restored_village(fresh, elsewhere)


def tables(village):
    with database.db.connection_context():
        return database.db.get_tables()


@postgres.needs_postgres
def test_a_damaged_dump_is_refused_before_anything_is_written(backed_up):
    target, village = backed_up
    data = bytearray((target / "balai.pgdump").read_bytes())
    data[len(data) // 2] ^= 1
    (target / "balai.pgdump").write_bytes(bytes(data))
    result = run_command(village, "restore", str(target))
    assert result.exit_code != 0 and "balai.pgdump: isinya berubah" in result.output
    assert tables(village) == []


@postgres.needs_postgres
def test_a_database_that_holds_data_is_replaced_only_with_force(backed_up):
    target, village = backed_up
    assert run_command(village, "restore", str(target)).exit_code == 0
    with village.app_context():
        letters = LetterRequest.select().count()
        make_request()
    refused = run_command(village, "restore", str(target))
    assert refused.exit_code != 0 and "--force" in refused.output
    assert LetterRequest.select().count() == letters + 1
    forced = run_command(village, "restore", "--force", str(target))
    assert forced.exit_code == 0, forced.output
    assert LetterRequest.select().count() == letters


@postgres.needs_postgres
def test_a_backup_of_another_engine_or_schema_is_refused(backed_up):
    target, village = backed_up
    manifest = json.loads((target / "manifest.json").read_text())
    (target / "manifest.json").write_text(json.dumps({**manifest, "postgresql": {"schema": "x"}}))
    other_schema = run_command(village, "restore", str(target))
    assert other_schema.exit_code != 0 and "dari skema PostgreSQL 'x'" in other_schema.output
    (target / "manifest.json").write_text(json.dumps({**manifest, "postgresql": "x"}))
    unknown = run_command(village, "restore", str(target))
    assert unknown.exit_code != 0 and "tidak dikenal" in unknown.output
    del manifest["postgresql"]
    (target / "manifest.json").write_text(json.dumps(manifest))
    sqlite = run_command(village, "restore", str(target))
    assert sqlite.exit_code != 0 and "dari basis data SQLite" in sqlite.output
    assert tables(village) == []


@postgres.needs_postgres
def test_migrate_backs_up_a_postgresql_database_before_its_steps(app, db, tmp_path_factory):
    """The demo database one step back (made from the previous step's snapshot, every row
    kept): migrate dumps it first."""
    letters = LetterRequest.select().count()
    db.close()
    downgraded(None, LATEST - 1)
    backups = tmp_path_factory.mktemp("cadangan")
    result = run_command(app, "migrate", "--backup-dir", str(backups))
    assert result.exit_code == 0, result.output
    assert f"sekarang versi {LATEST}" in result.output
    [backup] = backups.iterdir()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert "balai.pgdump" in {entry["path"] for entry in manifest["files"]}
    assert LetterRequest.select().count() == letters


def test_the_password_reaches_the_client_programs_in_their_environment_only(monkeypatch):
    monkeypatch.setattr(dumps, "program", lambda name: f"/bin/{name}")
    server = dumps.Server("postgresql://desa:rahasia@db.example:5432/balai"
                          "?options=-c%20search_path%3Ddesa")
    command = server.command("pg_dump", "--format=custom")
    assert not any("rahasia" in part for part in command)
    assert "search_path=desa" in command[-1] and "dbname=balai" in command[-1]
    assert server.env()["PGPASSWORD"] == "rahasia"


def test_a_missing_client_program_is_named_with_how_to_install_it(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(dumps, "CLIENT_DIRS", str(tmp_path / "*" / "bin"))
    with pytest.raises(dumps.DumpError, match="pg_dump tidak ditemukan.*postgresql-client"):
        dumps.program("pg_dump")
    (tmp_path / "16" / "bin").mkdir(parents=True)
    (tmp_path / "16" / "bin" / "pg_dump").touch()
    assert dumps.program("pg_dump") == str(tmp_path / "16" / "bin" / "pg_dump")


@postgres.needs_postgres
def test_a_village_in_a_schema_of_its_own_restores_into_that_schema_elsewhere(tmp_path_factory):
    """DATABASE_URL's options=-c search_path=...: the dump is of that schema, and a restore
    makes it in another database."""
    name, url = postgres.empty_schema()
    other = postgres.fresh_name("other")
    postgres.create(other)
    try:
        source = tmp_path_factory.mktemp("desa")
        village = restored_village(source, postgres.app_config(url))
        schema.create_tables()
        with village.app_context(), database.db.connection_context():
            seed.seed_demo(documents(village))
        people = Person.select().count()
        target = tmp_path_factory.mktemp("cadangan") / "malam-ini"
        result = run_command(village, "backup", str(target))
        assert result.exit_code == 0, result.output
        assert json.loads((target / "manifest.json").read_text())["postgresql"] == {"schema": name}

        wrong = restored_village(tmp_path_factory.mktemp("pulih"),
                                 postgres.app_config(postgres.url(other)))
        refused = run_command(wrong, "restore", str(target))
        assert refused.exit_code != 0 and f"dari skema PostgreSQL {name!r}" in refused.output
        fresh = restored_village(tmp_path_factory.mktemp("pulih"),
                                 postgres.app_config(postgres.url(other, name)))
        restored = run_command(fresh, "restore", str(target))
        assert restored.exit_code == 0, restored.output
        assert Person.select().count() == people and Login(fresh).as_("kades")
    finally:
        if hasattr(database.db.obj, "close_all"):
            database.db.close()
            database.db.obj.close_all()
        postgres.drop(other)
        postgres.drop_schema(name)
