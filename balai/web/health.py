"""`/sehat`: what a load balancer or an uptime check asks a web node. 200 "ok" when the database
answers a query and the task queue (its SQLite file or Redis) answers too; 503 with the part that
failed otherwise. No login, no cookie, never cached; two small queries."""
import logging

from flask import Blueprint, current_app

from balai.db import db

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


def database_answers():
    db.execute_sql("SELECT 1").fetchone()


def queue_answers():
    current_app.extensions["queue"].huey.storage.queue_size()


CHECKS = {"database": database_answers, "queue": queue_answers}


@bp.get("/sehat")
def health():
    failed = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:  # whatever the backend raises, the node is unfit to serve
            log.warning("health check: %s does not answer: %s", name, error)
            failed.append(name)
    body, status = ("ok", 200) if not failed else (f"gagal: {', '.join(failed)}", 503)
    return body, status, {"Content-Type": "text/plain; charset=utf-8",
                          "Cache-Control": "no-store"}
