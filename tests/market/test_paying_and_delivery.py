"""Paying in the lapak without Balai touching money: cash at the door or pickup, a transfer to
the account the seller wrote, and the seller confirming receipt in the words of each way; and
a flat delivery fee per dusun, chosen by the buyer and added to the total."""
from balai.market.models import Shop, delivery_places
from balai.market.orders import Order
from balai.notify.models import Notification
from tests.support.market import make_product, make_shop, user
from tests.support.ordering import order_through_forms
from tests.support.village import BUDI, SITI

ACCOUNT = "BRI 0123-01-000123-50-1 a.n. Siti Aminah"


def shop_with(**fields):
    shop = make_shop()
    Shop.update(**fields).where(Shop.id == shop.id).execute()
    return Shop.get_by_id(shop.id)


def confirm_paid(client, order):
    return client.post(f"/pesanan/{order.id}/langkah",
                       data={"action": "lunas", "version": Order.get_by_id(order.id).version})


def test_cash_on_delivery_is_paid_at_the_door_and_the_seller_confirms_the_cash(db, siti, budi):
    product = make_product(shop_with(payments="tunai,transfer", bank_account=ACCOUNT),
                           price=15000)
    check, order = order_through_forms(budi, product, 2, delivery="antar", payment="tunai")
    assert "Bayar di tempat (tunai saat diantar atau diambil), langsung kepada penjual" in check
    page = budi.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert "Bayar tunai <b>Rp 30.000</b> kepada penjual saat barang diantar" in page
    assert ACCOUNT not in page
    seller_page = siti.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert "Tandai lunas: uang tunai sudah diterima" in seller_page
    assert confirm_paid(siti, order).status_code == 303
    assert Order.get_by_id(order.id).paid
    assert "Pembayaran:" not in budi.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert Notification.select().where(Notification.recipient == user(BUDI),
                                       Notification.message.contains("lunas")).exists()


def test_a_transfer_shows_the_sellers_account_and_only_the_seller_confirms_it(db, siti, budi):
    product = make_product(shop_with(payments="tunai,transfer", bank_account=ACCOUNT),
                           price=15000)
    _, order = order_through_forms(budi, product, 1, delivery="ambil", payment="transfer")
    page = budi.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert "Transfer tepat <b>Rp 15.000</b> ke rekening penjual" in page and ACCOUNT in page
    assert "Tandai lunas" not in page
    confirm_paid(budi, order)  # the buyer cannot mark their own transfer as received
    assert not Order.get_by_id(order.id).paid
    assert "Tandai lunas: transfer sudah masuk" in siti.get("/lapak-saya").get_data(as_text=True)
    confirm_paid(siti, order)
    assert Order.get_by_id(order.id).paid


def test_a_way_of_paying_the_lapak_does_not_take_is_refused(db, budi):
    product = make_product(shop_with(payments="tunai"))
    html, order = order_through_forms(budi, product, delivery="ambil", payment="transfer")
    assert order is None and "Pilih cara bayar: bayar di tempat" in html
    html, order = order_through_forms(budi, product, delivery="ambil", payment="qris")
    assert order is None  # QRIS ticked but no picture uploaded is not offered either


def test_transfer_needs_the_account_in_the_lapak_form(db, siti):
    make_shop()
    response = siti.post("/lapak-saya/atur", data={
        "name": "Warung", "whatsapp": "081234567890", "location": "RT 1", "delivery": "ambil",
        "payments": ["tunai", "transfer"], "bank_account": ""})
    assert response.status_code == 422
    assert "Isi rekening tujuan transfer" in response.get_data(as_text=True)


def fee_form(fees):
    """The lapak form with a fee typed for some dusun (by name); the rest left empty."""
    places = delivery_places()
    form = {"name": "Warung", "whatsapp": "081234567890", "location": "RT 1",
            "delivery": ["ambil", "antar"], "payments": "tunai"}
    form.update({f"fee-{places.index(place)}": fee for place, fee in fees.items()})
    return form


def test_the_seller_sets_a_fee_per_dusun_and_the_buyers_total_includes_it(db, siti, budi):
    assert {"Dusun I", "Dusun II", "Dusun III"} <= set(delivery_places())
    make_shop()
    form = fee_form({"Dusun I": "5.000", "Dusun II": "0"})
    assert siti.post("/lapak-saya/atur", data=form).status_code == 303
    shop = Shop.get(Shop.owner == user(SITI))
    assert shop.delivery_fees == {"Dusun I": 5000, "Dusun II": 0}
    assert 'value="5000"' in siti.get("/lapak-saya/atur").get_data(as_text=True)
    product = make_product(shop, price=15000)

    form_page = budi.get(f"/lapak/{shop.id}/pesan").get_data(as_text=True)
    assert "Dusun I: Rp 5.000" in form_page and "Dusun II: gratis" in form_page
    assert "Dusun III" not in form_page
    check, order = order_through_forms(budi, product, 2, delivery="antar", dusun="Dusun I")
    assert "Ongkos antar ke Dusun I</td><td>Rp 5.000" in check
    assert "<th>Rp 35.000</th>" in check
    assert (order.total, order.delivery_fee, order.dusun) == (35000, 5000, "Dusun I")
    page = budi.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert "Antar dalam desa ke Dusun I" in page and "<th>Rp 35.000</th>" in page
    assert "Rp 35.000" in siti.get("/lapak-saya").get_data(as_text=True)

    html, refused = order_through_forms(budi, product, delivery="antar", dusun="Dusun III")
    assert refused is None and "lapak ini mengantar ke Dusun I, Dusun II" in html
    _, pickup = order_through_forms(budi, product, 1, delivery="ambil", dusun="Dusun I")
    assert (pickup.total, pickup.delivery_fee, pickup.dusun) == (15000, 0, "")


def test_a_bad_fee_is_refused_and_what_was_typed_stays(db, siti):
    make_shop()
    response = siti.post("/lapak-saya/atur", data=fee_form({"Dusun I": "lima ribu"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Ongkos antar harus berupa angka" in html
    assert 'value="lima ribu"' in html


def test_a_lapak_without_fees_delivers_free_anywhere_as_before(db, budi):
    product = make_product(make_shop(), price=15000)
    _, order = order_through_forms(budi, product, 1, delivery="antar")
    assert (order.total, order.delivery_fee, order.dusun) == (15000, 0, "")
