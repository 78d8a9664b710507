"""Need to know in the lapak: an order, its payment picture and its buyer's WhatsApp number are
for its buyer and its seller only; another seller, another buyer, an official or the operator
gets a 404, and a seller sees a buyer's number only on that buyer's orders with them."""
import io

import pytest

from balai.market.models import Shop
from tests.support.market import make_product, make_shop, place, user
from tests.support.notify import verified
from tests.support.qris import qr_png, qris_payload
from tests.support.village import AHMAD, BUDI, SITI

BUDI_WA = "6281298765432"


@pytest.fixture
def qris_order(db, siti):
    """Budi's order at Siti's lapak, paid by QRIS; Ahmad runs a lapak of his own."""
    make_shop()
    siti.post("/lapak-saya/atur", content_type="multipart/form-data", data={
        "name": "Warung Uji", "whatsapp": "081234567890", "location": "RT 1",
        "delivery": "ambil", "payments": ["tunai", "qris"],
        "qris": (io.BytesIO(qr_png(qris_payload())), "qris.png")})
    assert Shop.get(Shop.owner == user(SITI)).qris_file
    verified(user(BUDI), "whatsapp", BUDI_WA)
    make_shop(nik=AHMAD, name="Toko Ahmad")
    return place(make_product(Shop.get(Shop.owner == user(SITI))), delivery="ambil",
                 payment="qris")


@pytest.mark.parametrize("who, status", [
    (BUDI, 200), (SITI, 200), (AHMAD, 404), ("kasipem", 404), ("sekdes", 404),
    ("kades", 404), ("operator", 404)])
def test_only_the_buyer_and_the_seller_open_an_order_and_its_qris(login, qris_order, who,
                                                                  status):
    client = login.as_(who)
    page = client.get(f"/pesanan/{qris_order.id}")
    assert page.status_code == status
    assert client.get(f"/pesanan/{qris_order.id}/qris").status_code == status
    assert (BUDI_WA in page.get_data(as_text=True)) == (who == SITI)


def test_anonymous_visitors_are_sent_to_log_in(app, qris_order):
    client = app.test_client()
    for url in (f"/pesanan/{qris_order.id}", f"/pesanan/{qris_order.id}/qris"):
        assert "/masuk" in client.get(url).location


def test_another_seller_never_sees_the_buyers_number(login, qris_order):
    ahmad = login.as_(AHMAD)
    place(make_product(Shop.get(Shop.owner == user(AHMAD)), name="Gula aren"), delivery="ambil")
    dashboard = ahmad.get("/lapak-saya").get_data(as_text=True)
    assert "Gula aren" in dashboard and f"#{qris_order.id}<" not in dashboard
    # Budi's number is shown to Ahmad only for Budi's own order with Ahmad
    assert dashboard.count(BUDI_WA) == 1
    siti_dashboard = login.as_(SITI).get("/lapak-saya").get_data(as_text=True)
    assert "Gula aren" not in siti_dashboard


def test_a_seller_sees_only_their_own_qris(login, qris_order):
    assert login.as_(AHMAD).get("/lapak-saya/qris").status_code == 404
    assert login.as_(BUDI).get("/lapak-saya/qris").status_code in (403, 404)
    assert login.as_(SITI).get("/lapak-saya/qris").mimetype == "image/png"


def test_the_order_form_tells_the_buyer_who_sees_their_number(login, qris_order):
    form = login.as_(BUDI).get(f"/lapak/{qris_order.shop_id}/pesan").get_data(as_text=True)
    assert "Nomor WhatsApp Anda akan terlihat oleh penjual untuk pesanan ini" in form
