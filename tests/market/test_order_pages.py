"""Order pages tell the time of each order in the village's own clock."""
import datetime

import pytest

from balai.market.orders import Order
from tests.support.market import make_product, make_shop, place, user
from tests.support.village import SITI

PLACED = datetime.datetime(2026, 8, 17, 1, 30)  # stored UTC: 08.30 in Asia/Jakarta
MOVED = datetime.datetime(2026, 8, 17, 16, 5)   # 23.05 in Asia/Jakarta


@pytest.fixture
def order(db):
    order = place(make_product(make_shop(), stock=5))
    order.apply("konfirmasi", user(SITI))
    Order.update(created_at=PLACED, updated_at=MOVED).where(Order.id == order.id).execute()
    return order


@pytest.mark.parametrize("who, url", [("budi", "/pesanan/{id}"), ("siti", "/pesanan/{id}"),
                                      ("budi", "/pesanan"), ("siti", "/lapak-saya")])
def test_order_pages_show_the_local_time_it_was_placed(request, order, who, url):
    html = request.getfixturevalue(who).get(url.format(id=order.id)).get_data(as_text=True)
    assert "17 Agustus 2026 pukul 08.30" in html


def test_order_page_shows_when_it_last_changed(budi, order):
    html = budi.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert "Terakhir berubah" in html and "17 Agustus 2026 pukul 23.05" in html
