import datetime
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from balai.db import db as _db
from balai.db import now
from balai.news.models import PAGE_SIZE, News, NewsIndex
from tests.support.files import photo_bytes
from tests.support.postgres import sqlite_only

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def no_demo_news(db):
    """Start without the demo village's news, so each test sees only its own."""
    NewsIndex.delete().execute()
    News.delete().execute()


def make_news(title="Kerja bakti", body="Warga bergotong royong.", status="terbit", days=1,
              pinned=False, image=None, category="Pengumuman"):
    item = News(title=title, status=status, pinned=pinned, category=category,
                publish_at=now() - datetime.timedelta(days=days))
    item.set_body(body)
    if image:
        item.image, item.image_key = image.as_dict(), image.key
    item.save()
    return item


def on_wire(response):
    """Bytes of a response as the network carries it: body, headers, and ~100 for status and date."""
    return len(response.data) + sum(len(k) + len(v) + 4 for k, v in response.headers.items()) + 100


def news_form(**changes):
    form = {"title": "Posyandu bulan ini", "body": "Posyandu dibuka **Selasa**.",
            "category": "Kesehatan", "publish": "terbit", "publish_at": "", "pinned": ""}
    form.update(changes)
    return form


# The model's rules

def test_public_excludes_drafts_and_scheduled_and_orders_pinned_then_newest(db):
    old = make_news("Lama", days=10)
    new = make_news("Baru", days=1)
    pinned = make_news("Disematkan", days=20, pinned=True)
    make_news("Draf", status="draf", days=2)
    make_news("Terjadwal", days=-1)
    assert [n.title for n in News.public()] == ["Disematkan", "Baru", "Lama"]
    assert (old.newer().id, new.older().id) == (new.id, old.id)
    assert pinned.older() is None  # prev/next follow the dates, not the pinning


def test_slug_is_readable_and_unique(db):
    first = make_news("Jalan Desa Diaspal!")
    second = make_news("Jalan desa diaspal")
    assert first.slug == "jalan-desa-diaspal"
    assert second.slug == "jalan-desa-diaspal-2"
    assert make_news("cari").slug == "berita-cari"  # never hides the search page


def test_slug_stays_when_the_title_changes(db):
    item = make_news("Judul awal")
    item.title = "Judul baru"
    item.save()
    assert News.get_by_id(item.id).slug == "judul-awal"


@sqlite_only("its query planner (PostgreSQL's chooses by table size)")
def test_public_list_uses_the_index(db):
    sql, params = News.public().limit(PAGE_SIZE + 1).sql()
    plan = " ".join(row[3] for row in _db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "news_village_id_status_pinned_publish_at" in plan and "TEMP B-TREE" not in plan


class Elements(HTMLParser):
    """Every (tag, attributes) in a piece of HTML, as a browser would see them."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


@pytest.mark.parametrize("markdown", [
    "Halo <script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="#" onclick="x()">klik</a>',
    "[klik](javascript:alert(1))",
    "<iframe src=//jahat.example></iframe>",
    '<p style="color:red">merah</p>',
    "<div>\n<script>alert(1)</script>\n</div>",
])
def test_raw_html_from_the_editor_never_reaches_a_page(client, db, markdown):
    item = make_news("Berita uji", body=markdown)
    page = client.get(f"/berita/{item.slug}").get_data(as_text=True)
    article = page.split('<div class="prose">')[1].split("</div>")[0]
    elements = Elements(article).found
    assert elements, article  # the text is still there, shown as text
    for tag, attrs in elements:
        assert tag in {"p", "a"}, article
        assert not [name for name in attrs if name.startswith("on") or name == "style"], article
        assert not attrs.get("href", "").lower().startswith("javascript"), article


def test_markdown_is_rendered_and_links_are_nofollow(db):
    item = make_news(body="**Penting**: lihat [situs kabupaten](https://subang.go.id)."
                          "\n\n- satu\n- dua")
    assert "<strong>Penting</strong>" in item.body_html and "<li>satu</li>" in item.body_html
    assert 'rel="noopener nofollow"' in item.body_html
    assert item.excerpt.startswith("Penting: lihat situs kabupaten")


# Search

def test_search_finds_body_words_and_prefixes(client, db):
    make_news("Posyandu balita", body="Imunisasi dasar gratis di balai warga.")
    make_news("Rahasia", body="Imunisasi rahasia", status="draf")
    assert [n.title for n in News.search("imunisasi")] == ["Posyandu balita"]
    assert [n.title for n in News.search("imun")] == ["Posyandu balita"]
    page = client.get("/berita/cari?q=imunisasi").get_data(as_text=True)
    assert "Posyandu balita" in page and "Rahasia" not in page and "<html" in page


@pytest.mark.parametrize("query", ['"', "AND (", "NOT", "a OR", "*", "kerja)", "NEAR(x y", "'; DROP"])
def test_search_survives_odd_input(client, db, query):
    make_news("Kerja bakti")
    response = client.get("/berita/cari", query_string={"q": query})
    assert response.status_code == 200


def test_search_as_you_type_answers_a_fragment(client, db):
    make_news("Kerja bakti", body="Saluran irigasi dibersihkan.")
    response = client.get("/berita/cari?q=irigasi", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and "Kerja bakti" in html
    assert "HX-Request" in response.headers["Vary"]


def test_search_index_follows_edits_and_deletes(db):
    item = make_news("Kerja bakti", body="Saluran irigasi.")
    item.set_body("Jalan desa.")
    item.save()
    assert News.search("irigasi") == [] and len(News.search("jalan")) == 1
    item.delete_instance()
    assert News.search("jalan") == []


# The public pages

def test_home_lists_news_and_more_loads_the_next_page_as_a_small_fragment(client, db):
    for day in range(PAGE_SIZE * 2 + 1):
        make_news(f"Berita hari ke-{day}", body="Isi berita yang cukup panjang. " * 10, days=day + 1)
    home = client.get("/").get_data(as_text=True)
    assert "Berita hari ke-0" in home and "Berita hari ke-10" not in home
    assert 'href="/?halaman=2"' in home and "Ajukan surat" in home
    response = client.get("/?halaman=2", headers={"HX-Request": "true", "Accept-Encoding": "br"})
    assert "HX-Request" in response.headers["Vary"]
    assert on_wire(response) <= 2048
    import brotli
    fragment = brotli.decompress(response.data).decode()
    assert "<html" not in fragment
    assert fragment.count("<li>") == PAGE_SIZE and "Berita hari ke-10" in fragment
    assert 'hx-get="/?halaman=3"' in fragment
    last = client.get("/?halaman=3", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Berita hari ke-20" in last and "Muat lagi" not in last


def test_category_page_lists_its_news_and_loads_more(client, db):
    for day in range(PAGE_SIZE + 1):
        make_news(f"Posyandu {day}", days=day + 1, category="Kesehatan")
    make_news("Jalan baru")
    html = client.get("/berita/kategori/Kesehatan").get_data(as_text=True)
    assert "Posyandu 0" in html and "Jalan baru" not in html
    assert 'hx-get="/berita/kategori/Kesehatan?halaman=2"' in html
    more = client.get("/berita/kategori/Kesehatan?halaman=2", headers={"HX-Request": "true"})
    assert "<html" not in more.get_data(as_text=True) and "Posyandu 10" in more.get_data(as_text=True)
    assert client.get("/berita/kategori/Gosip").status_code == 404


@pytest.mark.parametrize("number", ["abc", "-3", "0", ""])
def test_nonsense_page_numbers_show_the_first_page(client, db, number):
    make_news("Satu-satunya")
    assert "Satu-satunya" in client.get(f"/?halaman={number}").get_data(as_text=True)


def test_a_full_page_of_real_news_with_photos_stays_under_2_kb(app, client, db):
    from balai.demo import seed
    from balai.media import process_image
    with app.app_context():
        image = process_image(photo_bytes())
    for number, (title, category, days, pinned, _, body) in enumerate(seed.NEWS + seed.NEWS[:3]):
        make_news(f"{title} {number}", body=body, days=days, pinned=pinned,
                  image=image if number == 0 else None)
    News.update(image=image.as_dict()).execute()  # every item shows a photo: the worst case
    response = client.get("/?halaman=1", headers={"HX-Request": "true", "Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert on_wire(response) <= 2048


def test_article_page_has_its_own_title_description_and_open_graph(app, client, db):
    from balai.media import process_image
    with app.app_context():
        image = process_image(photo_bytes())
    item = make_news("Jalan baru", body="Jalan **Dusun III** sudah diaspal.", image=image)
    html = client.get(f"/berita/{item.slug}").get_data(as_text=True)
    assert "<title>Jalan baru" in html
    assert '<meta name="description" content="Jalan Dusun III sudah diaspal.">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="http://127.0.0.1:5000/berita/{item.slug}">' in html
    og_image = re.search(r'og:image" content="http://127.0.0.1:5000(/[^"]+)"', html).group(1)
    served = client.get(og_image)
    assert served.status_code == 200 and len(served.data) <= 50 * 1024
    assert "immutable" in served.headers["Cache-Control"]
    assert re.search(r'<img [^>]*width="800" height="\d+"', html)
    assert '<source type="image/webp"' in html


def test_no_og_image_without_a_photo(client, db):
    item = make_news("Tanpa foto")
    assert "og:image" not in client.get(f"/berita/{item.slug}").get_data(as_text=True)


def test_feed_is_valid_atom_with_public_entries(client, db):
    make_news("Terbit", body="Isi <b>tebal</b> **tebal**")
    make_news("Draf", status="draf")
    response = client.get("/berita/feed.xml")
    assert response.content_type.startswith("application/atom+xml")
    feed = ET.fromstring(response.data)
    assert feed.tag == ATOM + "feed"
    assert feed.find(ATOM + "id").text and feed.find(ATOM + "updated").text
    entries = feed.findall(ATOM + "entry")
    assert [e.find(ATOM + "title").text for e in entries] == ["Terbit"]
    content = entries[0].find(ATOM + "content")
    assert content.get("type") == "html" and "<strong>tebal</strong>" in content.text
    assert 'rel="alternate" type="application/atom+xml"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("status, days", [("draf", 1), ("terbit", -1)])
def test_drafts_and_scheduled_are_for_officials_only(app, client, budi, kasipem, db, status, days):
    from balai.media import process_image
    with app.app_context():
        image = process_image(photo_bytes())
    item = make_news("Belum terbit", status=status, days=days, image=image)
    photo = f"/berita/gambar/{image.thumb.jpeg}"
    for reader in (client, budi):
        assert reader.get(f"/berita/{item.slug}").status_code == 404
        assert reader.get(photo).status_code == 404
        assert "Belum terbit" not in reader.get("/").get_data(as_text=True)
    assert kasipem.get(f"/berita/{item.slug}").status_code == 200
    assert kasipem.get(photo).status_code == 200


def test_unknown_image_names_are_404(client, db):
    assert client.get("/berita/gambar/..%2Fbalai.db").status_code == 404
    assert client.get("/berita/gambar/AAAAAAAAAAAAAAAA-thumb.jpg").status_code == 404


# The operator's editor

def test_operator_writes_publishes_edits_and_deletes(operator, client, db):
    response = operator.post("/berita/tulis", data=news_form(
        pinned="1", image=(io.BytesIO(photo_bytes()), "foto.jpg")))
    assert response.status_code == 303
    item = News.get(News.title == "Posyandu bulan ini")
    assert item.pinned and item.is_public and item.image["article"]["width"] == 800
    assert client.get(f"/berita/{item.slug}").status_code == 200
    response = operator.post(f"/berita/{item.slug}/ubah", data=news_form(title="Posyandu pindah",
                                                                      remove_image="1"))
    assert response.status_code == 303
    item = News.get_by_id(item.id)
    assert (item.title, item.image, item.slug) == ("Posyandu pindah", None, "posyandu-bulan-ini")
    assert "Hapus berita?" in operator.get(f"/berita/{item.slug}/hapus").get_data(as_text=True)
    assert operator.post(f"/berita/{item.slug}/hapus").status_code == 303
    assert News.get_or_none(News.id == item.id) is None


def test_a_double_submitted_editor_form_is_one_news_item(operator, db):
    page = operator.get("/berita/tulis").get_data(as_text=True)
    key = re.search(r'name="form_key" value="([^"]+)"', page).group(1)
    for _ in range(2):
        response = operator.post("/berita/tulis", data=news_form(
            form_key=key, image=(io.BytesIO(photo_bytes()), "foto.jpg")))
        assert response.status_code == 303
    assert News.select().where(News.title == "Posyandu bulan ini").count() == 1


def test_editor_pages_show_the_saved_values(operator, db):
    item = make_news("Jadwal posyandu", body="Selasa **pagi**", pinned=True)
    html = operator.get(f"/berita/{item.slug}/ubah").get_data(as_text=True)
    assert 'value="Jadwal posyandu"' in html and "Selasa **pagi**</textarea>" in html
    assert 'name="pinned" value="1" checked' in html and 'value="terbit" checked' in html
    assert 'name="csrf_token"' in html and 'enctype="multipart/form-data"' in html
    assert "Jadwal posyandu" in operator.get("/berita/kelola").get_data(as_text=True)
    assert 'value="terbit" checked' in operator.get("/berita/tulis").get_data(as_text=True)


@pytest.mark.parametrize("typed", ["%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M", "%d/%m/%Y %H.%M"])
def test_operator_schedules_in_the_village_time_zone(operator, client, db, typed):
    local = (now() + datetime.timedelta(hours=7 + 2)).replace(second=0, microsecond=0)  # WIB = UTC+7
    form = news_form(publish="jadwal", publish_at=local.strftime(typed))
    assert operator.post("/berita/tulis", data=form).status_code == 303
    item = News.get(News.title == "Posyandu bulan ini")
    assert item.publish_at == local - datetime.timedelta(hours=7)
    assert item.is_scheduled and not item.is_public
    assert client.get(f"/berita/{item.slug}").status_code == 404
    assert "Terjadwal" in operator.get("/berita/kelola").get_data(as_text=True)


@pytest.mark.parametrize("changes, field", [
    ({"title": ""}, "title"),
    ({"title": "x" * 151}, "title"),
    ({"body": "   "}, "body"),
    ({"category": "Gosip"}, "category"),
    ({"publish": "besok"}, "publish"),
    ({"publish": "jadwal", "publish_at": ""}, "publish_at"),
    ({"publish": "jadwal", "publish_at": "2020-01-01T08:00"}, "publish_at"),
    ({"image": (io.BytesIO(b"bukan foto"), "foto.jpg")}, "image"),
])
def test_editor_validation_answers_422_and_keeps_the_input(operator, db, changes, field):
    response = operator.post("/berita/tulis", data=news_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ada yang perlu diperbaiki" in html and f'href="#{field}"' in html
    assert "Posyandu dibuka **Selasa**." in html or field == "body"
    assert News.select().where(News.title == "Posyandu bulan ini").count() == 0


@pytest.mark.parametrize("who", ["budi", "kasipem", "sekdes", "kades"])
def test_only_the_operator_writes_news(request, db, who):
    reader = request.getfixturevalue(who)
    item = make_news("Ada")
    assert reader.get("/berita/tulis").status_code == 403
    assert reader.post("/berita/tulis", data=news_form()).status_code == 403
    assert reader.post(f"/berita/{item.slug}/ubah", data=news_form()).status_code == 403
    assert reader.post(f"/berita/{item.slug}/hapus").status_code == 403
    assert News.select().count() == News.select().where(News.title != "Posyandu bulan ini").count()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/berita/tulis")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_operator_nav_links_to_news(operator, budi, db):
    assert 'href="/berita/kelola"' in operator.get("/").get_data(as_text=True)
    assert 'href="/berita/kelola"' not in budi.get("/").get_data(as_text=True)
