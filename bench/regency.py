"""The regency's figures page with 300 villages and five years of letters (about 5M) stays
under 1 s: it reads the daily counts (balai.tally), never the letters. Fills the count tables
as five years of 300 busy villages would (COPY), then times /kabupaten/angka (twelve and
thirty-six months) and /kabupaten/ in-process, best of several rounds.

    tests/services/postgres.sh .venv/bin/python bench/regency.py [--villages 300] [--letters 5000000]
"""
import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from balai import create_app  # noqa: E402
from balai.db import db  # noqa: E402
from balai.figures.period import Period, shift  # noqa: E402
from balai.people.models import User  # noqa: E402
from balai.regency import figures as regency_figures  # noqa: E402
from balai.schema import create_tables  # noqa: E402
from balai.tally import buckets  # noqa: E402
from balai.tally.models import ActiveMonth, LetterDay, LetterMonth, StepTime  # noqa: E402
from balai.villages.context import across_villages  # noqa: E402
from balai.villages.models import Village  # noqa: E402

TYPES = ["domisili", "tidak-mampu", "usaha", "kelahiran", "kematian", "pindah", "kehilangan",
         "belum-menikah"]
STEPS = ["diajukan", "diverifikasi", "diperiksa"]
YEARS, ROUNDS = 5, 5


def fill(villages, letters, rng):
    """Count rows for `letters` spread over YEARS years of `villages` villages."""
    first = datetime.date.today().replace(day=1) - datetime.timedelta(days=365 * YEARS)
    days = [first + datetime.timedelta(days=n) for n in range(365 * YEARS)]
    per_day = letters / villages / len(days)
    with db.atomic():
        ids = [Village.create(name=f"Desa Uji {n:03d}", kecamatan=f"Kecamatan {n // 12:02d}").id
               for n in range(villages)]
    fields = [LetterDay.village, LetterDay.day, LetterDay.letter_type, LetterDay.filed,
              LetterDay.returned, LetterDay.rejected, LetterDay.issued]
    for village in ids:
        rows, by_month = [], {}
        for day in days:
            for slug in rng.sample(TYPES, k=min(len(TYPES), max(1, round(per_day)))):
                filed = rng.randint(1, 2)
                counts = (filed, int(rng.random() < 0.1), int(rng.random() < 0.03), filed)
                rows.append((village, day, slug, *counts))
                month = by_month.setdefault((day.strftime("%Y-%m"), slug), [0, 0, 0, 0])
                month[:] = [a + b for a, b in zip(month, counts)]
        months = sorted({day.strftime("%Y-%m") for day in days})
        steps = [(village, month, step, bucket, rng.randint(1, 40)) for month in months
                 for step in STEPS for bucket in range(10, 10 + rng.randint(20, 30))]
        with db.atomic():
            db.copy_rows(LetterDay, fields, rows)
            db.copy_rows(LetterMonth, [LetterMonth.village, LetterMonth.month,
                                       LetterMonth.letter_type, LetterMonth.filed,
                                       LetterMonth.returned, LetterMonth.rejected,
                                       LetterMonth.issued],
                         [(village, month, slug, *sums)
                          for (month, slug), sums in by_month.items()])
            db.copy_rows(StepTime, [StepTime.village, StepTime.month, StepTime.step,
                                    StepTime.bucket, StepTime.decisions], steps)
            db.copy_rows(ActiveMonth, [ActiveMonth.village, ActiveMonth.month,
                                       ActiveMonth.residents],
                         [(village, month, rng.randint(200, 900)) for month in months])
    db.execute_sql("ANALYZE")
    return LetterDay.select().count(), StepTime.select().count()


def best(client, url):
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return min(times)


def time_pages(client):
    """The figures page over 12 and 36 months and the list of villages, as a logged-in
    regency account's client asks for them."""
    first = "{:04d}-{:02d}".format(*shift(*today(), -35))
    for label, url in (("figures, 12 months", "/kabupaten/angka"),
                       ("figures, 36 months", f"/kabupaten/angka?dari={first}"),
                       ("villages, 12 months", "/kabupaten/")):
        print(f"{label}: {best(client, url) * 1000:.0f} ms (best of {ROUNDS})")


def gathering(months):
    """The figures' queries alone (balai.regency.figures.gather), over the last `months`."""
    period = Period.of("Asia/Jakarta", first="%04d-%02d" % shift(*today(), -(months - 1)))
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        regency_figures.gather(period)
        times.append(time.perf_counter() - started)
    print(f"  the queries of {months} months: {min(times) * 1000:.0f} ms")


def today():
    day = datetime.date.today()
    return day.year, day.month


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--letters", type=int, default=5_000_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Perlu PostgreSQL: tests/services/postgres.sh .venv/bin/python bench/regency.py")
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app({"TESTING": True, "DATA_DIR": data_dir, "SECRET_KEY": "bench",
                          "WTF_CSRF_ENABLED": False,
                          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"})
        with app.app_context():
            create_tables()
            with db.connection_context():
                started = time.monotonic()
                days, steps = fill(args.villages, args.letters, random.Random(1))
                print(f"{args.villages} villages: {days} letter-day rows, {steps} step-bucket "
                      f"rows, filled in {time.monotonic() - started:.0f} s")
                User.add_official("kabupaten", "kabupaten", "Dinas PMD", "bench-sandi-123")
            with db.connection_context(), across_villages():
                gathering(12)
                gathering(36)
        client = app.test_client()
        client.post("/masuk", data={"login": "kabupaten", "password": "bench-sandi-123"})
        time_pages(client)
    print(f"step-time error bound: {buckets.ERROR_BOUND:.1%}")


if __name__ == "__main__":
    main()
