"""A resident's letter request on a weak prepaid line: time and bytes from login to submitted.

Starts Balai as `make run` does (serve.py and the task worker, demo village, own temporary data
dir) and drives the system Chromium as the issue's phone: 360x740, 400 kbit/s both ways, 400 ms
latency, CPU slowed 4x. A demo resident logs in, asks for a Surat Keterangan Domisili, attaches
two 12-MP camera photos (~3.6 and ~4.1 MB) as syarat and submits; once with JavaScript (photos
shrunk in the browser, each sent as soon as it is chosen) and once without (one photo per
submit, each with its own Unggah button). Bytes are counted on the wire by a pass-through (headers and bodies, both
ways); requests are those the browser sent to the network. The syarat step (the attaching, to
the check page) is also counted on its own: its bytes and requests do not depend on the machine's
load. Goal with JavaScript: <= 20 s.

    .venv/bin/python bench/slow_journey.py [--rate KBIT] [--latency MS] [--quick] [--mode js|nojs]

The service worker is blocked: its fetches would bypass the page's network emulation.
"""
import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageChops  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from balai.demo.seed import DEMO_PASSWORD, RESIDENTS  # noqa: E402
from bench.server import balai_server  # noqa: E402
from bench.tap import ByteTap  # noqa: E402
from tests.support.browser import launch_browser  # noqa: E402

# (width, height, fine grain): sensor grain sets the file's size, coarse detail (what survives
# shrinking) keeps the shrunk copy near a real photo's ~270 KB. Full: ~3.6 and ~4.1 MB.
PHOTOS = {"full": [(4000, 3000, 8), (4000, 3000, 10)], "quick": [(2000, 1500, 8), (2000, 1500, 10)]}
PHOTO_DIR = Path(tempfile.gettempdir()) / "balai-bench-photos"
GOAL_SECONDS = 20
SUBMITTED = "Permohonan Anda sudah diajukan"


def camera_photo(width, height, grain):
    """A JPEG like a phone camera's: light gradients, coarse scene detail and sensor grain."""
    channels = []
    for turn in range(3):
        light = Image.linear_gradient("L").rotate(90 * turn).resize((width, height))
        light = ImageChops.multiply(light, Image.new("L", (width, height), 200))
        scene = Image.effect_noise((width // 16, height // 16), 30).resize((width, height), Image.BICUBIC)
        channel = ImageChops.add(light, scene, scale=1.6, offset=-60)
        channels.append(ImageChops.add(channel, Image.effect_noise((width, height), grain), offset=-128))
    return Image.merge("RGB", channels)


def photos(kind):
    """The two photos, made once and kept in the temporary directory."""
    PHOTO_DIR.mkdir(exist_ok=True)
    paths = []
    for number, (width, height, grain) in enumerate(PHOTOS[kind], 1):
        path = PHOTO_DIR / f"IMG_{width}x{height}_{number}.jpg"
        if not path.exists():
            camera_photo(width, height, grain).save(path, "JPEG", quality=90)
        paths.append(path)
    return paths


def phone(browser, javascript, rate_kbit, latency_ms, cpu):
    """A tab on a fresh phone profile with the slow line and slow CPU, and its request count."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, java_script_enabled=javascript,
                                  service_workers="block")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    throughput = rate_kbit * 1000 / 8
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": latency_ms,
        "downloadThroughput": throughput, "uploadThroughput": throughput})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    # Each hop of a redirect is an event of its own; a file the cache served never left the phone.
    sent, cached = [], set()
    cdp.on("Network.requestWillBeSent", lambda e: e["request"]["url"].startswith("http")
           and sent.append(e["requestId"]))
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    return page, lambda: len([rid for rid in sent if rid not in cached])


def log_in(page, base_url):
    page.goto(f"{base_url}/masuk")
    page.fill('input[name="login"]', RESIDENTS[0]["nik"])
    page.fill('input[name="password"]', DEMO_PASSWORD)
    page.locator('main button[type="submit"]').click()
    page.wait_for_url(lambda url: "/masuk" not in url)


def ask_for_domisili(page, base_url):
    page.goto(f"{base_url}/surat")
    page.get_by_role("link", name="Ajukan surat baru").click()
    page.get_by_label("Surat Keterangan Domisili").check()
    page.get_by_role("button", name="Lanjutkan").click()
    expect(page.locator("h1")).to_contain_text("isian")
    page.fill('[name="keperluan"]', "Melamar pekerjaan di kota")
    page.get_by_role("button", name="Simpan dan lanjutkan").click()
    expect(page.locator("h1")).to_contain_text("syarat")


def file_inputs(page):
    names = page.locator('input[type="file"]').evaluate_all("inputs => inputs.map(i => i.name)")
    return [page.locator(f'input[type="file"][name="{name}"]') for name in names]


def attach_with_javascript(page, files):
    """Both photos in their fields, shrunk by the page, then the form's own button."""
    inputs = file_inputs(page)
    for field, path in zip(inputs, files):
        field.set_input_files(str(path))
    for field in inputs[:len(files)]:  # the page holds the form back while it shrinks a photo
        expect(field).to_have_js_property("validationMessage", "")
    page.get_by_role("button", name="Simpan dan lanjutkan").click()


def attach_one_by_one(page, files):
    """Without JavaScript: one photo per submit, each with its field's Unggah button, until the
    field says it is stored."""
    for number, path in enumerate(files):
        field = page.locator(".field", has=file_inputs(page)[number])
        field.locator('input[type="file"]').set_input_files(str(path))
        field.get_by_role("button", name=re.compile("^Unggah")).click()
        expect(page.locator(".field", has=file_inputs(page)[number])).to_contain_text("Sudah diunggah")
    page.get_by_role("button", name="Simpan dan lanjutkan").click()


def journey(browser, tap, files, javascript, args):
    page, requests = phone(browser, javascript, args.rate, args.latency, args.cpu)
    # Long enough for the photos at full size over the line, three times over.
    timeout_ms = 60_000 + 3 * sum(p.stat().st_size for p in files) * 8 / args.rate
    page.set_default_timeout(timeout_ms)
    expect.set_options(timeout=timeout_ms)
    tap.reset()
    started = time.perf_counter()
    log_in(page, tap.url)
    ask_for_domisili(page, tap.url)
    syarat_started, before = time.perf_counter(), (tap.down, tap.up, requests())
    (attach_with_javascript if javascript else attach_one_by_one)(page, files)
    expect(page.locator("h1")).to_have_text("Periksa sebelum mengajukan")
    syarat_seconds = time.perf_counter() - syarat_started
    syarat = (tap.down - before[0], tap.up - before[1], requests() - before[2])
    page.get_by_role("button", name="Ajukan", exact=True).click()
    expect(page.locator("body")).to_contain_text(SUBMITTED)
    result = {"mode": "JS" if javascript else "tanpa JS", "seconds": round(time.perf_counter() - started, 1),
              "syarat_seconds": round(syarat_seconds, 1), "kb_down": round(tap.down / 1000, 1),
              "kb_up": round(tap.up / 1000, 1), "requests": requests(),
              "syarat_kb_down": round(syarat[0] / 1000, 1), "syarat_kb_up": round(syarat[1] / 1000, 1),
              "syarat_requests": syarat[2]}
    page.context.close()
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=400, help="kbit/s, both ways (400)")
    parser.add_argument("--latency", type=float, default=400, help="ms added to each request (400)")
    parser.add_argument("--cpu", type=float, default=4, help="CPU slowed this many times (4)")
    parser.add_argument("--quick", action="store_true", help="3-MP photos (~1 MB): a smoke run")
    parser.add_argument("--mode", choices=["js", "nojs", "both"], default="both")
    parser.add_argument("--json", action="store_true", help="one JSON line per mode")
    args = parser.parse_args(argv)
    files = photos("quick" if args.quick else "full")
    modes = {"js": [True], "nojs": [False], "both": [True, False]}[args.mode]
    print(f"# {args.rate:g} kbit/s, {args.latency:g} ms, CPU /{args.cpu:g}, photos "
          + " + ".join(f"{p.stat().st_size / 1e6:.1f} MB" for p in files), file=sys.stderr)
    with balai_server(worker=True) as base_url, ByteTap(base_url) as tap, sync_playwright() as playwright:
        browser = launch_browser(playwright)
        results = [journey(browser, tap, files, javascript, args) for javascript in modes]
        browser.close()
    if args.json:
        for result in results:
            print(json.dumps(result))
        return
    columns = ["seconds", "kb_down", "kb_up", "requests",
               "syarat_seconds", "syarat_kb_down", "syarat_kb_up", "syarat_requests"]
    print(f"{'mode':9}" + "".join(f" {name.replace('syarat_', 's.'):>9}" for name in columns))
    for r in results:
        print(f"{r['mode']:9}" + "".join(f" {r[name]:>9}" for name in columns))
    print(f"goal with JS: <= {GOAL_SECONDS} s at 400 kbit/s")


if __name__ == "__main__":
    main()
