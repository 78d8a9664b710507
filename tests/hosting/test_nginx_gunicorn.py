"""The one-server rung for real: deploy/'s nginx site in front of gunicorn started as
balai-web.service starts it, both on loopback ports, on the demo village, over HTTPS with a
throwaway certificate for the site's default host."""
import http.client
import re

import brotli
import pytest

from tests.support.hosting import NGINX, Process, balai_env, gunicorn, nginx_folder, wait_until
from tests.support.notify import free_port
from tests.support.tls import any_certificate, self_signed


@pytest.fixture
def site(app, tmp_path):
    """The HTTPS port nginx listens on, gunicorn (two sync workers) behind it."""
    if not NGINX:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    web_port, site_port, http_port = free_port(), free_port(), free_port()
    env = balai_env(app.config["DATA_DIR"], BALAI_PROXY_COUNT="1")
    web = gunicorn(env, web_port)
    folder = tmp_path / "nginx"
    folder.mkdir()
    self_signed(folder / "live", "desa.example")
    conf = nginx_folder(folder, f"listen 127.0.0.1:{http_port};", f"127.0.0.1:{web_port}",
                        f"listen 127.0.0.1:{site_port} ssl;")
    nginx = Process("nginx", [NGINX, "-c", str(conf), "-g", "daemon off;"], env)
    try:
        assert wait_until(lambda: status(site_port, "/sehat") == 200, 60, pause=0.2), (
            web.log() + nginx.log())
        yield site_port
    finally:
        nginx.stop()
        web.stop()


def https(port, timeout):
    """A connection to the site that takes its throwaway certificate."""
    return http.client.HTTPSConnection("127.0.0.1", port, timeout=timeout,
                                       context=any_certificate())


def status(port, path):
    try:
        connection = https(port, 5)
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None


def test_a_page_and_its_files_come_over_one_connection_and_files_from_nginx(site):
    connection = https(site, 10)
    connection.request("GET", "/", headers={"Accept-Encoding": "br, gzip"})
    page = connection.getresponse()
    assert page.status == 200 and page.getheader("Content-Encoding") == "br"  # by the app
    assert not page.will_close
    socket = connection.sock
    html = brotli.decompress(page.read()).decode()
    css = re.search(r"/static/app\.[0-9a-f]+\.css", html).group(0)
    caches = []
    for _ in range(2):
        connection.request("GET", css, headers={"Accept-Encoding": "br, gzip"})
        response = connection.getresponse()
        response.read()
        caches.append(response.getheader("X-Cache"))
        assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert connection.sock is socket  # the same connection throughout
    assert caches == ["MISS", "HIT"]  # the second never reached gunicorn


def test_an_upload_over_the_limit_is_refused_from_its_size_in_indonesian(site):
    connection = https(site, 30)
    connection.putrequest("POST", "/masuk")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(30 * 1024 * 1024))
    connection.endheaders()  # not a byte of the body
    response = connection.getresponse()
    body = response.read().decode()
    assert response.status == 413 and "terlalu besar" in body, body
