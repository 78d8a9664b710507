"""Background work (huey on SQLite). Tasks take ids, load fresh state, and are safe to run twice."""
import os
from pathlib import Path

from flask import current_app, has_app_context
from huey import SqliteHuey

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
