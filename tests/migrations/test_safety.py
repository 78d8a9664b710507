"""What keeps an upgrade from losing data, each with a step made for the test on top of the real
ones: a step that fails, or that loses rows, is undone whole; a table rebuilt on SQLite keeps
every row that points at it; a database newer than the code is left alone. On the engine of the
test run."""
import pytest
from peewee import CharField, IntegrityError

from balai import db as database
from balai.migrate import MigrationError, migrate
from balai.migrations import LATEST, STEPS, Step
from balai.migrations.rebuild import rebuild_table
from tests.support.migrations import row_counts
from tests.support.postgres import ENABLED, sqlite_only


def upgrade(app, *extra, dry_run=False):
    """Migrate the app's database with the real steps and these; what it printed."""
    printed = []
    migrate(app.config["DATA_DIR"], lambda version: printed.append(f"backup {version}"),
            dry_run, STEPS + list(extra), printed.append)
    return printed


def version():
    with database.db.connection_context():
        return database.db.execute_sql("SELECT version FROM schema_version").fetchone()[0]


def columns(table):
    with database.db.connection_context():
        return [column.name for column in database.db.get_columns(table)]


def add_nickname(migrator):
    migrator.add_column("person", "nickname", CharField(null=True)).run()


def test_a_step_that_fails_midway_is_undone_and_runs_again_next_time(app, tmp_path):
    failing = True

    def nickname_then_fail(migrator):
        add_nickname(migrator)
        migrator.database.execute_sql("UPDATE person SET nickname = 'Pak ' || name")
        if failing:
            raise RuntimeError("listrik padam")

    step = Step(LATEST + 1, "nicknames", nickname_then_fail)
    before = row_counts(tmp_path)
    with pytest.raises(MigrationError, match=f"tetap versi {LATEST}.*listrik padam"):
        upgrade(app, step)
    assert version() == LATEST and "nickname" not in columns("person")
    assert row_counts(tmp_path) == before
    failing = False
    printed = upgrade(app, step)
    assert printed[1] == f"backup {LATEST}" and version() == LATEST + 1
    assert "nickname" in columns("person")


def test_a_step_that_loses_rows_is_undone_unless_it_says_it_may(app, tmp_path):
    def forget_events(migrator):
        migrator.database.execute_sql("DELETE FROM lettertype WHERE id NOT IN "
                                      "(SELECT letter_type_id FROM letterrequest)")

    before = row_counts(tmp_path)
    with pytest.raises(MigrationError, match=r"menghilangkan baris: lettertype 8;"):
        upgrade(app, Step(LATEST + 1, "fewer types", forget_events))
    assert row_counts(tmp_path) == before and version() == LATEST
    upgrade(app, Step(LATEST + 1, "fewer types", forget_events,
                      fewer_rows={"lettertype": "unused types go"}))
    assert row_counts(tmp_path)["lettertype"] == 0 and version() == LATEST + 1


@sqlite_only("a table rebuilt with foreign keys off (PostgreSQL alters a table in place)")
def test_a_rebuilt_table_keeps_every_row_that_points_at_it(app, tmp_path):
    """user is pointed at by sessions, shops, contact points (ON DELETE CASCADE) and letters:
    with foreign keys on, dropping it would delete or refuse them."""
    def roles_are_never_empty(migrator):
        [create] = migrator.database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'user'").fetchone()
        body = create[create.index("(") + 1:create.rindex(")")]
        rebuild_table(migrator.database, "user", body + ", CHECK (\"role\" <> '')")

    with database.db.connection_context():
        database.db.execute_sql("INSERT INTO loginsession (user_id, token_hash, started_at, "
                                "seen_at) SELECT id, 'x' || id, datetime(), datetime() FROM user")
    before = row_counts(tmp_path)
    indexes = database.db.get_indexes("user")
    upgrade(app, Step(LATEST + 1, "roles", roles_are_never_empty))
    assert row_counts(tmp_path) == before and before["loginsession"] >= 8
    with database.db.connection_context():
        assert database.db.get_indexes("user") == indexes
        assert not database.db.execute_sql("PRAGMA foreign_key_check").fetchall()
        assert database.db.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)
        with pytest.raises(IntegrityError, match="CHECK"):
            database.db.execute_sql("UPDATE user SET role = '' WHERE id = 1")


def test_a_step_that_leaves_rows_pointing_nowhere_is_undone(app, tmp_path):
    """SQLite runs the steps with foreign keys off and checks them before commit; PostgreSQL
    refuses the statement itself."""
    def drop_residents(migrator):
        migrator.database.execute_sql("DELETE FROM person")

    before = row_counts(tmp_path)
    refused = "gagal dan dibatalkan.*foreign key" if ENABLED else "merusak .* rujukan antartabel"
    with pytest.raises(MigrationError, match=refused):
        upgrade(app, Step(LATEST + 1, "no people", drop_residents,
                          fewer_rows={"person": "a mistake"}))
    assert row_counts(tmp_path) == before and version() == LATEST


def test_a_dry_run_shows_each_step_after_the_ones_before_and_changes_nothing(app, tmp_path):
    def fill_nicknames(migrator):
        migrator.database.execute_sql(f"UPDATE person SET nickname = {param}", ("Pak",))

    param = database.db.param  # ? on SQLite, %s on PostgreSQL

    printed = "\n".join(upgrade(app, Step(LATEST + 1, "nicknames", add_nickname),
                                Step(LATEST + 2, "fill them", fill_nicknames), dry_run=True))
    assert "backup" not in printed
    assert 'ALTER TABLE "person" ADD COLUMN "nickname" VARCHAR(255)' in printed
    assert f"UPDATE person SET nickname = {param};  -- ['Pak']" in printed
    assert version() == LATEST and "nickname" not in columns("person")


def test_a_database_newer_than_the_code_is_left_alone(app):
    upgrade(app, Step(LATEST + 1, "nicknames", add_nickname))
    with pytest.raises(MigrationError, match="lebih baru dari kode ini"):
        upgrade(app)
    assert version() == LATEST + 1


def test_migrate_refuses_to_run_inside_a_transaction(app):
    with database.db.connection_context(), database.db.atomic():
        with pytest.raises(MigrationError, match="di dalam transaksi"):
            upgrade(app)
