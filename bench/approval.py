"""Approval to signed PDF, as the Kades's inbox does it: open the key with the passphrase, number,
render, sign, store, commit. Median over 50 letters, and letters per minute on one process
(one approval at a time, and a batch with one passphrase entry). Demo data, temp data dir.

Run: .venv/bin/python bench/approval.py
"""
import datetime
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from balai import (
    create_app,  # noqa: E402
    schema,
)
from balai import db as database  # noqa: E402
from balai.demo import seed  # noqa: E402
from balai.letters.issuance import issue_letter, issue_many, signer_of  # noqa: E402
from balai.letters.models import LetterRequest, LetterType
from balai.people.models import Person, User  # noqa: E402
from balai.storage import documents  # noqa: E402

LETTERS = 50


def waiting_letters(count):
    """`count` requests at the Kades's step, for the demo residents in turn."""
    people = list(Person.select())
    letter_type = LetterType.get(LetterType.slug == "domisili")
    return [LetterRequest.create(person=people[n % len(people)], letter_type=letter_type,
                                 status="diperiksa", purpose="Melamar pekerjaan",
                                 created_by=User.get(User.person == people[n % len(people)]),
                                 form_key=secrets.token_hex(8), submitted_at=database.now())
            for n in range(count)]


def one_by_one(app, kades):
    """Each approval as the detail page does it: the passphrase opens the key, then issue."""
    timings = []
    for letter in waiting_letters(LETTERS):
        start = time.perf_counter()
        signer = signer_of(kades, seed.DEMO_SIGNING_PASSPHRASE, app.config)
        issued = issue_letter(letter.id, kades, "", letter.version, signer=signer)
        timings.append(time.perf_counter() - start)
        assert issued.status == "selesai" and issued.sha256
    return timings


def batch(app, kades):
    """Batches of 20 with one passphrase entry each: seconds for LETTERS letters."""
    letters = waiting_letters(LETTERS)
    start = time.perf_counter()
    for first in range(0, LETTERS, 20):
        signer = signer_of(kades, seed.DEMO_SIGNING_PASSPHRASE, app.config)
        picks = [(letter.id, letter.version) for letter in letters[first:first + 20]]
        assert not any(outcome.error for outcome in issue_many(picks, kades, signer))
    return time.perf_counter() - start


def main():
    app = create_app({"TESTING": True, "DATA_DIR": tempfile.mkdtemp(), "SECRET_KEY": "bench"})
    schema.create_tables()
    with app.app_context(), database.db.connection_context():
        seed.seed_demo(documents(app))
        kades = User.by_login("kades")
        one_by_one(app, kades)  # warm-up: fonts, templates, first files
        timings = one_by_one(app, kades)
        batch_seconds = batch(app, kades)
    median = statistics.median(timings)
    print(f"approval to signed PDF (P-256, {LETTERS} letters): median {median * 1000:.0f} ms, "
          f"p90 {statistics.quantiles(timings, n=10)[-1] * 1000:.0f} ms, "
          f"max {max(timings) * 1000:.0f} ms")
    print(f"one at a time: {60 / statistics.mean(timings):.0f} letters/min; "
          f"batches of 20, one passphrase each: {LETTERS / batch_seconds * 60:.0f} letters/min")
    print(f"{datetime.datetime.now():%Y-%m-%d %H:%M}, Python {sys.version.split()[0]}, "
          "one process")


if __name__ == "__main__":
    main()
