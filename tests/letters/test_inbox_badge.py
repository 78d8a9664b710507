"""The inbox badge in the menu: a number while something waits, nothing at all when empty."""
from tests.support.village import waiting


def test_an_empty_inbox_shows_no_badge(db, kasipem):
    page = kasipem.get("/kotak-masuk").get_data(as_text=True)
    assert 'id="inbox-count" class="count count-zero">0<' in page
    assert "Tidak ada permohonan yang menunggu Anda" in page


def test_a_waiting_request_shows_its_count(db, kasipem):
    waiting()
    page = kasipem.get("/kotak-masuk").get_data(as_text=True)
    assert 'id="inbox-count" class="count">1<' in page
