"""A sold-out product says so, instead of asking the buyer to order fewer than none."""
import re

import pytest

from balai.market.orders import Order, OrderError
from tests.support.market import make_product, make_shop, place, stock_of
from tests.support.village import AHMAD

SOLD_OUT = "Maaf, Keripik tempe sudah habis."


@pytest.fixture
def shop(db):
    return make_shop()


def order_data(product, quantity, **extra):
    return {f"qty-{product.id}": str(quantity), "delivery": "antar", "note": "", **extra}


def test_ordering_a_sold_out_product_says_it_is_sold_out(budi, shop):
    product = make_product(shop, stock=0)
    for url in (f"/lapak/{shop.id}/pesan", f"/lapak/{shop.id}/pesan/kirim"):
        response = budi.post(url, data=order_data(product, 1, form_key="k"))
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and SOLD_OUT in html and "tinggal 0" not in html
    assert Order.select().count() == 0


def test_the_last_item_taken_meanwhile_is_sold_out_when_placing(budi, shop):
    product = make_product(shop, stock=2)
    check = budi.post(f"/lapak/{shop.id}/pesan", data=order_data(product, 2))
    key = re.search(r'name="form_key" value="([^"]+)"', check.get_data(as_text=True)).group(1)
    place(product, 2, buyer=AHMAD)
    response = budi.post(f"/lapak/{shop.id}/pesan/kirim", data=order_data(product, 2, form_key=key))
    assert response.status_code == 422 and SOLD_OUT in response.get_data(as_text=True)
    with pytest.raises(OrderError, match=re.escape(SOLD_OUT)):
        place(product, 1)
    assert stock_of(product) == 0 and Order.select().count() == 1


def test_a_product_with_some_left_still_says_how_many(shop):
    product = make_product(shop, stock=1)
    with pytest.raises(OrderError, match="Stok Keripik tempe tinggal 1 bungkus. Kurangi jumlahnya."):
        place(product, 2)


def test_the_product_page_of_a_sold_out_product_says_it_is_sold_out(client, shop):
    product = make_product(shop, stock=0)
    html = client.get(f"/lapak/produk/{product.id}").get_data(as_text=True)
    assert SOLD_OUT in html and "Pesan</a>" not in html
