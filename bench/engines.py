"""SQLite and PostgreSQL side by side, in one run, on the same machine:

- throughput (wrk) of the home page and of an official's inbox, each served by gunicorn (two
  sync workers, as balai-web.service starts it with fewer cores) on the demo village, as the
  time a page takes over the time a bare Flask page takes on the same gunicorn;
- approval to signed PDF (bench/approval.py) on each engine;
- with --bulk, bench/bulk.py on PostgreSQL: the pages on 100k residents and 1M letters against
  the demo village, each within 1.2x.

PostgreSQL (and Redis, unused here) come from tests/services/postgres.sh, which starts a
throwaway server (durability off: fsync and synchronous_commit) and stops it afterwards:

    tests/services/postgres.sh .venv/bin/python bench/engines.py [--bulk] [--big-db NAME]
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from balai.demo.bulk import IN_FLIGHT  # noqa: E402
from bench import bulk  # noqa: E402
from bench.server import BIN, ROOT, flask, free_port, wait_until_up  # noqa: E402

DURATION = os.environ.get("DURATION", "10s")
CONNECTIONS = os.environ.get("CONNECTIONS", "8")
ROUNDS = int(os.environ.get("ROUNDS", "2"))
WORKERS = os.environ.get("WORKERS", "2")
PAGES = {"beranda": "/", "kotak masuk": "/kotak-masuk"}


def server_url(name):
    """DATABASE_URL (the PostgreSQL server postgres.sh started) naming another database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgresql://", "postgres://")):
        sys.exit("Perlu PostgreSQL: tests/services/postgres.sh .venv/bin/python bench/engines.py")
    return urlunsplit(urlsplit(url)._replace(scheme="postgresql", path=f"/{name}"))


def fresh_database(name):
    """An empty database of that name on the server (made again if it was there)."""
    import psycopg
    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url(name)


def village_env(data_dir, engine, database="bench_demo"):
    """The environment of a demo village in data_dir on the engine (made and seeded)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BALAI_") and k != "REDIS_URL"}
    env.update(BALAI_DATA_DIR=str(data_dir), BALAI_SECRET_KEY="bench")
    env.pop("DATABASE_URL", None)
    if engine == "postgresql":
        env["DATABASE_URL"] = fresh_database(database)
    return env


@contextmanager
def gunicorn(factory, env):
    port = free_port()
    process = subprocess.Popen([str(BIN / "gunicorn"), factory, "--bind", f"127.0.0.1:{port}",
                                "--workers", WORKERS, "--no-control-socket"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, 60)
        yield url
    finally:
        process.terminate()
        process.wait(30)


def session_cookie(url, login):
    """The Cookie header of a browser logged in as one of the demo accounts."""
    import requests
    session = requests.Session()
    page = session.get(f"{url}/masuk").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = session.post(f"{url}/masuk", allow_redirects=False, data={
        "csrf_token": token, "login": login, "password": "sukamaju123"})
    assert answer.status_code == 303, answer.text[:300]
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def requests_per_second(url, cookie=None):
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}",
               "-H", "Accept-Encoding: br, gzip"] + (["-H", f"Cookie: {cookie}"] if cookie else [])
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        sys.exit(f"{url} answered with errors:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def throughput(tmp):
    """Best requests per second of each page on each engine, and of the bare page, measured in
    turns (every server runs side by side; an idle one costs nothing)."""
    with ExitStack() as servers:
        targets = {("hello", ""): (servers.enter_context(gunicorn("bench.hello:create_app()",
                                                                  dict(os.environ))) + "/", None)}
        for engine in ("sqlite", "postgresql"):
            env = village_env(Path(tmp) / engine, engine)
            flask(env, "init-db")
            flask(env, "seed-demo")
            url = servers.enter_context(gunicorn("app:create_app()", env))
            cookie = session_cookie(url, "kasipem")
            for page, path in PAGES.items():
                targets[(page, engine)] = (url + path, cookie if path != "/" else None)
        best = {}
        for _ in range(ROUNDS):
            for key, (url, cookie) in targets.items():
                best[key] = max(best.get(key, 0), requests_per_second(url, cookie))
    hello = best.pop(("hello", ""))
    print(f"Throughput (gunicorn, {WORKERS} sync workers, wrk {CONNECTIONS} connections, "
          f"best of {ROUNDS} x {DURATION}); bare Flask page: {hello:.0f} req/s")
    for page in PAGES:
        line = [f"  {page:12}"]
        for engine in ("sqlite", "postgresql"):
            rps = best[(page, engine)]
            line.append(f"{engine} {rps:6.0f} req/s ({hello / rps:4.2f}x the bare page)")
        print("   ".join(line))


def approval(tmp):
    """bench/approval.py's first line on each engine."""
    print("Approval to signed PDF (bench/approval.py, one process):")
    for engine in ("sqlite", "postgresql"):
        env = village_env(Path(tmp) / f"approval-{engine}", engine, "bench_approval")
        env.pop("BALAI_DATA_DIR")
        out = subprocess.run([sys.executable, "bench/approval.py"], cwd=ROOT, env=env,
                             capture_output=True, text=True, check=True).stdout.splitlines()
        print(f"  {engine:10} {out[0].split(': ', 1)[1]}; {out[1]}")


def bulk_on_postgresql(tmp, big_db, residents, letters):
    """bench/bulk.py's pages on PostgreSQL: demo village vs 100k residents and 1M letters."""
    small_env = bulk.postgresql_env(Path(tmp) / "bulk-small", fresh_database("bench_small"))
    bulk.seed(small_env, 1000, IN_FLIGHT)
    big_env = bulk.postgresql_env(Path(tmp) / "bulk-big", big_db and server_url(big_db)
                                  or fresh_database("bench_big"))
    started = time.monotonic()
    if not big_db:
        bulk.seed(big_env, residents, letters)
    print(f"Bulk on PostgreSQL: {residents} residents, {letters} letters "
          + (f"(database {big_db}, seeded before)" if big_db
             else f"(seeded in {time.monotonic() - started:.0f} s)"))
    bulk.compare(small_env, big_env)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bulk", action="store_true", help="the bulk pages on PostgreSQL too")
    parser.add_argument("--big-db", help="a database seeded with the bulk data before (reused)")
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--letters", type=int, default=1_000_000)
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="balai-engines-") as tmp:
        if not args.skip_throughput:
            throughput(tmp)
            approval(tmp)
        if args.bulk or args.big_db:
            bulk_on_postgresql(tmp, args.big_db, args.residents, args.letters)


if __name__ == "__main__":
    main()
