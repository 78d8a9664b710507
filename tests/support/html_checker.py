"""The HTML checker (vnu-jar, pinned in the Makefile and installed by `make vnu` into the venv),
run once over many documents: the messages it reports as errors, per document."""
import json
import pathlib
import re
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]


def vnu_jar():
    """The jar of the version the Makefile pins (None when `make vnu` has not run)."""
    version = re.search(r"^VNU_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M)[1]
    jar = ROOT / ".venv" / f"vnu-{version}.jar"
    return jar if jar.exists() else None


def java():
    return shutil.which("java")


def errors(documents, folder):
    """{name: [message, ...]} for documents ({name: html}) the checker finds errors in."""
    paths = {}
    for number, (name, html) in enumerate(documents.items()):
        path = pathlib.Path(folder) / f"page-{number}.html"
        path.write_text(html, encoding="utf-8")
        paths[path.name] = name
    result = subprocess.run(
        [java(), "-Xss8m", "-jar", str(vnu_jar()), "--errors-only", "--format", "json",
         *[str(pathlib.Path(folder) / f"page-{n}.html") for n in range(len(documents))]],
        capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(result.stderr or result.stdout)
    except ValueError:
        raise AssertionError(f"the HTML checker did not report: {result.stderr[-2000:]}") from None
    found = {}
    for message in report["messages"]:
        if message["type"] not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        name = paths.get(url.rsplit("/", 1)[-1], url)
        line = message.get("lastLine", "?")
        found.setdefault(name, []).append(
            f"line {line}: {message['message']} [{message.get('extract', '').strip()}]")
    return found
