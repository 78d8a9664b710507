"""bench/slow_journey.py still drives today's pages: its quick run on a fast line gets a resident
from login to a submitted request with JavaScript, both photos going up the wire."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="system Chromium missing")


def test_the_quick_journey_is_submitted_with_javascript():
    run = subprocess.run(
        [sys.executable, "bench/slow_journey.py", "--quick", "--mode", "js", "--json",
         "--rate", "20000", "--latency", "20", "--cpu", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-3000:]
    [result] = [json.loads(line) for line in run.stdout.splitlines()]
    assert result["mode"] == "JS"
    assert 0 < result["syarat_seconds"] < result["seconds"]
    # Two photos shrunk in the browser (each within about 150 KB as WebP) went up; the pages came
    # down.
    assert 200 < result["kb_up"] < 400
    assert result["kb_down"] > 20 and result["requests"] >= 8
