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
notification is claimed and marked sent, a deleted file is gone).

Every task works for one village: it takes the village's id (`village=`, added by `enqueue` and
`schedule` from the village the caller works for) and runs inside `village_context`. The sweep
asks each village for its unfinished work and queues it with that village's id; a task of the
whole installation (`across=True`: the stray-file sweep) runs across villages. A message queued
before villages were kept apart has no village: it is dropped, and the sweep queues its work
again from the database."""
import atexit
import functools
import logging
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from huey import RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from redis import ConnectionPool

from balai.db import db, now
from balai.villages.context import (
    ACROSS,
    REGENCY,
    across_villages,
    current_village_id,
    is_regency,
    regency_context,
    village_context,
)
from balai.villages.models import Village

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
        self.tasks, self.unfinished, self.across = {}, {}, set()
        self.consumer, self.starting = None, threading.Lock()
        minutes = int(app.config["SWEEP_MINUTES"])
        self.sweep = self.huey.periodic_task(crontab(minute=f"*/{minutes}"))(self.recover)
        self.horizon = minutes * 60
        self.huey.on_startup()(self.recover)

    def task(self):
        """A huey task (named, as huey names it, after the function) that takes the village it
        works for, `village=`, and runs in that village with the app and a connection."""
        def decorate(function):
            @functools.wraps(function)
            def for_village(*args, village=None):
                if village is None:  # queued before villages: the sweep queues it again
                    log.warning("Dropped %s%s: no village (queued before the upgrade)",
                                function.__name__, args)
                    return None
                working_for = (across_villages() if village == ACROSS else regency_context()
                               if village == REGENCY else village_context(village))
                with self.context(), working_for:
                    return function(*args)
            return self.huey.task()(for_village)
        return decorate

    def add(self, name, task, unfinished, across=False):
        """Register a task; `unfinished(horizon_seconds)` lists (args, due_at) still to do, in
        the village it is asked in (or, for a task `across` villages, in every village)."""
        self.tasks[name], self.unfinished[name] = task, unfinished
        if across:
            self.across.add(name)

    def enqueue(self, name, *args):
        """Hand work to the worker; if that fails, the next sweep finds it in the database."""
        try:
            self.tasks[name](*args, village=self.village_of(name))
        except Exception:  # the work is safe in the database; never break the caller's commit
            log.exception("Could not enqueue %s%s", name, args)

    def schedule(self, name, args, due_at, village=None):
        """Run now or at due_at (naive UTC, as stored); a duplicate finds its work done. For
        the village the caller works for, unless it names one."""
        village = village or self.village_of(name)
        if due_at is None or due_at <= now():
            self.tasks[name](*args, village=village)
        elif not self.huey.immediate:  # immediate mode would run it now; tests sweep instead
            self.tasks[name].schedule(args, {"village": village}, eta=due_at)

    def village_of(self, name):
        """The village a task queued now works for: the caller's (or the regency office's, for
        its own accounts' notifications), or every village for a task across villages."""
        if name in self.across:
            return ACROSS
        return REGENCY if is_regency() else current_village_id()

    def recover(self):
        """Queue everything the database says is due before the next sweep, for every task
        and every village."""
        with self.context():
            with across_villages():
                villages = [row.id for row in Village.select(Village.id).order_by(Village.id)]
                self.queue_unfinished(self.across, ACROSS)
            for village in villages:
                with village_context(village):
                    self.queue_unfinished(set(self.unfinished) - self.across, village)

    def queue_unfinished(self, names, village):
        for name in sorted(names):
            for args, due_at in self.unfinished[name](self.horizon):
                self.schedule(name, args, due_at, village)

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
