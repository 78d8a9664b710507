"""Start Balai as run.sh does (serve.py) on 127.0.0.1 with a data dir of its own (for the benchmarks)."""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def flask(env, *args, check=True):
    """Run a flask command of the app; with check=False its refusal is expected and not shown."""
    subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, check=check,
                   stdout=subprocess.DEVNULL, stderr=None if check else subprocess.DEVNULL)


@contextmanager
def balai_server(worker=False):
    """Yield the base URL of the app served as run.sh serves it, with the demo village in a temp
    dir; with worker, run.sh's task worker (huey) runs beside it."""
    with tempfile.TemporaryDirectory(prefix="balai-bench-") as tmp:
        env = {**os.environ, "BALAI_DATA_DIR": tmp, "BALAI_SECRET_KEY": "bench"}
        flask(env, "init-db")
        flask(env, "seed-demo")
        port = free_port()
        server = subprocess.Popen([str(BIN / "python"), "serve.py"], cwd=ROOT,
                                  env={**env, "HOST": "127.0.0.1", "PORT": str(port)})
        url = f"http://127.0.0.1:{port}"
        consumer = worker and subprocess.Popen(
            [str(BIN / "huey_consumer"), "worker.huey", "--worker-type", "process", "--workers", "2",
             "--logfile", str(Path(tmp) / "worker.log")], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_until_up(url)
            yield url
        finally:
            server.terminate()
            server.wait()
            if consumer:  # its whole process group: the consumer's workers too
                os.killpg(consumer.pid, signal.SIGTERM)
                consumer.wait()


def wait_until_up(url, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"server at {url} did not start")
