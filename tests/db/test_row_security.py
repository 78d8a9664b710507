"""PostgreSQL's second wall between villages (balai.pg_wall): raw SQL with no village filter, run
as the app's role, sees and writes only the rows of the village its transaction set. Main's
tables hold no village_id yet: the wall is tried on a table of the test's own that does."""
import psycopg
import pytest
from peewee import DatabaseError

from balai import create_app, schema
from balai.db import as_owner, db
from balai.migrate import schema_sql
from balai.villages.context import across_villages, village_context
from balai.villages.models import Village
from tests.support import postgres

pytestmark = [postgres.needs_postgres, pytest.mark.skipif(
    not postgres.APP_ROLE, reason="needs the app's own role: tests/services/postgres.sh")]


@pytest.fixture
def parcels(tmp_path):
    """Two villages and a walled table of theirs, made by the owner; the app's connection."""
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "test"})
    schema.create_tables()
    with as_owner():
        db.execute_sql('CREATE TABLE parcel (id serial PRIMARY KEY, village_id integer NOT NULL '
                       'REFERENCES village (id), name text NOT NULL)')
        Village.insert_many([{"id": 1, "name": "Sukamaju"}, {"id": 2, "name": "Sukamulya"}]
                            ).execute()
        db.execute_sql("INSERT INTO parcel (village_id, name) "
                       "VALUES (1, 'sawah'), (1, 'kebun'), (2, 'tambak')")
        with db.atomic():
            db.build_wall()
    yield app
    if not db.is_closed():
        db.close()
    db.close_all()


def names():
    return sorted(name for (name,) in db.execute_sql("SELECT name FROM parcel").fetchall())


def test_the_app_connects_as_a_role_that_owns_nothing(parcels):
    role, owns = db.execute_sql(
        "SELECT current_user, pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
        "WHERE oid = 'parcel'::regclass").fetchone()
    assert role == postgres.APP_ROLE and not owns


def test_raw_sql_sees_only_the_village_its_transaction_set(parcels):
    with village_context(1), db.atomic():
        assert names() == ["kebun", "sawah"]
    with village_context(2), db.atomic():
        assert names() == ["tambak"]


def test_reads_outside_a_transaction_are_walled_too_and_follow_the_chosen_village(parcels):
    with village_context(1):
        assert names() == ["kebun", "sawah"]
        assert db.execute_sql("SELECT count(*) FROM parcel WHERE village_id = 2"
                              ).fetchone() == (0,)
    with village_context(2):
        assert names() == ["tambak"]


def test_no_village_chosen_among_several_sees_and_writes_nothing(parcels):
    assert names() == []
    with pytest.raises(DatabaseError, match="row-level security"):
        db.execute_sql("INSERT INTO parcel (village_id, name) VALUES (1, 'ladang')")


def test_a_village_cannot_write_another_villages_row(parcels):
    with village_context(1):
        with pytest.raises(DatabaseError, match="row-level security"), db.atomic():
            db.execute_sql("INSERT INTO parcel (village_id, name) VALUES (2, 'ladang')")
        with pytest.raises(DatabaseError, match="row-level security"):
            db.execute_sql("UPDATE parcel SET village_id = 2")
        assert db.execute_sql("UPDATE parcel SET name = 'x' WHERE village_id = 2").rowcount == 0
        assert db.execute_sql("DELETE FROM parcel WHERE village_id = 2").rowcount == 0
    with village_context(2):
        assert names() == ["tambak"]


def test_writes_commit_as_they_did_in_autocommit_and_at_the_end_of_atomic(parcels):
    """What a task queued after the write reads, on another connection, is there already."""
    with village_context(1):
        assert names() == ["kebun", "sawah"]  # a reading transaction is open
        db.execute_sql("INSERT INTO parcel (village_id, name) VALUES (1, 'ladang')")
        assert owner_count("ladang") == 1
        with db.atomic():
            db.execute_sql("INSERT INTO parcel (village_id, name) VALUES (1, 'kolam')")
        assert owner_count("kolam") == 1


def owner_count(name):
    owner_url = db.obj.owner_url
    with psycopg.connect(owner_url, autocommit=True) as connection:
        return connection.execute("SELECT count(*) FROM parcel WHERE name = %s",
                                  (name,)).fetchone()[0]


def test_across_villages_reads_every_village_and_writes_none(parcels):
    with across_villages():
        assert names() == ["kebun", "sawah", "tambak"]
        with pytest.raises(DatabaseError, match="read-only"), db.atomic():
            db.execute_sql("DELETE FROM parcel")
        with pytest.raises(DatabaseError, match="read-only"):
            db.execute_sql("UPDATE parcel SET name = 'x'")
        with db.atomic():
            assert names() == ["kebun", "sawah", "tambak"]
    with village_context(2):  # the across role is gone with its transaction
        assert names() == ["tambak"]
        assert db.execute_sql("SELECT current_user").fetchone() == (postgres.APP_ROLE,)


def test_a_session_setting_does_not_leak_into_the_next_checkout(parcels):
    session = "SELECT pg_backend_pid()"
    with village_context(1):
        db.execute_sql("SET balai.village = '2'")  # committed: the whole session's
        db.execute_sql("SELECT set_config('balai.village', '2', false)")
        assert names() == ["kebun", "sawah"]
        first = db.execute_sql(session).fetchone()
    db.close()  # back to the pool; the next request gets the same connection
    assert db.execute_sql(session).fetchone() == first
    assert names() == []
    with village_context(1):
        assert names() == ["kebun", "sawah"]


def test_the_app_role_cannot_take_the_wall_down(parcels):
    for statement in ("ALTER TABLE parcel NO FORCE ROW LEVEL SECURITY",
                      "ALTER TABLE parcel DISABLE ROW LEVEL SECURITY",
                      "DROP POLICY village ON parcel",
                      "ALTER TABLE parcel DROP COLUMN village_id",
                      "DROP TABLE parcel",
                      "SET ROLE postgres"):
        with pytest.raises(DatabaseError, match="must be owner|permission denied"):
            db.execute_sql(statement)
    with village_context(1):
        assert names() == ["kebun", "sawah"]


def test_the_wall_is_built_once_and_shows_in_the_schema_snapshot(parcels):
    with as_owner():
        before = schema_sql(db)
        with db.atomic():
            db.build_wall()
        assert schema_sql(db) == before
    assert 'ALTER TABLE "parcel" FORCE ROW LEVEL SECURITY;' in before
    assert ('CREATE POLICY "across" ON "parcel" AS PERMISSIVE FOR SELECT TO balai_across '
            "USING (( SELECT (CURRENT_USER = 'balai_across'::name)));") in before
    assert "village" not in {line.split('"')[1] for line in before.splitlines()
                             if line.startswith("ALTER TABLE") and "ROW LEVEL" in line}



def test_migrate_walls_every_table_that_gains_a_village_key(parcels):
    """As when the steps that key the village tables run: whatever has village_id is walled."""
    with as_owner():
        db.execute_sql("CREATE TABLE plot (id serial PRIMARY KEY, village_id integer NOT NULL, "
                       "name text NOT NULL); INSERT INTO plot (village_id, name) "
                       "VALUES (1, 'petak'), (2, 'blok')")
    result = parcels.test_cli_runner().invoke(args=["migrate", "--no-backup"])
    assert result.exit_code == 0, result.output
    with village_context(2):
        assert db.execute_sql("SELECT name FROM plot").fetchall() == [("blok",)]


def test_a_wall_built_by_an_older_version_is_built_again(parcels):
    """Policies of an older version (no mark) are written again by the next migrate: each
    setting read once per statement, in a scalar subquery."""
    with as_owner():
        db.execute_sql("ALTER POLICY across ON parcel USING (CURRENT_USER = 'balai_across'); "
                       "COMMENT ON POLICY across ON parcel IS NULL")
        with db.atomic():
            db.build_wall()
        policies = dict(db.execute_sql("SELECT policyname, qual FROM pg_policies "
                                       "WHERE tablename = 'parcel'").fetchall())
    assert all("( SELECT" in qual for qual in policies.values()), policies
    with village_context(2):
        assert names() == ["tambak"]
    with across_villages():
        assert names() == ["kebun", "sawah", "tambak"]
