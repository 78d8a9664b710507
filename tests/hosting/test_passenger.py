"""passenger_wsgi.py as cPanel's Passenger loads it: from the app's folder, settings from its
.env file, the home page served through a plain WSGI call."""
import json
import shutil
import subprocess
import sys

from tests.support.hosting import ROOT, balai_env

# What Passenger does, in a fresh interpreter: import the file by path, call `application`.
LOAD = """
import importlib.util, json, os, sys, threading
from werkzeug.test import Client
spec = importlib.util.spec_from_file_location("passenger_wsgi", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
before = sorted(t.name for t in threading.enumerate())
response = Client(module.application).get("/", environ_base={"REMOTE_ADDR": "127.0.0.1"},
    headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"})
print(json.dumps({"status": response.status_code, "html": response.get_data(as_text=True),
                  "hsts": response.headers.get("Strict-Transport-Security"),
                  "data_dir": module.application.config["DATA_DIR"],
                  "threads_before": before, "threads_after": sorted(t.name for t in threading.enumerate()),
                  "worker": os.environ["BALAI_WORKER"], "proxies": os.environ["BALAI_PROXY_COUNT"]}))
"""


def test_passenger_serves_the_home_page_with_settings_from_dotenv(app, tmp_path):
    folder = tmp_path / "public_python"  # the app's folder cPanel made, holding the checkout
    folder.mkdir()
    shutil.copy(ROOT / "passenger_wsgi.py", folder)
    (folder / ".env").write_text(f"# Balai\nBALAI_DATA_DIR={app.config['DATA_DIR']}\n"
                                 "BALAI_SECRET_KEY='dari-berkas-env'\n")
    env = balai_env(tmp_path)
    del env["BALAI_DATA_DIR"], env["BALAI_SECRET_KEY"]  # only the file says where the data is
    done = subprocess.run([sys.executable, "-c", LOAD, str(folder / "passenger_wsgi.py")],
                          cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["status"] == 200 and "Desa Sukamaju" in seen["html"]
    assert seen["data_dir"] == app.config["DATA_DIR"]
    assert (seen["worker"], seen["proxies"]) == ("inline", "1")
    assert seen["hsts"]  # the proxy's X-Forwarded-Proto is believed: one proxy in front
    # The worker starts with the first request a process serves, not when the file is loaded.
    assert "Worker-1" not in seen["threads_before"] and "Worker-1" in seen["threads_after"]
