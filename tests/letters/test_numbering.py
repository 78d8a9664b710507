"""The register of outgoing letters: one running number a year, never twice, even in a race."""
import threading
import time

import peewee
import pytest

from balai import db as database
from balai.letters.register import RegisterEntry
from tests.support.village import make_request


def number(seq):
    return f"470/{seq:03}/2026"


def test_two_racing_approvals_get_two_consecutive_numbers(db, monkeypatch):
    assert db.engine != "sqlite" or db.pragma("journal_mode") == "wal"
    letters = [make_request(status="diperiksa"), make_request(status="diperiksa")]
    barrier = threading.Barrier(2, timeout=10)
    reads = []
    real_last_seq = RegisterEntry.last_seq.__func__

    def last_seq_slowly(cls, year):
        seq = real_last_seq(cls, year)
        reads.append(seq)
        time.sleep(0.2)  # the other approval arrives while this one holds its number
        return seq

    monkeypatch.setattr(RegisterEntry, "last_seq", classmethod(last_seq_slowly))
    taken, errors = [], []

    def approve(letter):
        try:
            with database.db.connection_context():
                barrier.wait()
                taken.append(RegisterEntry.take_number(2026, number, letter))
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=approve, args=(letter,)) for letter in letters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not errors
    # Taking a number begins IMMEDIATE: the second reads the last number only once the first
    # has committed it, so neither ever reads a number the other is taking.
    assert reads == [0, 1]
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
