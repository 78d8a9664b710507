"""The task queue on Redis (REDIS_URL): a real redis-server, the real consumer, and the
database as the record of work when Redis loses its queue."""
import pytest
import redis
from huey.storage import RedisStorage

from balai import create_app
from tests.support.hosting import (
    all_sent,
    balai_env,
    consumer,
    email_rows,
    everyone_by_email,
    wait_until,
)
from tests.support.notify import SMTPSink, letter_journey


@pytest.fixture
def redis_app(app, redis_url):
    """The test's app (same data folder) with its queue on Redis, left to a worker."""
    app = create_app({"TESTING": True, "DATA_DIR": app.config["DATA_DIR"], "SECRET_KEY": "test",
                      "REDIS_URL": redis_url, "HUEY_IMMEDIATE": False})
    with app.app_context():
        yield app


@pytest.fixture
def contacts(redis_app):
    everyone_by_email()


def test_the_consumer_on_redis_delivers_a_journey_once_each(redis_app, redis_url, contacts,
                                                           tmp_path):
    huey = redis_app.extensions["queue"].huey
    assert isinstance(huey.storage, RedisStorage)
    with SMTPSink() as smtp:
        letter_journey()
        assert huey.storage.queue_size() == len(email_rows()) == 6  # waiting in Redis
        worker = consumer(balai_env(tmp_path, smtp.port, REDIS_URL=redis_url))
        try:
            assert wait_until(all_sent, 30), worker.log()
            # The consumer's start-up sweep queued the same rows again: those find them sent.
            assert wait_until(lambda: huey.storage.queue_size() == 0, 30), worker.log()
        finally:
            assert worker.stop() == 0, worker.log()
    assert sorted(smtp.message_ids()) == sorted(row.message_id for row in email_rows())


def test_work_redis_lost_is_queued_again_from_the_database(redis_app, redis_url, contacts,
                                                          tmp_path):
    queue = redis_app.extensions["queue"]
    letter_journey()
    redis.Redis.from_url(redis_url).flushall()  # Redis restarted without its data
    assert queue.huey.storage.queue_size() == 0
    queue.recover()
    assert queue.huey.storage.queue_size() == len(email_rows()) == 6
    with SMTPSink() as smtp:
        worker = consumer(balai_env(tmp_path, smtp.port, REDIS_URL=redis_url))
        try:
            assert wait_until(all_sent, 30), worker.log()
        finally:
            worker.stop()
    assert sorted(smtp.message_ids()) == sorted(row.message_id for row in email_rows())


def test_one_round_on_redis_runs_what_is_due_and_returns(redis_app, contacts):
    queue = redis_app.extensions["queue"]
    letter_journey()
    with SMTPSink() as smtp:
        redis_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp.port))
        assert queue.run_pending() >= 6
    assert all_sent() and len(smtp.messages) == 6
    assert queue.huey.storage.queue_size() == 0
