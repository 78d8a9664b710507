"""Two web nodes on one PostgreSQL database, each with a data folder of its own: a visitor whose
requests alternate between them notices nothing. Sessions, form tokens, login limits, the
verification page's rate limit and the public page cache all hold across the two."""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from balai import create_app
from balai.db import db as database
from balai.demo import seed
from balai.signing.models import VerifyHit
from balai.villages.models import Village
from tests.support.postgres import needs_postgres
from tests.support.village import BUDI, csrf_token_from

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = needs_postgres


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nodes(app, tmp_path):
    """Two servers (waitress, as `make run` starts it) on the test's database, CSRF checked."""
    processes, urls = [], []
    try:
        for name in ("a", "b"):
            data = tmp_path / f"node-{name}"
            shutil.copytree(app.config["DATA_DIR"], data)
            (data / "secret_key").unlink(missing_ok=True)
            port = free_port()
            env = {**os.environ, "BALAI_DATA_DIR": str(data), "HOST": "127.0.0.1",
                   "PORT": str(port)}
            processes.append(subprocess.Popen([sys.executable, "serve.py"], cwd=ROOT, env=env,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            wait_for(url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)


def wait_for(url):
    for _ in range(150):
        try:
            requests.get(url + "/masuk", timeout=2)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not start")


def test_a_resident_moving_between_nodes_stays_logged_in(nodes):
    a, b = nodes
    browser = requests.Session()
    token = csrf_token_from(browser.get(a + "/masuk").text)
    signed_in = browser.post(b + "/masuk", data={"csrf_token": token, "login": BUDI,
                                                 "password": seed.DEMO_PASSWORD},
                             allow_redirects=False)
    assert signed_in.status_code == 303  # node b accepted node a's form token
    for node in (a, b, a):
        page = browser.get(node + "/surat", allow_redirects=False)
        assert page.status_code == 200 and 'action="/keluar"' in page.text


def test_login_failures_count_across_nodes(nodes):
    a, b = nodes
    answers = []
    for attempt in range(6):
        browser = requests.Session()
        node = (a, b)[attempt % 2]
        token = csrf_token_from(browser.get(node + "/masuk").text)
        answers.append(browser.post(node + "/masuk", data={
            "csrf_token": token, "login": "kades", "password": "salah-sekali"}).text)
    assert "dikunci" not in answers[3].lower()
    assert all("dikunci" in answer.lower() for answer in answers[4:])


def test_the_verification_rate_limit_counts_across_nodes(nodes):
    a, b = nodes
    codes = [requests.get((a, b)[n % 2] + "/verifikasi").status_code
             for n in range(VerifyHit.LIMIT + 1)]
    assert codes == [200] * VerifyHit.LIMIT + [429]


def test_a_change_on_one_node_shows_on_the_other_nodes_cached_page(app, nodes):
    a, b = nodes
    assert requests.get(a + "/").status_code == 200  # node a keeps its rendering
    with database.connection_context():
        Village.update(name="Desa Mekarsari").execute()  # as node b's operator would
    assert "Desa Mekarsari" in requests.get(a + "/").text


def test_a_shared_database_without_a_secret_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.delenv("BALAI_SECRET_KEY")
    with pytest.raises(RuntimeError, match="BALAI_SECRET_KEY"):
        create_app({"DATA_DIR": str(tmp_path)})
    assert not (tmp_path / "secret_key").exists()
