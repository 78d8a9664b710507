"""Installing Balai on a phone: the web app manifest, its icons and the service worker."""
import functools
import io
import json

from flask import Blueprint, current_app, request, url_for
from PIL import Image, ImageDraw

from balai.villages.models import Village

bp = Blueprint("pwa", __name__)

ICON_SIZES = (192, 512)
GREEN = "#0b5d3b"


@functools.cache  # the same picture for every app built in a process (the tests build many)
def draw_icon(size):
    """static/icon.svg drawn as a PNG (Pillow cannot read SVG): a white house on green."""
    image = Image.new("RGBA", (size, size))
    draw = ImageDraw.Draw(image)
    unit = size / 32
    draw.rounded_rectangle((0, 0, size - 1, size - 1), radius=6 * unit, fill=GREEN)
    draw.polygon([(x * unit, y * unit) for x, y in ((6, 15), (16, 7), (26, 15), (26, 25), (6, 25))],
                 fill="white")
    draw.rectangle((13 * unit, 18 * unit, 19 * unit, 25 * unit), fill=GREEN)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@bp.record_once
def add_icons(state):
    assets = state.app.extensions["static_assets"]
    for size in ICON_SIZES:
        assets.add(f"icon-{size}.png", draw_icon(size))


@bp.route("/manifest.webmanifest")
def manifest():
    village = Village.current_or_none()  # none on the regency office's host
    name = village.name if village else "Kantor Kabupaten"
    data = {
        "name": f"{name} · Balai",
        "short_name": name.removeprefix("Desa ").strip() or "Balai",
        "lang": "id",
        "start_url": url_for("home.index"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": GREEN,
        "icons": [{"src": url_for("static", filename=f"icon-{size}.png"), "sizes": f"{size}x{size}",
                   "type": "image/png", "purpose": "any"} for size in ICON_SIZES],
    }
    response = current_app.response_class(json.dumps(data, ensure_ascii=False),
                                          mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag(weak=True)
    return response.make_conditional(request)


@bp.route("/sw.js")
def service_worker():
    """Served from the root so that its scope is the whole site."""
    return current_app.extensions["static_assets"].serve_at_root("sw.js")
