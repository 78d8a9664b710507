"""The home page and the inbox on a big village cost about what they cost on a small one.

Seeds two databases: the demo village plus a few bulk residents and IN_FLIGHT waiting letters
(the same inbox, small tables), and the demo village plus a large population with years of
finished letters (same inbox, big tables). Times each page in-process, best of several rounds
(the one least disturbed by other load), two alternating runs each, and prints the ratio
big/small; the goal is <= 1.2x.

    .venv/bin/python bench/bulk.py [--residents 100000] [--letters 1000000] [--big-dir DIR]

--big-dir keeps (or reuses, if seeded already) the large database, which takes minutes to make.
On PostgreSQL: bench/engines.py --bulk.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS, PER_ROUND = 7, 200


def village_env(data_dir):
    """The environment of a village in data_dir, its SQLite database there."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "BALAI_DATA_DIR": str(data_dir), "BALAI_SECRET_KEY": "bench"}


def postgresql_env(data_dir, url):
    """The environment of a village in data_dir whose database is `url` (PostgreSQL)."""
    return {**village_env(data_dir), "DATABASE_URL": url}


def seeded(env):
    if "DATABASE_URL" not in env:
        return (Path(env["BALAI_DATA_DIR"]) / "balai.db").exists()
    from playhouse.db_url import connect
    with connect(env["DATABASE_URL"]) as database:
        return "person" in database.get_tables()


def seed(env, residents, letters):
    if seeded(env):
        return
    Path(env["BALAI_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    for args in (["init-db"], ["seed-demo"],
                 ["seed-bulk", "--residents", str(residents), "--letters", str(letters)]):
        subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", *args], cwd=ROOT, env=env,
                       check=True, stdout=subprocess.DEVNULL)


def timings(env, host="localhost"):
    """Best milliseconds per request for each page, on the village of env that answers on
    `host` (an installation of one village answers on any)."""
    code = f"""
import time
from balai import create_app
config = {{"DATA_DIR": {env["BALAI_DATA_DIR"]!r}, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench"}}
app = create_app(config)
uncached = create_app({{**config, "PUBLIC_PAGE_CACHE": False}})
anonymous, kasipem = app.test_client(), app.test_client()
headers = {{"Host": {host!r}, "Accept-Encoding": "br, gzip"}}
kasipem.post("/masuk", data={{"login": "kasipem", "password": "sukamaju123"}}, headers=headers)
for name, client, path in (("beranda", anonymous, "/"), ("beranda tanpa cache", uncached.test_client(), "/"),
                           ("kotak masuk", kasipem, "/kotak-masuk")):
    assert client.get(path, headers=headers).status_code == 200
    for _ in range({PER_ROUND}):  # warm up: templates compiled, caches filled
        client.get(path, headers=headers)
    rounds = []
    for _ in range({ROUNDS}):
        started = time.perf_counter()
        for _ in range({PER_ROUND}):
            client.get(path, headers=headers)
        rounds.append((time.perf_counter() - started) * 1000 / {PER_ROUND})
    print(name, min(rounds))
"""
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=False, env=env)
    if run.returncode:
        sys.exit(run.stderr)
    out = run.stdout
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in out.splitlines()}


def main():
    from balai.demo import bulk
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--letters", type=int, default=1_000_000)
    parser.add_argument("--big-dir", help="where to keep the large database (reused if present)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="balai-bulk-") as tmp:
        small = village_env(Path(tmp) / "small")
        big = village_env(Path(args.big_dir or Path(tmp) / "big"))
        seed(small, 1000, bulk.IN_FLIGHT)
        started = time.monotonic()
        seed(big, args.residents, args.letters)
        print(f"data besar: {args.residents} warga, {args.letters} surat "
              f"(disiapkan dalam {time.monotonic() - started:.0f} s)")
        compare(small, big)


def compare(small, big, big_host="localhost"):
    """Time each page on both villages, alternating (noise), and print the ratios."""
    runs = [timings(small), timings(big, big_host), timings(small), timings(big, big_host)]
    small_ms, big_ms = ({page: min(run[page] for run in pair) for page in pair[0]}
                        for pair in (runs[0::2], runs[1::2]))
    for page in small_ms:
        print(f"{page:20} kecil {small_ms[page]:6.2f} ms  besar {big_ms[page]:6.2f} ms  "
              f"rasio {big_ms[page] / small_ms[page]:.2f}x")

if __name__ == "__main__":
    main()
