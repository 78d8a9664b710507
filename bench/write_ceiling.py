"""How many write transactions one PostgreSQL server takes for Balai: the ceiling a farm meets
first, since every write transaction waits for the village database's one write lock (an
advisory lock: balai/dbms.py), as SQLite's BEGIN IMMEDIATE does.

Threads (as web nodes' request threads would) each run the write an official's page view makes
(an access-log row: read the population record, write one row, commit) as fast as they can, on the demo
village; printed: transactions per second for 1, 4 and 16 threads, and what that means in
villages at a busy village's rate of writes.

    tests/services/postgres.sh .venv/bin/python bench/write_ceiling.py [--seconds 10]
"""
import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.engines import fresh_database  # noqa: E402
from bench.server import flask  # noqa: E402

# A busy village's office day (8 h): 60 letters, each some 30 write transactions (the resident's
# steps, uploads, each official's opening and decision, notifications, the register), plus
# logins and the lapak: about 3,000 writes, or one every ten seconds.
BUSY_VILLAGE_WRITES_PER_SECOND = 3000 / (8 * 3600)


def run(threads, seconds):
    from balai.db import db
    from balai.people.audit import AccessLogEntry
    from balai.people.models import Person, User

    viewer = User.by_login("kasipem")
    person = Person.select().first()
    done, stop = [0] * threads, time.monotonic() + seconds

    def work(slot):
        while time.monotonic() < stop:
            with db.atomic():
                seen = Person.get_by_id(person.id)
                AccessLogEntry.record(viewer, seen.id, "penduduk", seen.id, "bench")
            done[slot] += 1
        db.close()

    workers = [threading.Thread(target=work, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=10)
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith(("postgresql://", "postgres://")):
        sys.exit("Perlu PostgreSQL: tests/services/postgres.sh .venv/bin/python "
                 "bench/write_ceiling.py")
    data_dir = tempfile.mkdtemp()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BALAI_") and k != "REDIS_URL"}
    env.update(BALAI_DATA_DIR=data_dir, BALAI_SECRET_KEY="bench",
               DATABASE_URL=fresh_database("bench_writes"))
    flask(env, "init-db")
    flask(env, "seed-demo")
    os.environ.update(env)

    from balai import create_app
    os.environ["BALAI_DATABASE_POOL_SIZE"] = "32"
    app = create_app()
    with app.app_context():
        from balai.db import db
        print(f"{'threads':>8} {'writes/s':>10} {'busy villages':>14}")
        for threads in (1, 4, 16):
            rate = run(threads, options.seconds)
            print(f"{threads:>8} {rate:>10.0f} {rate / BUSY_VILLAGE_WRITES_PER_SECOND:>14.0f}")
        db.obj.close_all()
    print(f"(a busy village: {BUSY_VILLAGE_WRITES_PER_SECOND:.2f} writes/s over an office day)")


if __name__ == "__main__":
    main()
