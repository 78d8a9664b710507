"""Real processes migrating one database: two at once take turns and the step runs once; one
killed in the middle of a step leaves the database at the version before it, every row there,
and the next migrate (here, in the test's own process) runs the step. The step
(tests/support/migrations.py) waits for a file. The lock is a file on SQLite, an advisory lock
on PostgreSQL."""
import subprocess
import sys
import time
from pathlib import Path

from balai.migrate import migrate
from balai.migrations import LATEST, STEPS
from tests.support.migrations import GO, RUNS, opened, row_counts, waiting_step

ROOT = Path(__file__).resolve().parents[2]


class Migrating:
    """A process migrating the data dir; what it prints goes to a file beside it."""

    def __init__(self, data_dir, name):
        self.output = data_dir.parent / f"{data_dir.name}-{name}.txt"
        with open(self.output, "w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.support.migrations", str(data_dir)],
                cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)

    def printed(self):
        return self.output.read_text()

    def finished(self):
        """What it printed, once it has ended well."""
        assert self.process.wait(timeout=60) == 0, self.printed()
        return self.printed()


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.05)


def state(data_dir):
    """(version, person's columns) of the test's database."""
    with opened(data_dir) as database:
        [version] = database.execute_sql("SELECT version FROM schema_version").fetchone()
        return version, [column.name for column in database.get_columns("person")]


def test_two_processes_at_once_take_turns_and_the_step_runs_once(app, tmp_path):
    first = Migrating(tmp_path, "first")
    wait_for(lambda: (tmp_path / RUNS).exists())  # the first is inside the step, holding the lock
    second = Migrating(tmp_path, "second")
    wait_for(lambda: "Menunggu migrasi lain" in second.printed())
    (tmp_path / GO).touch()
    assert f"{LATEST + 1:04d} a step that waits: selesai" in first.finished()
    assert f"sudah versi terbaru ({LATEST + 1})" in second.finished()
    assert (tmp_path / RUNS).read_text() == "ran\n"
    assert state(tmp_path)[0] == LATEST + 1


def test_a_process_killed_in_the_middle_of_a_step_leaves_the_version_before(app, tmp_path):
    before = row_counts(tmp_path)
    killed = Migrating(tmp_path, "killed")
    wait_for(lambda: (tmp_path / RUNS).exists())  # the column is added, not yet committed
    killed.process.kill()
    killed.process.wait()
    version, columns = state(tmp_path)
    assert version == LATEST and "nickname" not in columns
    assert row_counts(tmp_path) == before
    (tmp_path / GO).touch()
    migrate(app.config["DATA_DIR"], lambda version: None, steps=STEPS + [waiting_step(tmp_path)])
    version, columns = state(tmp_path)
    assert version == LATEST + 1 and "nickname" in columns
    assert row_counts(tmp_path) == before
