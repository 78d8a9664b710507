"""What makes repeat visits cheap: fingerprinted static files, compression, ETags, no cookies on
public pages, and the manifest and service worker. The browser-measured budget is
test_page_weight.py."""
import re

import pytest
from flask import url_for

from balai.media import process_image
from balai.news.models import News
from balai.villages.models import Village
from tests.support.files import photo_bytes
from tests.support.village import make_request

BR_GZIP = {"Accept-Encoding": "br, gzip"}


def static_urls(html):
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_page_names_fingerprinted_assets_cached_for_a_year(client):
    urls = static_urls(client.get("/").get_data(as_text=True))
    assert {re.sub(r"\.[0-9a-f]{10}\.", ".", url) for url in urls} == {
        "/static/app.css", "/static/vendor/htmx.min.js", "/static/app.js"}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_unfingerprinted_name_is_cached_briefly(client):
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert client.get("/static/tidak-ada.css").status_code == 404


def test_a_changed_file_gets_a_new_name(app):
    with app.test_request_context():
        before = url_for("static", filename="app.css")
        app.extensions["static_assets"].add("app.css", b"body{color:red}")
        after = url_for("static", filename="app.css")
    assert before != after and after.startswith("/static/app.") and after.endswith(".css")
    assert app.test_client().get(after).data == b"body{color:red}"


@pytest.mark.parametrize("encoding", ["br", "gzip"])
@pytest.mark.parametrize("path", ["/", "/static/app.css", "/static/vendor/htmx.min.js", "/sw.js"])
def test_text_is_compressed(client, path, encoding):
    url = static_urls(client.get("/").get_data(as_text=True))[0] if path == "/static/app.css" else path
    response = client.get(url, headers={"Accept-Encoding": encoding})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]


def test_public_page_revalidates_with_etag_and_sets_no_cookie(client):
    response = client.get("/", headers=BR_GZIP)
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Set-Cookie" not in response.headers
    assert "csrf" not in client.get("/").get_data(as_text=True).lower()
    again = client.get("/", headers={**BR_GZIP, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_public_page_changes_when_the_village_does(client, db):
    etag = client.get("/").headers["ETag"]
    Village.update(name="Desa Mekarsari").execute()
    response = client.get("/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Desa Mekarsari" in response.get_data(as_text=True)


def test_private_pages_are_never_shared_or_stored(kasipem):
    for path in ("/", "/kotak-masuk"):
        response = kasipem.get(path)
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "ETag" not in response.headers


def test_login_page_is_private_because_it_carries_a_token(client):
    for _ in range(3):  # the session (with its token) exists from the first visit on
        response = client.get("/masuk")
        assert response.headers["Cache-Control"] == "private, no-store"
        assert "ETag" not in response.headers


def test_public_files_do_not_vary_by_cookie(app, db, budi):
    """Otherwise each new session cookie (a flash message) makes the browser re-check them all."""
    with app.app_context():
        photo = process_image(photo_bytes())
    item = News.select().first()
    item.image, item.image_key = photo.as_dict(), photo.key
    item.save()
    html = budi.get("/").get_data(as_text=True)
    for url in static_urls(html) + [f"/berita/gambar/{photo.thumb.webp}"]:
        response = budi.get(url)
        assert response.status_code == 200 and response.cache_control.public
        assert "Cookie" not in response.headers.get("Vary", ""), url
    assert "Cookie" in budi.get("/surat").headers["Vary"]


def test_manifest_names_the_village_and_its_icons(client):
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    assert manifest["short_name"] == "Sukamaju"
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        size = int(icon["sizes"].split("x")[0])
        assert response.mimetype == "image/png"
        assert response.data[16:24] == size.to_bytes(4, "big") * 2  # PNG header: width, height


def test_service_worker_lives_at_the_root_and_skips_private_pages(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    script = response.get_data(as_text=True)
    assert "private" in script and 'request.method !== "GET"' in script


def test_logged_in_visitor_never_gets_the_kept_anonymous_page(client, kasipem):
    assert "Keluar" not in client.get("/").get_data(as_text=True)
    assert "Keluar" in kasipem.get("/").get_data(as_text=True)
    assert "Keluar" not in client.get("/").get_data(as_text=True)


HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize("path", ["/", "/?halaman=2", "/berita/cari?q=posyandu",
                                  "/berita/kategori/Pengumuman", "/berita/tidak-ada"])
def test_fragment_and_page_of_one_url_say_they_vary(client, path):
    """Twice each: the second answer may come from the page cache, a third is a 304."""
    for headers in (HTMX, {}, HTMX, {}):
        response = client.get(path, headers=headers)
        assert "HX-Request" in response.headers["Vary"], (path, headers)
        assert ("<html" in response.get_data(as_text=True)) == (not headers)
    if response.status_code == 200:
        again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304 and "HX-Request" in again.headers["Vary"]


def test_official_fragments_say_they_vary(kasipem, db):
    for headers in (HTMX, {}):
        assert "HX-Request" in kasipem.get("/notifikasi", headers=headers).headers["Vary"]
        letter = make_request(status="diajukan")
        kasipem.get(f"/kotak-masuk/{letter.id}")  # the Kasi approves what they opened
        response = kasipem.post(f"/kotak-masuk/{letter.id}", headers=headers,
                                data={"action": "setujui", "version": letter.version})
        assert response.status_code == (200 if headers else 303)
        assert "HX-Request" in response.headers["Vary"]


def test_no_web_fonts_no_css_framework_and_a_few_kb_of_our_own_javascript(app, client):
    names = set(app.extensions["static_assets"].assets)
    assert [name for name in names if name.endswith(".css")] == ["app.css"]
    assert sorted(name for name in names if name.endswith(".js")) == [
        "app.js", "sw.js", "vendor/htmx.min.js"]
    assert not [name for name in names if name.endswith((".woff", ".woff2", ".ttf", ".otf"))]
    css = client.get("/static/app.css").data
    assert b"@font-face" not in css and b"@import" not in css and len(css) <= 8 * 1024
    for name in ("app.js", "sw.js"):  # read by a person, and as a phone receives it
        sent = client.get(f"/static/{name}", headers={"Accept-Encoding": "br"})
        assert len(client.get(f"/static/{name}").data) <= 12 * 1024, name
        assert sent.headers["Content-Encoding"] == "br" and len(sent.data) <= 4 * 1024, name


def file_inputs(html):
    return re.findall(r'<input type="file"[^>]*>', html)


def test_photo_fields_shrink_in_the_browser_and_the_syarat_form_shows_progress(budi, operator, db):
    syarat = budi.get(f"/surat/{make_request().id}/syarat").get_data(as_text=True)
    editor = operator.get("/berita/tulis").get_data(as_text=True)
    inputs = file_inputs(syarat) + file_inputs(editor)
    assert len(inputs) >= 3 and all("data-shrink" in tag for tag in inputs), inputs
    assert re.search(r'<form [^>]*enctype="multipart/form-data"[^>]*data-progress>', syarat)


def test_a_kept_page_comes_compressed_with_the_same_etag(client):
    import gzip

    import brotli
    rendered = client.get("/", headers=BR_GZIP)
    kept = client.get("/", headers=BR_GZIP)  # from the page cache
    assert kept.headers["ETag"] == rendered.headers["ETag"]
    assert kept.headers["Content-Encoding"] == "br" and "Accept-Encoding" in kept.headers["Vary"]
    assert int(kept.headers["Content-Length"]) == len(kept.data)
    page = brotli.decompress(rendered.data)
    assert brotli.decompress(kept.data) == page
    assert gzip.decompress(client.get("/", headers={"Accept-Encoding": "gzip"}).data) == page
    assert client.get("/", headers={"Accept-Encoding": ""}).data == page
    again = client.get("/", headers={**BR_GZIP, "If-None-Match": kept.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_static_files_are_compressed_once_per_process_and_again_when_changed(tmp_path,
                                                                           monkeypatch):
    import brotli
    from flask import Flask

    from balai.web import static_assets
    compressed = []
    real = brotli.compress
    monkeypatch.setattr(static_assets.brotli, "compress",
                        lambda body, **options: compressed.append(body) or real(body, **options))
    css = tmp_path / "app.css"
    css.write_bytes(f"/* {tmp_path} */ body{{color:green}}".encode())  # new to this process

    def served(app):
        with app.test_request_context():
            url = url_for("static", filename="app.css")
        return url, brotli.decompress(app.test_client().get(url, headers=BR_GZIP).data)

    first, second = (Flask(__name__, static_folder=tmp_path) for _ in range(2))
    for app in (first, second):
        static_assets.StaticAssets(app)
    assert compressed == [css.read_bytes()] and served(first) == served(second)
    css.write_bytes(css.read_bytes().replace(b"green", b"red"))
    changed = Flask(__name__, static_folder=tmp_path)
    static_assets.StaticAssets(changed)
    assert compressed[1:] == [css.read_bytes()]
    assert served(changed)[1] == css.read_bytes() and served(changed)[0] != served(first)[0]
