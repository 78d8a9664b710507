"""The task queue: one huey per app, built by the app factory; each area registers its tasks.

huey names a task by its module path and takes a message off the queue before running it, so the
queue is never the only record of work: each kind of task names what the database says is
unfinished, and the worker re-queues all of it when it starts and at every sweep. A message
queued under a name that no longer exists (a task module moved in an upgrade) is therefore not
lost, and tasks are safe to run twice."""
import logging
from contextlib import contextmanager
from pathlib import Path

from huey import SqliteHuey, crontab

from balai.db import db, now

log = logging.getLogger(__name__)


def once_if(found):
    """A sweep's unfinished work for the queue: one run, now, when there is something to do."""
    return [((), None)] if found else []


class Queue:
    """The app's huey and its named tasks, each with the query that finds its unfinished work."""

    def __init__(self, app):
        self.app = app
        self.huey = SqliteHuey("balai", filename=str(Path(app.config["DATA_DIR"]) / "huey.db"),
                               immediate=bool(app.config["HUEY_IMMEDIATE"]))
        self.tasks, self.unfinished = {}, {}
        minutes = int(app.config["SWEEP_MINUTES"])
        self.sweep = self.huey.periodic_task(crontab(minute=f"*/{minutes}"))(self.recover)
        self.horizon = minutes * 60
        self.huey.on_startup()(self.recover)

    def add(self, name, task, unfinished):
        """Register a task; `unfinished(horizon_seconds)` lists (args, due_at) still to do."""
        self.tasks[name], self.unfinished[name] = task, unfinished

    def enqueue(self, name, *args):
        """Hand work to the worker; if that fails, the next sweep finds it in the database."""
        try:
            self.tasks[name](*args)
        except Exception:  # the work is safe in the database; never break the caller's commit
            log.exception("Could not enqueue %s%s", name, args)

    def schedule(self, name, args, due_at):
        """Run now or at due_at (naive UTC, as stored); a duplicate finds its work done."""
        if due_at is None or due_at <= now():
            self.tasks[name](*args)
        elif not self.huey.immediate:  # immediate mode would run it now; tests sweep instead
            self.tasks[name].schedule(args, eta=due_at)

    def recover(self):
        """Queue everything the database says is due before the next sweep, for every task."""
        with self.context():
            for name, unfinished in self.unfinished.items():
                for args, due_at in unfinished(self.horizon):
                    self.schedule(name, args, due_at)

    @contextmanager
    def context(self):
        """The app and a database connection, closed afterwards only if this task opened it."""
        with self.app.app_context():
            opened = db.is_closed()
            if opened:
                db.connect()
            try:
                yield
            finally:
                if opened:
                    db.close()
