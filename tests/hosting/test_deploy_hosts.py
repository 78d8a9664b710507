"""deploy/'s nginx site for many villages, run by a real nginx on loopback ports: each host
gets its own certificate (chosen by SNI through the site's map), plain HTTP goes to HTTPS
except Let's Encrypt's challenges, and the app behind it sees the host the phone asked for;
and the certbot hook that lets nginx's workers read the keys."""
import grp
import http.client
import http.server
import json
import os
import socket
import stat
import subprocess
import threading

import pytest

from tests.support.hosting import DEPLOY, NGINX, Process, nginx_folder, wait_until
from tests.support.notify import free_port
from tests.support.tls import any_certificate, self_signed

VILLAGE = "sukamaju.desa.id"  # a village's own domain: a certificate of its own
UNDER_REGENCY = "cibogo.subang.go.id"  # under the regency's wildcard certificate


def villages_listed(site):
    """The site with the map's example hosts in use, as a regency writes its own."""
    return site.replace("    #sukamaju.desa.id", "    sukamaju.desa.id").replace(
        "    #*.subang.go.id", "    *.subang.go.id")


class Echo(http.server.BaseHTTPRequestHandler):
    """Stands for the app: answers with the headers that say which village was asked for."""

    def do_GET(self):
        body = json.dumps({name: self.headers.get(name) for name in (
            "Host", "X-Forwarded-Host", "X-Forwarded-Proto")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def site(tmp_path):
    """nginx on two loopback ports (plain, TLS) with three certificates, an echo behind it."""
    if not NGINX:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    live = tmp_path / "live"
    certificates = {"desa.example": self_signed(live, "desa.example"),
                    VILLAGE: self_signed(live, VILLAGE),
                    UNDER_REGENCY: self_signed(live, "subang.go.id", "*.subang.go.id")}
    (tmp_path / "acme" / ".well-known" / "acme-challenge").mkdir(parents=True)
    (tmp_path / "acme" / ".well-known" / "acme-challenge" / "token").write_text("token.key")
    plain, tls = free_port(), free_port()
    conf = nginx_folder(tmp_path, f"listen 127.0.0.1:{plain};", f"127.0.0.1:{app.server_port}",
                        f"listen 127.0.0.1:{tls} ssl;", edit=villages_listed)
    nginx = Process("nginx", [NGINX, "-c", str(conf), "-g", "daemon off;"],
                    {"BALAI_DATA_DIR": str(tmp_path), "PATH": "/usr/sbin:/usr/bin:/bin"})
    try:
        assert wait_until(lambda: served_certificate(tls, VILLAGE), 30, pause=0.1), nginx.log()
        yield {"plain": plain, "tls": tls, "certificates": certificates}
    finally:
        nginx.stop()
        app.shutdown()
        app.server_close()


class Loopback(http.client.HTTPSConnection):
    """HTTPS to a host name (its SNI and Host header) served on 127.0.0.1."""

    def connect(self):
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def connect(port, host):
    connection = Loopback(host, port, timeout=10, context=any_certificate())
    connection.connect()
    return connection


def served_certificate(port, host):
    try:
        return connect(port, host).sock.getpeercert(binary_form=True)
    except OSError:  # not listening yet
        return None


def plain_get(port, host, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": host})
    response = connection.getresponse()
    return response, response.read()


def test_each_host_gets_its_own_certificate(site):
    certificates = site["certificates"]
    assert certificates[VILLAGE] != certificates[UNDER_REGENCY]
    for host in (VILLAGE, UNDER_REGENCY, "desa.example"):
        assert served_certificate(site["tls"], host) == certificates[host], host
    # Another village under the regency shares the wildcard; a name not listed gets the default.
    assert served_certificate(site["tls"], "cidahu.subang.go.id") == certificates[UNDER_REGENCY]
    assert served_certificate(site["tls"], "lain.desa.id") == certificates["desa.example"]


@pytest.mark.parametrize("host", [VILLAGE, UNDER_REGENCY])
def test_the_app_sees_the_host_the_phone_asked_for(site, host):
    connection = connect(site["tls"], host)
    connection.request("GET", "/berita/")
    response = connection.getresponse()
    assert response.status == 200
    assert json.loads(response.read()) == {
        "Host": host, "X-Forwarded-Host": host, "X-Forwarded-Proto": "https"}


@pytest.mark.parametrize("host", [VILLAGE, UNDER_REGENCY])
def test_plain_http_goes_to_https_but_for_acme_challenges(site, host):
    response, _ = plain_get(site["plain"], host, "/surat/baru?jenis=sku")
    assert response.status == 301
    assert response.getheader("Location") == f"https://{host}/surat/baru?jenis=sku"
    response, body = plain_get(site["plain"], host, "/.well-known/acme-challenge/token")
    assert (response.status, body) == (200, b"token.key")


def test_the_certbot_hook_lets_nginx_workers_read_that_certificate_only(tmp_path):
    """deploy/certbot-deploy-hook.sh on a copy of certbot's layout: live/<name> links into
    archive/<name>, keys 0600 as certbot writes them."""
    root = tmp_path / "letsencrypt"
    for name in ("subang.go.id", "other.example"):
        (root / "archive" / name).mkdir(parents=True)
        (root / "live" / name).mkdir(parents=True)
        key = root / "archive" / name / "privkey1.pem"
        key.write_text("key")
        key.chmod(0o600)
        (root / "live" / name / "privkey.pem").symlink_to(f"../../archive/{name}/privkey1.pem")
    for folder in (root / "live", root / "archive"):
        folder.chmod(0o700)
    hook = (DEPLOY / "certbot-deploy-hook.sh").read_text().replace("/etc/letsencrypt", str(root))
    group = grp.getgrgid(os.getgid()).gr_name  # a group this test may give files to
    done = subprocess.run(["sh", "-c", hook], capture_output=True, text=True, env={
        "PATH": os.environ["PATH"], "NGINX_GROUP": group,
        "RENEWED_LINEAGE": str(root / "live" / "subang.go.id")})
    assert done.returncode == 0, done.stderr

    def mode(path):
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(root / "archive" / "subang.go.id" / "privkey1.pem") == 0o640
    assert mode(root / "archive") == 0o710 and mode(root / "live") == 0o710
    assert mode(root / "archive" / "other.example" / "privkey1.pem") == 0o600
