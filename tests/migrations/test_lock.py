"""Real processes migrating one database: two at once take turns and the step runs once; one
killed in the middle of a step leaves the database at the version before it, every row there,
and the next migrate runs the step. The step (tests/support/migrations.py) waits for a file."""
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from balai.migrations import LATEST
from tests.support.migrations import GO, RUNS, row_counts

ROOT = Path(__file__).resolve().parents[2]


def start(data_dir, name):
    """A process migrating the data dir; what it prints goes to a file named `name`."""
    output = open(data_dir.parent / f"{data_dir.name}-{name}.txt", "w")
    process = subprocess.Popen([sys.executable, "-m", "tests.support.migrations", str(data_dir)],
                               cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    process.output = Path(output.name)
    output.close()
    return process


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.05)


def state(data_dir):
    """(version, person's columns) of the data dir's database."""
    with closing(sqlite3.connect(data_dir / "balai.db")) as connection:
        [version] = connection.execute("SELECT version FROM schema_version").fetchone()
        return version, [row[1] for row in connection.execute("PRAGMA table_info(person)")]


def finished(process):
    assert process.wait(timeout=60) == 0, process.output.read_text()
    return process.output.read_text()


def test_two_processes_at_once_take_turns_and_the_step_runs_once(app, tmp_path):
    first = start(tmp_path, "first")
    wait_for(lambda: (tmp_path / RUNS).exists())  # the first is inside the step, holding the lock
    second = start(tmp_path, "second")
    wait_for(lambda: "Menunggu migrasi lain" in second.output.read_text())
    (tmp_path / GO).touch()
    assert "0003 a step that waits: selesai" in finished(first)
    assert f"sudah versi terbaru ({LATEST + 1})" in finished(second)
    assert (tmp_path / RUNS).read_text() == "ran\n"
    assert state(tmp_path)[0] == LATEST + 1


def test_a_process_killed_in_the_middle_of_a_step_leaves_the_version_before(app, tmp_path):
    before = row_counts(tmp_path)
    first = start(tmp_path, "killed")
    wait_for(lambda: (tmp_path / RUNS).exists())  # the column is added, not yet committed
    first.kill()
    first.wait()
    version, columns = state(tmp_path)
    assert version == LATEST and "nickname" not in columns
    assert row_counts(tmp_path) == before
    (tmp_path / GO).touch()
    finished(start(tmp_path, "again"))
    version, columns = state(tmp_path)
    assert version == LATEST + 1 and "nickname" in columns
    assert row_counts(tmp_path) == before
