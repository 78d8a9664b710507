"""Background work (huey on SQLite). Tasks take ids, load fresh state, and are safe to run twice."""
import os
from contextlib import contextmanager
from pathlib import Path

from flask import current_app, has_app_context
from huey import SqliteHuey, crontab

DATA_DIR = Path(os.environ.get("BALAI_DATA_DIR", Path(__file__).resolve().parent / "data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)
huey = SqliteHuey("balai", filename=str(DATA_DIR / "huey.db"),
                  immediate=os.environ.get("BALAI_HUEY_IMMEDIATE") == "1")

_app = None


def app_context():
    """The running app's context inside a web request (immediate mode), else the worker's own."""
    global _app
    if has_app_context():
        return current_app.app_context()
    if _app is None:
        from app import create_app
        _app = create_app()
    return _app.app_context()



@contextmanager
def task_context():
    """The app and a database connection, closed afterwards only if this task opened it."""
    import models
    with app_context():
        opened = models.db.is_closed()
        if opened:
            models.db.connect()
        try:
            yield
        finally:
            if opened:
                models.db.close()


# How often the sweep runs, in minutes; huey checks periodic tasks once a minute (and at start).
SWEEP_MINUTES = int(os.environ.get("BALAI_NOTIFY_SWEEP_MINUTES", "1"))


@huey.task()
def deliver(notification_id):
    """Deliver one notification; after a failure, the next attempt is scheduled at its time."""
    import notify
    with task_context():
        if notify.deliver(notification_id) == "retry":
            for row_id, due_at in notify.pending(notification_id):
                schedule(row_id, due_at)


@huey.periodic_task(crontab(minute=f"*/{SWEEP_MINUTES}"))
def sweep():
    """Queue every pending notification due before the next sweep: a lost enqueue or a killed
    worker delays a message by at most a sweep period (plus the lease of a claimed row)."""
    import notify
    with task_context():
        for row_id, due_at in notify.due_soon(SWEEP_MINUTES * 60):
            schedule(row_id, due_at)


def schedule(notification_id, due_at):
    """Deliver now or at due_at (naive UTC, as stored); a duplicate finds the row claimed."""
    from models.people import now
    if due_at <= now():
        deliver(notification_id)
    elif not huey.immediate:  # in immediate mode nothing would ever run it; tests sweep instead
        deliver.schedule((notification_id,), eta=due_at)
