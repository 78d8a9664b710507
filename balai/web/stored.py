"""Deleting stored files (uploads, photos) in step with a backup.

A backup copies the database and then the files its rows name while it holds deletions; a
deletion meanwhile waits (the app deletes a file only after the row naming it is gone), so no
row in the copy names a file the copy lacks. The lock is a file lock in the data dir, shared by
every process of the app."""
import fcntl
from contextlib import contextmanager
from pathlib import Path

from flask import current_app

LOCK_FILE = ".deletions.lock"


@contextmanager
def deletions_lock(data_dir, held=False):
    """Taken shared to delete; held (exclusive) by a backup, which no deletion then passes."""
    with open(Path(data_dir) / LOCK_FILE, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX if held else fcntl.LOCK_SH)
        yield  # closing the file lets go


def delete_stored(*paths):
    with deletions_lock(current_app.config["DATA_DIR"]):
        for path in paths:
            Path(path).unlink(missing_ok=True)
