"""Markup every checker passes: the W3C HTML checker (vnu) over every page of the route walk,
for every role, finds no error."""
import re
from urllib.parse import unquote

import pytest

from tests.support import html_checker
from tests.support.routes import ROLES, urls


def pages(app, request, objects):
    """{"role url": html} of every GET page of the walk that answers with a whole HTML page."""
    found, seen = {}, set()
    for role in ROLES:
        client = request.getfixturevalue(role) if role else app.test_client()
        for _endpoint, url in urls(app, objects):
            response = client.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            html = response.get_data(as_text=True)
            if "<html" not in html[:500].lower():
                continue  # an htmx fragment, not a page
            if html not in seen:
                seen.add(html)
                found[f"{role or 'tamu'} {url}"] = html
    return found


@pytest.mark.skipif(not html_checker.java(), reason="no java on this machine: the HTML checker "
                    "(vnu) needs it (`make vnu` installs default-jre-headless)")
def test_the_html_checker_finds_no_error_on_any_page_for_any_role(app, request, objects,
                                                                   tmp_path):
    assert html_checker.vnu_jar(), "the HTML checker is missing: run `make vnu`"
    documents = pages(app, request, objects)
    assert len(documents) > 40
    errors = html_checker.errors(documents, tmp_path)
    for name, html in documents.items():  # what axe finds and the checker lets pass
        if re.search(r"<th[^>]*>\s*</th>", html):
            errors.setdefault(name, []).append("a table header without text")
    assert not errors, "\n".join(
        f"{name}:\n  " + "\n  ".join(messages) for name, messages in sorted(errors.items()))


def test_the_icon_is_a_percent_encoded_data_url_of_the_icon_file(client):
    html = client.get("/").get_data(as_text=True)
    url = re.search(r'<link rel="icon" href="([^"]+)"', html)[1]
    assert url.startswith("data:image/svg+xml,") and not re.search(r"[\s#<>\"]", url)
    icon = (html_checker.ROOT / "balai" / "static" / "icon.svg").read_text().strip()
    assert unquote(url.removeprefix("data:image/svg+xml,")) == icon


@pytest.mark.parametrize("url", ["/daftar", "/berita/cari", "/berita/kategori/Pengumuman"])
def test_public_pages_describe_themselves_for_search_engines(client, url):
    html = client.get(url).get_data(as_text=True)
    assert re.search(r'<meta name="description" content="[^"]{20,}">', html), url
