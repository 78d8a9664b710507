"""What each key page costs a phone: bytes on the wire, requests, origins, time to first byte.

Starts Balai (as run.sh does, demo village, own temporary data dir), then loads each page in the system
Chromium, first visit and repeat visit, on an open line and on a slow one (400 kbit/s, 400 ms
round trip). Counting is the same as ../shared/tools/pageweight.py (tests/support/browser.visit);
`--compare` also runs that tool on the public pages and prints both.

    .venv/bin/python bench/pageweight.py [--compare] [--json]
"""
import argparse
import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright  # noqa: E402

from bench.server import balai_server  # noqa: E402
from tests.support.browser import launch_browser, log_in, network_session, phone_context, visit  # noqa: E402

SHARED_TOOL = Path("/work/shared/tools/pageweight.py")
RESIDENT = "3213051508900001"


def key_pages(home_html):
    """(name, path, who logs in first): home, a news page if there is one, login, inbox, letters."""
    pages = [("beranda", "/", None)]
    news = re.search(r'href="(/berita/[a-z0-9-]+)"', home_html)  # an article, not the feed
    if news:
        pages.append(("berita", news.group(1), None))
    return pages + [("masuk", "/masuk", None), ("kotak masuk", "/kotak-masuk", "kasipem"),
                    ("surat warga", "/surat", RESIDENT)]


def measure(browser, base_url, path, login, slow):
    context = phone_context(browser)
    page = context.new_page()
    if login:
        log_in(page, base_url, login)
    cdp = network_session(context, page, slow=slow)
    results = [{"visit": kind, **visit(page, cdp, base_url + path)} for kind in ("first", "repeat")]
    context.close()
    return results


def shared_tool(url):
    out = subprocess.run([sys.executable, str(SHARED_TOOL), "--json", url], capture_output=True,
                         text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def line(name, result):
    return (f"{name:12} {result['visit']:6} {result['status']} {result['bytes']:>7} B "
            f"{result['requests']:>2} req  ttfb {result['ttfb_ms']:>6} ms  load {result['load_ms']:>7} ms  "
            f"origins {len(result['origins'])}  " + ", ".join(f"{k} {v}" for k, v in sorted(result["by_kind"].items())))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--compare", action="store_true", help=f"also run {SHARED_TOOL} on public pages")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with balai_server() as base_url, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        home_html = urllib.request.urlopen(base_url + "/").read().decode()
        for profile, slow in (("cepat", False), ("lambat 400 kbit/s, 400 ms", True)):
            print(f"== {profile}")
            for name, path, login in key_pages(home_html):
                for result in measure(browser, base_url, path, login, slow):
                    print(json.dumps({"page": name, "profile": profile, **result}) if args.json else line(name, result))
        if args.compare and SHARED_TOOL.exists():
            print("== ../shared/tools/pageweight.py on the same server")
            for name, path, login in key_pages(home_html):
                if login is None:
                    for result in shared_tool(base_url + path):
                        print(line(name, result))
        browser.close()


if __name__ == "__main__":
    main()
