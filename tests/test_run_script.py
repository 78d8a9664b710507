"""`make run`'s script for real: a crashed worker or web server is started again while the site
keeps answering, and Ctrl-C stops every process of the run."""
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.support.notify import free_port
from tests.support.postgres import server_env

ROOT = Path(__file__).resolve().parent.parent
CONSUMER_CHILDREN = 3  # run.sh's two worker processes and huey's scheduler


def wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            return result
        time.sleep(0.2)
    return result


class Run:
    """run.sh on a free port and a data dir of its own; every process it starts inherits that
    data dir in its environment, which is how the test finds them, even once orphaned."""

    def __init__(self, data_dir):
        self.data_dir, self.port = data_dir, free_port()
        self.output = data_dir / "run-output.txt"
        env = server_env(PORT=str(self.port), HOST="127.0.0.1", BALAI_DATA_DIR=str(data_dir))
        with open(self.output, "wb") as out:
            self.process = subprocess.Popen([str(ROOT / "run.sh")], cwd=ROOT, env=env, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def text(self):
        return self.output.read_text(errors="replace")

    def processes(self):
        """{pid: (parent pid, program)} of the run's web server and huey_consumer processes."""
        marker = f"BALAI_DATA_DIR={self.data_dir}".encode()
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if marker not in (entry / "environ").read_bytes().split(b"\0"):
                    continue
                command = (entry / "cmdline").read_bytes().split(b"\0")
                stat = (entry / "stat").read_text()
            except OSError:  # gone meanwhile, or not ours to read
                continue
            program = next((p.decode() for p in command[:2]
                            if p.endswith((b"serve.py", b"huey_consumer"))), None)
            state, parent = stat[stat.rindex(")") + 2:].split()[:2]
            if program and state != "Z":
                found[int(entry.name)] = (int(parent), Path(program).name)
        return found

    def masters(self, program):
        return [pid for pid, (parent, name) in self.processes().items()
                if name == program and parent == self.process.pid]

    def children(self, master):
        return [pid for pid, (parent, _) in self.processes().items() if parent == master]

    def answers(self):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def served_until(self, condition, seconds):
        """Wait for the condition, asking for the home page at every look: (result, whether the
        page answered every time)."""
        answered = []
        result = wait_until(lambda: answered.append(self.answers()) or condition(), seconds)
        return result, all(answered)

    def kill_everything(self):
        for pid in self.processes():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass
        self.process.wait(10)


@pytest.fixture
def run(tmp_path):
    run = Run(tmp_path)
    try:
        assert wait_until(lambda: "Balai berjalan di" in run.text(), 120), run.text()
        assert wait_until(lambda: [m for m in run.masters("huey_consumer")
                                   if len(run.children(m)) == CONSUMER_CHILDREN], 60), run.text()
        yield run
    finally:
        run.kill_everything()


def test_a_killed_worker_is_started_again_and_ctrl_c_stops_everything(run):
    [consumer] = run.masters("huey_consumer")
    orphans = run.children(consumer)
    os.kill(consumer, signal.SIGKILL)
    restarted, served = run.served_until(
        lambda: [m for m in run.masters("huey_consumer")
                 if m != consumer and len(run.children(m)) == CONSUMER_CHILDREN], 60)
    assert restarted and served, run.text()
    assert "pekerja tugas (huey) berhenti; dijalankan lagi" in run.text()
    assert not set(orphans) & set(run.processes()), "the old consumer's workers kept consuming"

    [consumer] = restarted
    child = run.children(consumer)[0]
    os.kill(child, signal.SIGKILL)
    replaced, served = run.served_until(
        lambda: child not in (now := run.children(consumer)) and len(now) == CONSUMER_CHILDREN, 60)
    assert replaced and served
    assert "died, restarting" in (run.data_dir / "worker.log").read_text()
    assert run.masters("huey_consumer") == [consumer]

    [web] = run.masters("serve.py")
    os.kill(web, signal.SIGKILL)
    assert wait_until(lambda: run.masters("serve.py") not in ([], [web]) and run.answers(), 60)
    assert "server web berhenti; dijalankan lagi" in run.text()

    run.process.send_signal(signal.SIGINT)
    run.process.wait(60)
    assert wait_until(lambda: not run.processes(), 10), run.processes()
    assert run.text().rstrip().endswith("Balai berhenti.")
    assert not run.answers()
