"""The task queue: one huey per app, built by the app factory; each area registers its tasks.

huey names a task by its module path and takes a message off the queue before running it, so the
queue is never the only record of work: each kind of task names what the database says is
unfinished, and the worker re-queues all of it when it starts and at every sweep. A message
queued under a name that no longer exists (a task module moved in an upgrade) is therefore not
lost, and tasks are safe to run twice.

Where the work runs (BALAI_WORKER): a consumer process of its own (`huey_consumer worker.huey`,
the default), threads inside each web process (`inline`, for a host that runs no daemon), or
one round a minute from cron (`flask --app app run-pending`). Any number of them may run at
once (each web process runs its own threads): each message goes to one of them (taken off the
SQLite table in an exclusive transaction, or popped from the Redis list), and the copies that
every start-up sweep queues find their work done, as each task reads the database again (a
notification is claimed and marked sent, a deleted file is gone)."""
import atexit
import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from huey import RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from redis import ConnectionPool

from balai.db import db, now

log = logging.getLogger(__name__)

ROUND_SECONDS = 50  # run-pending stops taking tasks then: cron starts the next round a minute on


def make_huey(config):
    """huey on Redis when REDIS_URL is set (every web node and worker shares it), else on a
    SQLite file in the data folder."""
    immediate = bool(config["HUEY_IMMEDIATE"])
    if config["REDIS_URL"]:
        # Timeouts, so an unreachable Redis fails a request or a health check instead of hanging
        # it; longer than huey's blocking read (1 s).
        pool = ConnectionPool.from_url(config["REDIS_URL"], socket_connect_timeout=5,
                                       socket_timeout=10)
        return RedisHuey("balai", connection_pool=pool, immediate=immediate)
    return SqliteHuey("balai", filename=str(Path(config["DATA_DIR"]) / "huey.db"),
                      immediate=immediate)


class InlineConsumer(Consumer):
    """huey's consumer as threads of a web process: the web server keeps its signals."""

    def _set_signal_handlers(self):
        pass


def once_if(found):
    """A sweep's unfinished work for the queue: one run, now, when there is something to do."""
    return [((), None)] if found else []


class Queue:
    """The app's huey and its named tasks, each with the query that finds its unfinished work."""

    def __init__(self, app):
        self.app = app
        self.huey = make_huey(app.config)
        self.tasks, self.unfinished = {}, {}
        self.consumer, self.starting = None, threading.Lock()
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

    def run_pending(self):
        """One round, for a cron job: queue what the database says is due, then run every task
        that is due, once each; returns how many ran. Nothing keeps running afterwards."""
        self.recover()
        due, ran = self.huey.read_schedule(), 0
        deadline = time.monotonic() + ROUND_SECONDS
        while time.monotonic() < deadline:
            task = due.pop() if due else self.huey.dequeue()
            if task is None:
                break
            self.huey.execute(task)  # one not yet due goes back to the schedule
            ran += 1
        return ran

    def start_inline(self, workers=1):
        """BALAI_WORKER=inline: the consumer as threads of this process (a worker and huey's
        scheduler), started once, stopped (after the task in hand) when the process exits."""
        with self.starting:
            if self.consumer or self.huey.immediate:
                return
            self.consumer = InlineConsumer(self.huey, workers=workers, worker_type="thread",
                                           shutdown_timeout=10)
            self.consumer.start()
            atexit.register(self.consumer.stop, graceful=True)

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
