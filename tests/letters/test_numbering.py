"""The register of outgoing letters: one running number a year, never twice, even in a race."""
import threading

import peewee
import pytest

from balai import db as database
from balai.letters.register import RegisterEntry
from tests.support.village import make_request


def number(seq):
    return f"470/{seq:03}/2026"


def test_two_racing_approvals_get_two_consecutive_numbers(db, monkeypatch):
    assert db.pragma("journal_mode") == "wal"
    letters = [make_request(status="diperiksa"), make_request(status="diperiksa")]
    barrier = threading.Barrier(2, timeout=10)
    first_read, reads = threading.local(), []
    real_last_seq = RegisterEntry.last_seq.__func__

    def last_seq_then_wait(cls, year):
        seq = real_last_seq(cls, year)
        reads.append(seq)
        if not getattr(first_read, "done", False):  # a retry after losing must not wait again
            first_read.done = True
            barrier.wait()
        return seq

    monkeypatch.setattr(RegisterEntry, "last_seq", classmethod(last_seq_then_wait))
    taken, errors = [], []

    def approve(letter):
        try:
            with database.db.connection_context():
                taken.append(RegisterEntry.take_number(2026, number, letter))
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=approve, args=(letter,)) for letter in letters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not errors
    # Both read 0 at the barrier; the loser read again (maybe more than once, while the winner
    # had not committed yet) until it saw 1.
    assert reads[:2] == [0, 0] and reads[-1] == 1 and len(reads) >= 3
    assert sorted(entry.seq for entry in taken) == [1, 2]
    assert sorted(entry.number for entry in taken) == ["470/001/2026", "470/002/2026"]
    assert RegisterEntry.select().count() == 2


def test_the_number_restarts_each_year(db):
    letter = make_request(status="diperiksa")
    years = (2026, 2026, 2027, 2026)
    seqs = [RegisterEntry.take_number(year, number, letter).seq for year in years]
    assert seqs == [1, 2, 1, 3]


def test_the_database_refuses_a_duplicate_number(db):
    letter = make_request(status="diperiksa")
    RegisterEntry.take_number(2026, number, letter)
    with pytest.raises(peewee.IntegrityError):
        with db.atomic():
            RegisterEntry.create(year=2026, seq=1, number="470/001/2026", request=letter)
