"""The schema's history as SQL text, on each engine: today's models make exactly the latest
snapshot, and every older snapshot, upgraded step by step, ends there too. A model changed without
a step (and its snapshots: `flask --app app schema-snapshot`, once with each engine's
DATABASE_URL) fails here. Each test runs on the engine of the test run, with that engine's
snapshots."""
import shutil

import pytest
from peewee import CharField

from balai import migrate
from balai.migrate import SNAPSHOTS, models_schema_sql, schema_sql, snapshot_path, unwrapped
from balai.migrations import LATEST, STEPS
from balai.people.models import Person
from tests.support.migrations import ENGINE, downgraded, row_counts, schema_of, snapshot


def test_every_step_has_its_snapshots_and_the_models_make_the_latest(app, db):
    assert [step.version for step in STEPS] == list(range(1, LATEST + 1))
    assert all(snapshot_path(step.version, engine).exists()
               for step in STEPS for engine in ("sqlite", "postgresql"))
    assert models_schema_sql(unwrapped()) == snapshot(LATEST), (
        f"The models' schema on {ENGINE} differs from the latest snapshot: write a step in "
        "balai/migrations and run `flask --app app schema-snapshot` on each engine.")


def test_a_new_database_is_made_at_the_latest_version(app, db):
    assert db.execute_sql("SELECT version FROM schema_version").fetchone() == (LATEST,)
    assert schema_sql(db) == snapshot(LATEST)


@pytest.mark.parametrize("version", range(1, LATEST))
def test_an_older_snapshot_upgrades_to_the_latest(app, tmp_path, version):
    downgraded(tmp_path, version)
    assert schema_of(tmp_path) == snapshot(version)
    result = app.test_cli_runner().invoke(args=["migrate", "--no-backup"])
    assert result.exit_code == 0, result.output
    assert schema_of(tmp_path) == snapshot(LATEST)
    assert row_counts(tmp_path)["schema_version"] == 1


def test_a_model_changed_without_a_step_gets_no_snapshot(app, tmp_path, monkeypatch):
    monkeypatch.setattr(migrate, "SNAPSHOTS", tmp_path / "snapshots")
    shutil.copytree(SNAPSHOTS, migrate.SNAPSHOTS)
    Person._meta.add_field("nickname", CharField(null=True))
    try:
        assert '"nickname"' in models_schema_sql(unwrapped())
        result = app.test_cli_runner().invoke(args=["schema-snapshot"])
    finally:
        Person._meta.remove_field("nickname")
    assert result.exit_code != 0 and f"tulis langkah {LATEST + 1:04d}" in result.output
    assert snapshot_path(LATEST, ENGINE).read_text() == models_schema_sql(unwrapped())
