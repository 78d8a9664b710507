"""Balai as a host runs it, for the hosting tests: the real web server and the real worker as
processes of their own on a test's data folder, and a letter taken to its signed PDF over HTTP
by the demo officials."""
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import requests

import balai
from balai.demo import seed
from balai.letters.models import LetterRequest
from balai.notify.models import Notification
from balai.people.models import User
from balai.storage import Bucket, documents
from tests.support import postgres
from tests.support.notify import free_port, official, verified
from tests.support.postgres import server_env
from tests.support.village import BUDI, csrf_token_from

ROOT = Path(balai.__file__).resolve().parent.parent  # serve.py, worker.py, app.py
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")


def wait_until(condition, seconds, pause=0.05):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            return result
        time.sleep(pause)
    return result


def same_village(app):
    """The settings that point a server a test starts at the test app's village: its database
    on PostgreSQL, its bucket when documents go to S3 (else the server's data dir holds both)."""
    store = documents(app)
    settings = {"DATABASE_URL": app.config["DATABASE_URL"]} if postgres.ENABLED else {}
    if isinstance(store, Bucket):
        settings["BALAI_STORAGE_URL"] = f"s3://{store.bucket}/{store.prefix.rstrip('/')}"
    return settings


def balai_env(data_dir, smtp_port=None, **settings):
    """The environment of a Balai process on data_dir (the test's village: its database and
    documents, tests/support/postgres.py): a queue worked by some worker (not the tests'
    immediate mode), e-mail to the test's SMTP server, quick retries."""
    env = server_env(data_dir, BALAI_SECRET_KEY="test", PYTHONPATH=str(ROOT),
                     BALAI_NOTIFY_RETRY_SECONDS="0.5,0.5,0.5", **settings)
    if "REDIS_URL" not in settings:  # a queue of its own: no Redis of another test
        env.pop("REDIS_URL", None)
    if smtp_port:
        env.update(BALAI_SMTP_HOST="127.0.0.1", BALAI_SMTP_PORT=str(smtp_port))
    return env


class Process:
    """A program of Balai's in a process group of its own, its output in data_dir."""

    def __init__(self, name, command, env):
        self.log_path = Path(env["BALAI_DATA_DIR"]) / f"{name}.log"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self, seconds=20):
        """SIGTERM, as systemd stops a unit; the exit code, or None if it had to be killed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                return self.process.wait(seconds)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
                return None
        return self.process.returncode


class WebServer(Process):
    """serve.py (waitress, as run.sh starts it) on a free port; ready when /sehat says ok."""

    def __init__(self, env):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        super().__init__("web", [sys.executable, "serve.py"],
                         dict(env, HOST="127.0.0.1", PORT=str(self.port)))
        if not wait_until(lambda: healthy(self.url), 60, pause=0.2):
            self.stop()
            raise AssertionError(self.log())


def healthy(url):
    try:
        return requests.get(f"{url}/sehat", timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or still loading the app
        return False


def gunicorn(env, port, workers=2):
    """gunicorn's sync workers, as balai-web.service starts them."""
    program = Path(sys.executable).parent / "gunicorn"
    return Process("gunicorn", [str(program), "app:create_app()", "--bind", f"127.0.0.1:{port}",
                                "--workers", str(workers), "--no-control-socket"], env)


def threads_of_children(parent):
    """How many threads each child process of parent (gunicorn's workers) runs."""
    counts = []
    for entry in (e for e in Path("/proc").iterdir() if e.name.isdigit()):
        try:
            stat = (entry / "stat").read_text()
            if int(stat[stat.rindex(")") + 2:].split()[1]) == parent:
                counts.append(len(list((entry / "task").iterdir())))
        except OSError:  # gone meanwhile
            pass
    return counts


def consumer(env, workers=1):
    """`huey_consumer worker.huey`, threads, as a host's worker unit starts it."""
    program = Path(sys.executable).parent / "huey_consumer"
    return Process("consumer", [str(program), "worker.huey", "-k", "thread", "-w", str(workers)],
                   env)


def logged_in(url, login):
    """A requests session logged in to the server as one of the demo accounts."""
    session = requests.Session()
    token = csrf_token_from(session.get(f"{url}/masuk").text)
    response = session.post(f"{url}/masuk", allow_redirects=False, data={
        "login": login, "password": seed.DEMO_PASSWORD, "csrf_token": token})
    assert response.status_code == 303, response.text
    return session


def approve_to_signed_pdf(url, letter_id):
    """Kasi Pemerintahan, Sekdes and Kades approve on the inbox pages, as in a browser without
    JavaScript; the Kades signs with the demo passphrase. Returns the issued letter's row."""
    for login in ("kasipem", "sekdes", "kades"):
        session = logged_in(url, login)
        page = session.get(f"{url}/kotak-masuk/{letter_id}").text
        version = re.search(r'name="version" value="(\d+)"', page).group(1)
        response = session.post(f"{url}/kotak-masuk/{letter_id}", allow_redirects=False, data={
            "csrf_token": csrf_token_from(page), "action": "setujui", "note": "",
            "version": version, "passphrase": seed.DEMO_SIGNING_PASSPHRASE})
        assert response.status_code == 303, (login, response.status_code, response.text)
    return LetterRequest.get_by_id(letter_id)


def genuine(url, pdf):
    """Whether the village's public check (/verifikasi) calls the PDF genuine."""
    session = requests.Session()
    token = csrf_token_from(session.get(f"{url}/verifikasi").text)
    page = session.post(f"{url}/verifikasi", data={"csrf_token": token},
                        files={"berkas": ("surat.pdf", pdf, "application/pdf")}).text
    return "msg-success" in page


def everyone_by_email():
    """The officials of a letter's steps and Budi receive its notifications by e-mail."""
    for username in ("kasipem", "sekdes", "kades"):
        verified(official(username), "email", f"{username}@desa.id")
    verified(User.by_login(BUDI), "email", "budi@contoh.id")


def email_rows():
    return list(Notification.select().where(Notification.channel == "email"))


def all_sent():
    return all(row.status == "sent" for row in email_rows())


def nginx_folder(tmp_path, listen="listen 80;", upstream="127.0.0.1:8000",
                 tls_listen="listen 443 ssl;", edit=str):
    """The site and its snippet in a minimal nginx.conf of their own, every path in tmp_path:
    certificates in tmp_path/live/<name>/ (tests.support.tls), the ACME webroot tmp_path/acme.
    edit changes the site's text (the test's own host names)."""
    (tmp_path / "snippets").mkdir()
    shutil.copy(DEPLOY / "nginx-balai-proxy.conf", tmp_path / "snippets" / "balai-proxy.conf")
    site = (DEPLOY / "nginx-balai.conf").read_text()
    site = edit(site.replace("/var/cache/nginx/balai", str(tmp_path / "cache"))
                .replace("/var/log/nginx/", f"{tmp_path}/")
                .replace("/etc/letsencrypt/live/", f"{tmp_path}/live/")
                .replace("/var/www/letsencrypt", str(tmp_path / "acme"))
                .replace("    listen 80;\n    listen [::]:80;", f"    {listen}")
                .replace("    listen 443 ssl;\n    listen [::]:443 ssl;", f"    {tls_listen}")
                .replace("server 127.0.0.1:8000;", f"server {upstream};"))
    (tmp_path / "balai.conf").write_text(site)
    temp = "".join(f"    {kind}_temp_path {tmp_path}/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n{temp}    include {tmp_path}/balai.conf;\n}}\n")
    return tmp_path / "nginx.conf"
