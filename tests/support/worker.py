"""The real huey consumer (`huey_consumer worker.huey`) on a test's data folder, and the queue
the test's app enqueues into (the same SQLite file, not immediate mode)."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import balai

ROOT = Path(balai.__file__).resolve().parent.parent  # where worker.py is


class HueyWorker:
    """The consumer in its own process group, on the test's data (and database)."""

    def __init__(self, data_dir, **settings):
        self.log_path = Path(data_dir) / "worker.log"
        self.env = dict(os.environ, BALAI_DATA_DIR=str(data_dir), BALAI_HUEY_IMMEDIATE="0",
                        BALAI_SECRET_KEY="test", PYTHONPATH=str(ROOT), **settings)
        self.process = None

    def __enter__(self):
        consumer = Path(sys.executable).parent / "huey_consumer"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(consumer), "worker.huey", "-k", "thread", "-w", "2"], cwd=ROOT,
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""


def wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
