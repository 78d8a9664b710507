"""What the app relies on from either database engine (balai.dbms), checked on the one the suite
runs on: SQLite by default, PostgreSQL under `make test-postgres`. Every check runs on both."""
import os
import threading
import time

import pytest

from balai import db as database
from balai import dbms
from balai.db import change_stamp, now
from balai.letters.register import RegisterEntry
from balai.news.models import News, NewsIndex
from balai.people.models import User
from tests.support.postgres import needs_postgres
from tests.support.village import make_request

THREADS = 4


def together(job, count=THREADS):
    """Run job(i) in `count` threads, each with its own connection, started at one moment;
    the exceptions they raised."""
    barrier, errors = threading.Barrier(count, timeout=10), []

    def run(i):
        try:
            with database.db.connection_context():
                barrier.wait()
                job(i)
        except Exception as error:  # reported by the caller's assertion
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def test_a_transaction_that_reads_then_writes_loses_no_update(db):
    """Each transaction reads a counter, waits, writes it plus one: serialised, none is lost."""
    kades = User.get(User.username == "kades")
    start = kades.session_version

    def bump(_):
        for _ in range(3):
            with database.db.atomic():
                seen = User.get_by_id(kades.id).session_version
                time.sleep(0.01)  # the others try to read meanwhile
                User.update(session_version=seen + 1).where(User.id == kades.id).execute()

    assert together(bump) == []
    assert User.get_by_id(kades.id).session_version == start + 3 * THREADS


def test_a_write_outside_a_transaction_waits_for_the_writer(db):
    """A lone statement does not slip in between a transaction's read and its write."""
    kades = User.get(User.username == "kades")
    inside = threading.Event()
    order = []

    def job(i):
        if i == 0:
            with database.db.atomic():
                seen = User.get_by_id(kades.id).session_version
                inside.set()
                time.sleep(0.3)
                User.update(session_version=seen + 10).where(User.id == kades.id).execute()
                order.append("transaction")
        else:
            inside.wait(5)
            User.update(session_version=User.session_version + 1).where(
                User.id == kades.id).execute()
            order.append("statement")

    start = kades.session_version
    assert together(job, 2) == []
    assert order == ["transaction", "statement"]
    assert User.get_by_id(kades.id).session_version == start + 11


def test_concurrent_issuers_take_distinct_consecutive_numbers(db):
    letters = [make_request(status="diperiksa") for _ in range(THREADS)]
    taken = []

    def take(i):
        taken.append(RegisterEntry.take_number(2031, lambda seq: f"470/{seq:03}/2031", letters[i]))

    assert together(take) == []
    assert sorted(entry.seq for entry in taken) == list(range(1, THREADS + 1))
    assert len({entry.number for entry in taken}) == THREADS


def test_the_change_stamp_moves_when_another_connection_commits(db):
    kades = User.get(User.username == "kades")
    before = change_stamp()
    User.select().count()
    assert change_stamp() == before  # reading changes nothing
    written, go_on = threading.Event(), threading.Event()
    seen_while_uncommitted = []

    def job(i):
        if i == 0:
            with database.db.atomic():
                User.update(full_name="Kades Baru").where(User.id == kades.id).execute()
                written.set()
                go_on.wait(5)
        else:
            written.wait(5)
            time.sleep(0.05)
            seen_while_uncommitted.append(change_stamp())
            go_on.set()

    assert together(job, 2) == []
    # On SQLite the uncommitted write may already have touched the file; on PostgreSQL the
    # counter moves exactly at the commit. Never does the stamp stay put after it.
    if database.db.engine == "postgresql":
        assert seen_while_uncommitted == [before]
    assert change_stamp() != before


def test_news_search_takes_each_word_as_a_prefix_and_any_input(db):
    NewsIndex.delete().execute()
    News.delete().execute()
    items = {}
    for title, body in (("Posyandu balita bulan Juni", "Penimbangan dan imunisasi di balai desa."),
                        ("Kerja bakti", "Membersihkan saluran air menjelang posyandu."),
                        ("Pasar murah", "Beras dan minyak goreng murah.")):
        item = News(title=title, status="terbit", publish_at=now())
        item.set_body(body)
        item.save()
        items[title] = item.id

    def found(text):
        return [item.id for item in News.search(text)]

    # A title match ranks above a body match.
    assert found("posyan") == [items["Posyandu balita bulan Juni"], items["Kerja bakti"]]
    assert found("POSYANDU imuni") == [items["Posyandu balita bulan Juni"]]  # every word
    assert found("beras minyak") == [items["Pasar murah"]]
    assert found("beras sapi") == []
    for hostile in ('"', "AND OR NOT", "a:* & !b | (c", "title:beras", "'; DROP TABLE news; --",
                    "***", "NEAR(beras minyak)", ""):
        assert isinstance(News.search(hostile), list), hostile
    assert found("beras'") == [items["Pasar murah"]]


def test_a_deleted_item_leaves_the_search(db):
    item = News(title="Lomba tujuhbelasan", status="terbit", publish_at=now())
    item.set_body("Panjat pinang.")
    item.save()
    assert [news.id for news in News.search("tujuhbelas")] == [item.id]
    item.delete_instance()
    assert News.search("tujuhbelas") == []


@pytest.mark.parametrize("url, path", [("sqlite:///data/balai.db", "data/balai.db"),
                                       ("sqlite:////srv/balai/balai.db", "/srv/balai/balai.db")])
def test_a_sqlite_url_names_a_file(url, path):
    assert dbms.open_database(url).database == path


def test_an_unknown_database_url_is_refused():
    with pytest.raises(ValueError, match="DATABASE_URL"):
        dbms.open_database("mysql://localhost/balai")


def test_a_postgresql_url_hides_its_password():
    database = dbms.open_database("postgresql://balai:rahasia@db.local:5432/desa")
    assert database.describe() == "postgresql://balai:***@db.local:5432/desa"


@needs_postgres
def test_a_forked_worker_process_opens_connections_of_its_own(db):
    """The worker forks its processes: a child must not talk over the parent's sockets."""
    assert User.select().count()  # the parent holds a connection now
    child = os.fork()
    if child == 0:
        fresh = database.db.is_closed() and not database.db._connections
        with database.db.connection_context():
            works = User.select().count() > 0
        os._exit(0 if fresh and works else 1)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert User.select().count()  # and the parent's connection still works


@needs_postgres
def test_news_search_reads_the_gin_index(db):
    matches, _ = db.text_search(NewsIndex, ["posyandu"], (3.0, 1.0))
    sql, params = NewsIndex.select(NewsIndex.rowid).where(matches).sql()
    with db.atomic():
        db.execute_sql("SET LOCAL enable_seqscan = off")  # a tiny table would be read whole
        plan = " ".join(row[0] for row in db.execute_sql("EXPLAIN " + sql, params))
    assert "newsindex_search" in plan, plan
