"""Fixtures of the hosting tests: a real Redis for the queue."""
import pytest

from tests.support.redis_server import RedisServer


@pytest.fixture
def redis_url(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("redis")) as server:
        yield server.url
