"""deploy/: the systemd units and the nginx site as a server would load them, and the env file
example naming every setting the app reads."""
import re
import shutil
import subprocess
import sys

import pytest

from balai.notify.channels import DEFAULTS as CHANNEL_SETTINGS
from balai.signing.remote import SETTINGS as SIGNING_SETTINGS
from tests.support.hosting import DEPLOY, NGINX, ROOT, nginx_folder
from tests.support.postgres import server_env

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")


def test_the_nginx_site_passes_nginx_t(tmp_path):
    if not NGINX:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    done = subprocess.run([NGINX, "-t", "-c", str(nginx_folder(tmp_path))],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "[warn]" not in done.stderr, done.stderr


def test_nginx_takes_the_apps_upload_limit(app):
    site = (DEPLOY / "nginx-balai.conf").read_text()
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert megabytes * 1024 * 1024 == app.config["MAX_CONTENT_LENGTH"]
    assert "proxy_request_buffering on;" in site


def test_the_systemd_units_pass_systemd_analyze_verify(tmp_path):
    if not SYSTEMD_ANALYZE:
        pytest.skip("systemd-analyze is not installed")
    names = ["balai-web.service", "balai-worker.service", "balai-backup.service",
             "balai-backup.timer"]
    for name in names:  # the checkout at /srv/balai is this one: its programs must exist
        text = (DEPLOY / name).read_text().replace("/srv/balai", str(ROOT))
        (tmp_path / name).write_text(text)
    done = subprocess.run([SYSTEMD_ANALYZE, "verify", *(str(tmp_path / n) for n in names)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    web = (DEPLOY / "balai-web.service").read_text()
    assert "Environment=BALAI_PROXY_COUNT=1" in web


SETTING = re.compile(r"BALAI_\w+|AWS_\w+|DATABASE_URL|REDIS_URL")

# Every key read from os.environ while the app is built, in a fresh interpreter.
RECORD = """
import json, os
read = set()
original = os._Environ.__getitem__
def recording(self, key):
    read.add(key)
    return original(self, key)
os._Environ.__getitem__ = recording  # get() and `in` ask it too
from balai import create_app
create_app()
print(json.dumps(sorted(read)))
"""


def settings_the_app_reads(tmp_path):
    """Names read from the environment while the app is built, and every name of the app's
    own settings written in its code (some are read only when used)."""
    env = server_env(BALAI_DATA_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", RECORD], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    read = set(re.findall(r'"([A-Z][A-Z0-9_]*)"', done.stdout.splitlines()[-1]))
    for path in (ROOT / "balai").rglob("*.py"):
        read |= set(re.findall(r"\b[A-Z][A-Z0-9_]*[A-Z0-9]\b", path.read_text()))
    read |= {f"BALAI_{name}" for name in CHANNEL_SETTINGS} | set(SIGNING_SETTINGS)
    return {name for name in read if SETTING.fullmatch(name)}


def test_the_env_example_lists_every_setting_the_app_reads(tmp_path):
    listed = set(re.findall(r"^#?([A-Z][A-Z0-9_]*)=", (DEPLOY / "balai.env.example").read_text(),
                            re.MULTILINE))
    read = settings_the_app_reads(tmp_path)
    assert {"BALAI_SECRET_KEY", "REDIS_URL", "BALAI_WORKER", "BALAI_SMTP_HOST"} <= read
    assert read - listed == set()
