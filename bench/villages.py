"""One village among 300 costs about what it costs alone, and the regency's figures stay quick.

On PostgreSQL, as the app's own role (the wall between villages up), two databases:
- one village: the demo village plus M bulk residents and L letters (`seed-bulk --residents`);
- N villages: the same village 1 and N-1 test villages of M residents and L letters each
  (`seed-bulk --villages N`; 300 x 5000 make 1.5M residents and 5M letters).
Times village 1's home page (from the public page cache and rendered) and kasipem's inbox on
village 1's host in both, alternating (bench/bulk.py), and prints the ratios (goal: <= 1.2x);
then, on the big one, the regency's figures page for 12 and 36 months and its list of
villages (goal: under 1 s; it reads the daily counts, never the letters).

    tests/services/postgres.sh .venv/bin/python bench/villages.py [--villages 300] \\
        [--residents-per-village 5000] [--big-db NAME --big-dir DIR]

Seeding the big database takes long: --big-db NAME and --big-dir DIR keep it (on the server
DATABASE_URL names) and reuse it as it is when it has tables; `seed-bulk --villages` run again
on it continues a seed that was stopped.
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bulk, engines  # noqa: E402
from bench.regency import time_pages  # noqa: E402
from bench.server import flask  # noqa: E402
from tests.support.villages import login_on  # noqa: E402

REGENCY_HOST = "kabupaten.desa.test"
REGENCY_LOGIN, REGENCY_PASSWORD = "kabupaten", "bench-sandi-123"


def database_env(data_dir, owner_url):
    """A village's environment on that database, connecting as the app's role when the server
    has one (tests/services/postgres.sh: BALAI_TEST_APP_ROLE), the owner making the tables."""
    role = os.environ.get("BALAI_TEST_APP_ROLE")
    parts = urlsplit(owner_url)
    app_url = urlunsplit(parts._replace(netloc=f"{role}@{parts.netloc.rpartition('@')[2]}")
                         ) if role else owner_url
    return {**bulk.postgresql_env(data_dir, app_url), "BALAI_OWNER_DATABASE_URL": owner_url}


def seed_villages(env, villages, residents, letters):
    Path(env["BALAI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    for args in (["init-db"], ["seed-demo"],
                 ["seed-bulk", "--villages", str(villages), "--residents-per-village",
                  str(residents), "--letters-per-village", str(letters)]):
        flask(env, *args)


def scale(env):
    """What the big database holds: villages with bulk letters, residents, letters, events,
    its size."""
    import psycopg
    with psycopg.connect(env["BALAI_OWNER_DATABASE_URL"]) as connection:
        return connection.execute(
            "SELECT (SELECT count(DISTINCT village_id) FROM letterrequest),"
            " (SELECT count(*) FROM person), (SELECT count(*) FROM letterrequest),"
            " (SELECT count(*) FROM letterevent),"
            " pg_size_pretty(pg_database_size(current_database()))").fetchone()


def regency_pages(env):
    """The regency's pages on the big database, in-process, best of several rounds."""
    from balai import create_app
    flask(env, "create-user", "--username", REGENCY_LOGIN, "--role", "kabupaten", "--name",
          "Dinas PMD", "--password", REGENCY_PASSWORD, check=False)  # made before: the name is taken
    app = create_app({"DATA_DIR": env["BALAI_DATA_DIR"], "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "REGENCY_HOST": REGENCY_HOST,
                      "DATABASE_URL": env["DATABASE_URL"],
                      "OWNER_DATABASE_URL": env["BALAI_OWNER_DATABASE_URL"]})
    client = login_on(app, REGENCY_HOST, REGENCY_LOGIN, REGENCY_PASSWORD)
    client.get("/kabupaten/angka")  # warm up: templates compiled
    time_pages(client)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--residents-per-village", type=int, default=5000)
    parser.add_argument("--big-db", help="the big database's name (kept; reused if seeded)")
    parser.add_argument("--big-dir", help="the big database's data folder (kept)")
    parser.add_argument("--per-round", type=int, default=bulk.PER_ROUND,
                        help="requests per timed round")
    args = parser.parse_args()
    from balai.demo.villages import HOST, letters_per_village
    letters = letters_per_village(args.residents_per_village)
    bulk.PER_ROUND = args.per_round
    with tempfile.TemporaryDirectory(prefix="balai-villages-") as tmp:
        one = database_env(Path(tmp) / "one", engines.fresh_database("bench_one"))
        bulk.seed(one, args.residents_per_village, letters)
        big = database_env(Path(args.big_dir or Path(tmp) / "big"),
                           engines.server_url(args.big_db) if args.big_db
                           else engines.fresh_database("bench_villages"))
        started = time.monotonic()
        if not bulk.seeded(big):
            seed_villages(big, args.villages, args.residents_per_village, letters)
            print(f"seed {time.monotonic() - started:.0f} s")
        villages, people, requests, events, size = scale(big)
        print(f"satu desa: demo + {args.residents_per_village} warga, {letters} surat; "
              f"banyak desa: {villages} desa, {people} warga, {requests} surat, {events} "
              f"peristiwa, {size}")
        bulk.compare(one, big, HOST.format(1))
        regency_pages(big)


if __name__ == "__main__":
    main()
