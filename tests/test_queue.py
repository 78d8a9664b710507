"""The task queue: built by the app factory, and re-queuing from the database every kind of task."""
import datetime
import os
import subprocess
import sys
from pathlib import Path

from balai.db import now

ROOT = Path(__file__).resolve().parent.parent


def test_importing_any_module_makes_no_file_and_no_queue(tmp_path):
    """Only create_app (or the worker's entry, which calls it) sets up data/ and the queue."""
    data = tmp_path / "data"
    code = ("import pkgutil, importlib, balai\n"
            "for module in pkgutil.walk_packages(balai.__path__, 'balai.'):\n"
            "    importlib.import_module(module.name)\n")
    env = dict(os.environ, BALAI_DATA_DIR=str(data), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_recover_queues_the_unfinished_work_of_every_kind(app):
    queue, done = app.extensions["queue"], []
    soon = now() + datetime.timedelta(seconds=30)
    later = now() + datetime.timedelta(hours=1)

    @queue.task()
    def tally(number):
        done.append(number)

    queue.add("tally", tally, lambda horizon: [((1,), None), ((2,), soon)]
              + ([((3,), later)] if horizon > 3600 else []))
    queue.recover()
    assert sorted(done) == [1]  # immediate mode: what is due now runs; the rest waits its time
    assert "deliver" in queue.tasks and "tally" in queue.tasks
