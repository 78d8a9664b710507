"""The home page puts the services first: a new resident finds "Ajukan surat" and "Cek keaslian
surat" before the news, in the menu too, and a logged-out tap says why it asks to log in."""
import re

from tests.support.browser import visit


def nav_links(html):
    nav = re.search(r"<nav>(.*?)</nav>", html, re.S).group(1)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)


def test_services_come_before_the_news(client, db):
    html = client.get("/").get_data(as_text=True)
    services = re.search(r'<ul class="services">(.*?)</ul>', html, re.S)
    assert services and html.index('class="services"') < html.index("Berita desa")
    assert re.findall(r'<a href="([^"]+)"><strong>([^<]+)</strong>', services.group(1)) == [
        ("/surat/baru", "Ajukan surat"), ("/verifikasi", "Cek keaslian surat"),
        ("/lapak", "Lapak"), ("#berita", "Berita")]
    assert 'id="berita"' in html


def test_a_logged_out_menu_names_the_services_and_the_footer_the_check(client, db):
    html = client.get("/").get_data(as_text=True)
    assert [name for _, name in nav_links(html)] == [
        "Ajukan surat", "Cek keaslian surat", "Lapak", "Berita", "Masuk"]
    assert dict((name, href) for href, name in nav_links(html))["Cek keaslian surat"] == (
        "/verifikasi")
    footer = re.search(r'<footer class="foot">(.*?)</footer>', html, re.S).group(1)
    assert '<a href="/verifikasi">Cek keaslian surat</a>' in footer


def test_a_logged_out_tap_on_ajukan_surat_says_why_and_where_to_register(client, db):
    sent = client.get("/surat/baru")
    assert sent.status_code == 302 and "/masuk?next=/surat/baru" in sent.location
    page = client.get(sent.location).get_data(as_text=True)
    assert "Masuk dulu untuk mengajukan surat." in page
    reason = page[page.index("Masuk dulu"):]
    assert reason.index('href="/daftar"') < reason.index("<form")
    assert "Masuk dulu" not in client.get("/masuk").get_data(as_text=True)


def test_on_a_phone_the_services_are_on_the_first_screen(db, browser_context, live_server):
    page = browser_context.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    cdp = browser_context.new_cdp_session(page)
    cdp.send("Network.enable")
    visit(page, cdp, live_server + "/")
    for name in ("Ajukan surat", "Cek keaslian surat", "Lapak"):
        box = page.locator(".services strong", has_text=name).bounding_box()
        assert box and box["y"] + box["height"] <= 740, (name, box)
    news = page.locator("#berita h2").bounding_box()
    assert news["y"] > page.locator(".services").bounding_box()["y"]
