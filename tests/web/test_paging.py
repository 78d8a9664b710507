"""The one paging helper: ?halaman=N, the page's rows, and whether another page follows."""
import pytest

from balai.villages.models import Village
from balai.web.paging import page_of


@pytest.fixture
def five_rows(db):
    for number in range(5):
        Village.create(name=f"Uji {number}")
    return Village.select().where(Village.name.startswith("Uji ")).order_by(Village.name)


@pytest.mark.parametrize("asked, number, names, has_more", [
    ("", 1, ["Uji 0", "Uji 1"], True),
    ("?halaman=2", 2, ["Uji 2", "Uji 3"], True),
    ("?halaman=3", 3, ["Uji 4"], False),
    ("?halaman=9", 9, [], False),
    ("?halaman=0", 1, ["Uji 0", "Uji 1"], True),
    ("?halaman=-2", 1, ["Uji 0", "Uji 1"], True),
    ("?halaman=dua", 1, ["Uji 0", "Uji 1"], True),
    ("?halaman=99999999999", 100_000, [], False),
])
def test_a_page_of_two(app, five_rows, asked, number, names, has_more):
    with app.test_request_context("/" + asked):
        page = page_of(five_rows, 2)
    assert (page.number, [v.name for v in page.items], page.has_more) == (number, names, has_more)
    assert page.pages is None


@pytest.mark.parametrize("asked, number, pages", [("", 1, 3), ("?halaman=3", 3, 3),
                                                  ("?halaman=9", 3, 3)])
def test_a_counted_list_knows_its_pages_and_shows_the_last_for_a_number_past_it(
        app, five_rows, asked, number, pages):
    with app.test_request_context("/" + asked):
        page = page_of(five_rows, 2, counted=True)
    assert (page.number, page.pages) == (number, pages)


def test_an_empty_counted_list_has_one_page(app, db):
    with app.test_request_context("/?halaman=4"):
        page = page_of(Village.select().where(Village.id < 0), 10, counted=True)
    assert (page.items, page.number, page.has_more, page.pages) == ([], 1, False, 1)
