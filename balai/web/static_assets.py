"""Static files with fingerprinted names, kept compressed in memory, cached for a year.

At start-up every file under static/ is read once: its name gets a short hash of its content
(`app.css` -> `app.3f2a1b9c.css`) and text files are compressed with brotli and gzip ahead of
time, once per process for each content (another app in the same process, as in the tests,
reuses them). `url_for('static', filename='app.css')` gives the fingerprinted URL, so a page
always names the exact version it needs and the browser may keep it forever (`immutable`). An
unfingerprinted name still works, with a short cache, for links made by hand.
"""
import functools
import gzip
import hashlib
import mimetypes
from pathlib import Path
from urllib.parse import quote

import brotli
from flask import Response, request, send_from_directory

IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = 300
COMPRESSIBLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml",
                "application/json", "application/manifest+json", "text/plain"}
mimetypes.add_type("application/manifest+json", ".webmanifest")


class Asset:
    """One static file: its bytes, and the same bytes brotli- and gzip-compressed."""

    def __init__(self, name, body):
        self.body = body
        self.mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
        self.digest = hashlib.sha256(self.body).hexdigest()[:10]
        self.encoded = compressed(self.body) if self.mimetype in COMPRESSIBLE else {}

    def response(self, cache_control):
        """The asset in the best encoding the browser accepts."""
        accepted = request.headers.get("Accept-Encoding", "")
        encoding = next((name for name in self.encoded if name in accepted), None)
        response = Response(self.encoded[encoding] if encoding else self.body,
                            mimetype=self.mimetype)
        if encoding:
            response.headers["Content-Encoding"] = encoding
        if self.encoded:
            response.vary.add("Accept-Encoding")
        response.headers["Cache-Control"] = cache_control
        response.set_etag(self.digest)
        return response.make_conditional(request)


@functools.cache
def compressed(body):
    """body in brotli (at its slow best) and gzip, keyed by the content itself: a changed file
    is compressed again, an unchanged one never twice in a process."""
    return {"br": brotli.compress(body, quality=11), "gzip": gzip.compress(body, 9, mtime=0)}


def fingerprinted(name, digest):
    """`vendor/htmx.min.js` -> `vendor/htmx.min.<digest>.js`."""
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"


class StaticAssets:
    """The app's static/ folder, served under the `static` endpoint with fingerprinted URLs."""

    def __init__(self, app):
        self.folder = Path(app.static_folder)
        self.assets = {}
        self.by_fingerprint = {}
        for path in sorted(p for p in self.folder.rglob("*") if p.is_file()):
            self.add(path.relative_to(self.folder).as_posix(), path.read_bytes())
        app.view_functions["static"] = self.serve  # Flask's own /static/<path:filename> rule
        app.url_defaults(self.fingerprint_url)
        app.add_template_global(self.data_url)

    def add(self, name, body):
        """Serve body as static/<name>, e.g. an icon drawn at start-up."""
        asset = Asset(name, body)
        self.assets[name] = asset
        self.by_fingerprint[fingerprinted(name, asset.digest)] = asset

    def data_url(self, name):
        """A small file written into the page itself: one request fewer (used for the icon)."""
        asset = self.assets[name]
        return f"data:{asset.mimetype},{quote(asset.body.strip(), safe='/=:;,-.')}"

    def fingerprint_url(self, endpoint, values):
        if endpoint == "static" and values.get("filename") in self.assets:
            name = values["filename"]
            values["filename"] = fingerprinted(name, self.assets[name].digest)

    def serve(self, filename):
        if filename in self.by_fingerprint:
            return self.by_fingerprint[filename].response(IMMUTABLE)
        if filename in self.assets:
            return self.assets[filename].response(f"public, max-age={SHORT}")
        # A file added after start-up (or not at all): straight from disk, briefly cached.
        return send_from_directory(self.folder, filename, max_age=SHORT)

    def serve_at_root(self, name, cache_control="no-cache"):
        """A static file that must live at the site root (the service worker's scope is /)."""
        return self.assets[name].response(cache_control)
