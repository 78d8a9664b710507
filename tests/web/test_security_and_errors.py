"""App-wide behaviour: security headers, errors in Bahasa Indonesia, templates CSP can allow."""
import re
from pathlib import Path

import pytest

import balai
from balai import create_app

TEMPLATES = Path(balai.__file__).resolve().parent / "templates"


def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "HX-Request" in response.headers["Vary"]


# PDF templates are read by xhtml2pdf, never by a browser, so they may style themselves.
BROWSER_TEMPLATES = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")
                           if p.parent.name != "pdf")
assert BROWSER_TEMPLATES, f"no templates under {TEMPLATES}"  # never pass by checking nothing


@pytest.mark.parametrize("template", BROWSER_TEMPLATES)
def test_templates_have_no_inline_script_style_or_handlers(template):
    html = (TEMPLATES / template).read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"<style\b", html), "inline <style>"
    assert not re.search(r"\s(on[a-z]+|(data-)?hx-on[:\w-]*)\s*=", html), "event handler attribute"
    assert not re.search(r"\sstyle\s*=", html), "style attribute"


@pytest.fixture
def csrf_app(tmp_path):
    return create_app({"TESTING": True, "DATA_DIR": str(tmp_path), "SECRET_KEY": "t"})


def test_expired_csrf_token_gets_a_message_in_indonesian(csrf_app):
    from balai import schema
    schema.create_tables()
    response = csrf_app.test_client().post("/masuk", data={"login": "x", "password": "y"})
    assert response.status_code == 400
    assert "Muat ulang halaman" in response.get_data(as_text=True)


def test_csrf_error_on_htmx_request_goes_into_the_message_area(csrf_app):
    from balai import schema
    schema.create_tables()
    response = csrf_app.test_client().post("/masuk", data={}, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#pesan"
    assert "<html" not in body and "Muat ulang halaman" in body


def test_too_large_upload_gets_a_clear_page(client):
    response = client.post("/masuk", data={"login": "x" * (27 * 1024 * 1024)})
    assert response.status_code == 413
    assert "terlalu besar" in response.get_data(as_text=True)


def test_unknown_page_is_a_page_in_indonesian(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "tidak ditemukan" in response.get_data(as_text=True)


def test_anonymous_public_page_sets_no_cookie(client):
    assert "Set-Cookie" not in client.get("/").headers
