"""The page's icon, written into the page as a data URL, is one Chromium can decode (an icon
with raw spaces and `#` in its data URL showed nothing)."""
import re


def test_chromium_decodes_the_icon_of_the_page(page, client):
    icon = re.search(r'<link rel="icon" href="([^"]+)"', client.get("/").get_data(as_text=True))[1]
    page.set_content(f'<img id="ikon" alt="" src="{icon}">')
    page.wait_for_function("document.getElementById('ikon').complete")
    assert page.evaluate("document.getElementById('ikon').naturalWidth") > 0
