"""/sehat: what a load balancer asks a web node before sending it visitors."""
import pytest

from balai import create_app
from tests.support.notify import free_port


@pytest.fixture
def node_health(app):
    """/sehat of a web node on the test's data folder, with some settings of its own."""
    def ask(**settings):
        node = create_app({"TESTING": True, "DATA_DIR": app.config["DATA_DIR"],
                           "SECRET_KEY": "test", **settings})
        return node.test_client().get("/sehat")
    return ask


def test_a_node_whose_database_and_queue_answer_is_ok(node_health):
    response = node_health()
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_a_node_without_its_database_is_unfit(node_health, tmp_path):
    response = node_health(DATABASE_URL=f"sqlite:///{tmp_path / 'no-such-folder' / 'balai.db'}")
    assert response.status_code == 503 and response.get_data(as_text=True) == "gagal: database"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_node_on_redis_is_ok_while_redis_answers(node_health, redis_url):
    assert node_health(REDIS_URL=redis_url, HUEY_IMMEDIATE=False).status_code == 200


def test_a_node_whose_redis_is_gone_is_unfit(node_health):
    nothing_listens = f"redis://127.0.0.1:{free_port()}/0"
    response = node_health(REDIS_URL=nothing_listens, HUEY_IMMEDIATE=False)
    assert response.status_code == 503 and response.get_data(as_text=True) == "gagal: queue"
