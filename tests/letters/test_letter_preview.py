"""The draft letter on the request page of every official step (issue 14): the same renderer,
marked DRAF / CONTOH, as page images the worker makes per version of the request, behind the
request page's own access check; the database says what is still to make, so a lost render is
asked for again by the page or by the worker's start-up."""
import datetime
import io
import re
import threading
import time

from PIL import Image

from balai.db import now
from balai.letters import preview
from balai.letters.models import LetterRequest
from balai.letters.preview import LetterPreview, page_key
from balai.storage import documents
from balai.sweep import kept_keys
from tests.support.village import make_request

KB = 1024
PENDING = "Pratinjau surat sedang disiapkan…"


def image_urls(html):
    return re.findall(r'src="(/kotak-masuk/\d+/pratinjau/\d+/\d+\.png)"', html)


def test_each_step_sees_the_letter_it_decides_as_page_images(app, kasipem, sekdes, kades):
    letter = make_request(status="diajukan")
    for client, status in ((kasipem, "diajukan"), (sekdes, "diverifikasi"), (kades, "diperiksa")):
        LetterRequest.update(status=status, version=LetterRequest.version + 1).where(
            LetterRequest.id == letter.id).execute()
        html = client.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True)
        version = LetterRequest.get_by_id(letter.id).version
        urls = image_urls(html)
        assert urls == [f"/kotak-masuk/{letter.id}/pratinjau/{version}/1.png"], status
        assert 'width="800" height="1132"' in html and PENDING not in html  # A4
        response = client.get(urls[0])
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert len(response.data) <= 60 * KB
        assert Image.open(io.BytesIO(response.data)).size == (800, 1132)
        # only the version shown is kept: the one before is gone from the store
        stored = [key for key, _ in documents(app).listing(f"previews/{letter.id}/")]
        assert stored == [page_key(letter.id, version, 1)]
        assert client.get(f"/kotak-masuk/{letter.id}/pratinjau/{version - 1}/1.png").status_code \
            == 404


def test_the_decision_follows_the_letter_before_the_data(kades):
    letter = make_request(status="diperiksa")
    html = kades.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True)
    assert html.index("Surat yang akan dicetak") < html.index("Keputusan Anda") \
        < html.index('<h2 id="data">Data penduduk</h2>')


def test_while_it_is_made_the_page_says_so_and_polls(app, kades):
    letter = make_request(status="diperiksa")
    LetterPreview.create(request=letter.id, version=letter.version, pages=0, asked_at=now())
    html = kades.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True)
    assert PENDING in html and not image_urls(html)
    assert f'data-hx-get="/kotak-masuk/{letter.id}/pratinjau" data-hx-trigger="every 2s"' in html
    assert f'href="/kotak-masuk/{letter.id}">Muat ulang halaman</a>' in html  # no JS
    piece = kades.get(f"/kotak-masuk/{letter.id}/pratinjau").get_data(as_text=True)
    assert PENDING in piece and "<html" not in piece


def test_a_lost_render_is_asked_for_again_by_the_page(app, kades):
    letter = make_request(status="diperiksa")
    LetterPreview.create(request=letter.id, version=letter.version, pages=0,
                         asked_at=now() - datetime.timedelta(minutes=3))
    piece = kades.get(f"/kotak-masuk/{letter.id}/pratinjau").get_data(as_text=True)
    assert image_urls(piece) and PENDING not in piece
    assert LetterPreview.get(LetterPreview.request == letter.id).pages == 1


def test_the_worker_start_makes_what_was_asked_for_and_never_made(app, db):
    letter = make_request(status="diverifikasi")
    gone = make_request(status="ditolak")  # decided meanwhile: nothing to make
    for req in (letter, gone):
        LetterPreview.create(request=req.id, version=req.version, pages=0, asked_at=now())
    assert LetterPreview.unfinished() == [((letter.id, letter.version), None)]
    app.extensions["queue"].recover()  # what huey's start-up runs
    assert LetterPreview.get(LetterPreview.request == letter.id).pages == 1
    assert LetterPreview.get(LetterPreview.request == gone.id).pages == 0
    with app.app_context():
        assert documents().exists(page_key(letter.id, letter.version, 1))


def test_a_decided_request_has_no_preview_and_the_sweep_lets_it_go(app, kades):
    letter = make_request(status="diperiksa")
    kades.get(f"/kotak-masuk/{letter.id}")
    key = page_key(letter.id, letter.version, 1)
    with app.app_context():
        assert key in kept_keys()
    LetterRequest.update(status="selesai", version=LetterRequest.version + 1).where(
        LetterRequest.id == letter.id).execute()
    with app.app_context():
        assert key not in kept_keys()  # the sweep removes it after its grace
    html = kades.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True)
    assert "pratinjau" not in html
    assert kades.get(f"/kotak-masuk/{letter.id}/pratinjau").get_data(as_text=True) == ""
    assert kades.get(f"/kotak-masuk/{letter.id}/pratinjau/{letter.version}/1.png").status_code \
        == 404


def test_only_those_who_may_see_the_request_get_its_images(app, kasipem, sekdes, kasikesra,
                                                           budi):
    letter = make_request(status="diajukan")
    url = image_urls(kasipem.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True))[0]
    assert kasipem.get(url).status_code == 200
    assert kasipem.get(url).headers["Cache-Control"] == "private, no-store"
    assert sekdes.get(url).status_code == 403  # not at the Sekdes's step yet
    assert kasikesra.get(url).status_code == 403  # not this letter's Kasi
    assert budi.get(url).status_code == 403  # residents have no inbox
    assert app.test_client().get(url).status_code == 302  # to the login page


def test_images_gone_from_the_store_are_made_again(app, kades):
    """A backup restored without them (the rows say they were made): the page asks again."""
    letter = make_request(status="diperiksa")
    url = image_urls(kades.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True))[0]
    with app.app_context():
        documents().delete(page_key(letter.id, letter.version, 1))
    assert kades.get(url).status_code == 404
    assert image_urls(kades.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True)) == [url]
    assert kades.get(url).status_code == 200


def test_one_render_at_a_time_and_a_second_ask_finds_it_made(app, db, monkeypatch):
    """Two worker threads given the same request: one draws the letter, the other waits and
    finds it made; never two drawings at once (xhtml2pdf and pdfium take one document each)."""
    letter = make_request(status="diperiksa")
    LetterPreview.create(request=letter.id, version=letter.version, pages=0, asked_at=now())
    drawing, drawn, most = [], [], []
    real = preview.render_draft

    def watched(*args):
        drawing.append(1)
        most.append(len(drawing))
        time.sleep(0.2)
        try:
            return real(*args)
        finally:
            drawing.pop()
            drawn.append(1)

    monkeypatch.setattr(preview, "render_draft", watched)

    def worker():
        with app.extensions["queue"].context():
            preview.render(letter.id, letter.version)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(drawn) == 1 and max(most) == 1
    assert LetterPreview.get(LetterPreview.request == letter.id).pages == 1
