"""The order workflow and the stock rules, on the models."""
import threading

import pytest

from balai import db as database
from balai.market.models import OrderError, Product
from balai.market.orders import ORDER_TRANSITIONS, Order, OrderItem
from tests.support.market import make_product, make_shop, place, stock_of, user
from tests.support.village import AHMAD, BUDI, SITI


@pytest.fixture
def product(db):
    return make_product(make_shop(), stock=5)


def order_in(product, status, delivery="antar"):
    order = place(product, 2, delivery=delivery)
    Order.update(status=status).where(Order.id == order.id).execute()
    return Order.get_by_id(order.id)


def delivery_for(action, state):
    return "ambil" if action == "siapkan" or state == "siap_diambil" else "antar"


@pytest.mark.parametrize("state, action, role", sorted(ORDER_TRANSITIONS))
def test_every_allowed_transition(product, state, action, role):
    order = order_in(product, state, delivery_for(action, state))
    actor = user(BUDI if role == "pembeli" else SITI)
    order.apply(action, actor, note="Stok rusak kena hujan")
    assert Order.get_by_id(order.id).status == ORDER_TRANSITIONS[(state, action, role)]
    assert Order.get_by_id(order.id).version == 1


@pytest.mark.parametrize("state, action, who, delivery", [
    ("baru", "konfirmasi", BUDI, "antar"),        # the buyer cannot accept for the seller
    ("dikonfirmasi", "batalkan", BUDI, "antar"),  # too late for the buyer
    ("dikonfirmasi", "kirim", SITI, "ambil"),     # pickup orders are not delivered
    ("dikonfirmasi", "siapkan", SITI, "antar"),   # delivery orders are not picked up
    ("baru", "selesaikan", SITI, "antar"),        # no skipping steps
    ("selesai", "batalkan", SITI, "antar"),
    ("dibatalkan", "konfirmasi", SITI, "antar"),
    ("baru", "konfirmasi", AHMAD, "antar"),       # a stranger
    ("baru", "terbang", SITI, "antar"),           # not an action at all
])
def test_forbidden_transitions_change_nothing(product, state, action, who, delivery):
    order = order_in(product, state, delivery)
    with pytest.raises(OrderError, match="tidak dapat dilakukan"):
        order.apply(action, user(who), note="alasan")
    fresh = Order.get_by_id(order.id)
    assert (fresh.status, fresh.version) == (state, 0)


def test_stale_page_is_refused(product):
    order = place(product)
    order.apply("konfirmasi", user(SITI), seen_version=0)
    with pytest.raises(OrderError, match="sudah berubah"):
        Order.get_by_id(order.id).apply("batalkan", user(SITI), "habis", seen_version=0)
    assert Order.get_by_id(order.id).status == "dikonfirmasi"


def test_seller_must_say_why_they_cancel(product):
    order = place(product)
    with pytest.raises(OrderError, match="alasan"):
        order.apply("batalkan", user(SITI))
    assert Order.get_by_id(order.id).status == "baru"


def test_placing_takes_stock_and_keeps_name_and_price(product):
    order = place(product, 3)
    (Product.update(name="Keripik tempe pedas", price=20000)
     .where(Product.id == product.id).execute())
    item = OrderItem.get(OrderItem.order == order)
    assert (item.name, item.price, item.quantity, order.total) == ("Keripik tempe", 15000, 3, 45000)
    assert stock_of(product) == 2


def test_more_than_the_stock_is_refused_and_nothing_is_written(product):
    with pytest.raises(OrderError, match="tinggal 5 bungkus"):
        place(product, 6)
    assert stock_of(product) == 5
    assert Order.select().count() == 0 and OrderItem.select().count() == 0


def test_one_short_line_refuses_the_whole_order(product):
    other = make_product(product.shop, name="Rengginang", stock=1)
    with pytest.raises(OrderError):
        Order.place(user(BUDI).id, product.shop, [(product, 2), (other, 2)], "antar", "", "k1")
    assert (stock_of(product), stock_of(other), Order.select().count()) == (5, 1, 0)


def test_cancelling_returns_the_stock_once(product):
    order = place(product, 2)
    order.apply("batalkan", user(BUDI))
    assert stock_of(product) == 5
    with pytest.raises(OrderError):
        order.apply("batalkan", user(BUDI))
    with pytest.raises(OrderError):
        Order.get_by_id(order.id).apply("batalkan", user(SITI), "dobel")
    assert stock_of(product) == 5


def test_completed_order_keeps_the_stock_taken(product):
    order = place(product, 2, delivery="ambil")
    for action in ("konfirmasi", "siapkan", "selesaikan"):
        order.apply(action, user(SITI))
    assert (Order.get_by_id(order.id).status, stock_of(product)) == ("selesai", 3)


def test_lunas_is_the_sellers_and_only_once(product):
    order = place(product)
    with pytest.raises(OrderError):
        order.mark_paid(user(BUDI))
    order.mark_paid(user(SITI))
    assert Order.get_by_id(order.id).paid
    with pytest.raises(OrderError):
        Order.get_by_id(order.id).mark_paid(user(SITI))
    told = f"Pesanan #{order.id} di Warung Uji: sudah dicatat lunas oleh penjual."
    assert inapp(BUDI) == [(f"order:{order.id}:lunas", told)]


def test_two_buyers_race_for_the_last_item(app, db):
    """Two threads, two connections, one item: exactly one order gets it."""
    product = make_product(make_shop(), stock=1)
    barrier = threading.Barrier(2)
    results = {}

    def buy(nik):
        with database.db.connection_context():
            barrier.wait()
            try:
                results[nik] = place(product, 1, buyer=nik).id
            except OrderError as error:
                results[nik] = error

    threads = [threading.Thread(target=buy, args=(nik,)) for nik in (BUDI, AHMAD)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(type(r).__name__ for r in results.values()) == ["OrderError", "int"]
    assert stock_of(product) == 0
    assert Order.select().count() == 1 and OrderItem.select().count() == 1


def inapp(nik):
    """The in-app notifications of one account, oldest first, as (key, message)."""
    from balai.notify.models import Notification
    rows = (Notification.select()
            .where((Notification.recipient == user(nik)) & (Notification.channel == "inapp"))
            .order_by(Notification.id))
    return [(row.key.rsplit(":", 2)[0], row.message) for row in rows]


def test_each_step_notifies_the_other_side_once(product):
    order = place(product, 2, delivery="ambil")
    assert inapp(SITI) == [(f"order:{order.id}:baru",
                            f"Pesanan #{order.id} baru dari Budi Santoso: 2 bungkus Keripik tempe. "
                            "Total Rp 30.000. Terima atau tolak di Lapak saya.")]
    for action in ("konfirmasi", "siapkan", "selesaikan"):
        order.apply(action, user(SITI))
    keys = [key for key, _ in inapp(BUDI)]
    assert keys == [f"order:{order.id}:{s}" for s in ("dikonfirmasi", "siap_diambil", "selesai")]
    assert "siap diambil di RT 001 RW 001" in inapp(BUDI)[1][1]
    with pytest.raises(OrderError):
        order.apply("selesaikan", user(SITI))
    assert len(inapp(BUDI)) == 3 and len(inapp(SITI)) == 1


def test_cancellations_tell_the_other_side_with_the_reason(product):
    by_buyer, by_seller = place(product), place(product)
    by_buyer.apply("batalkan", user(BUDI))
    by_seller.apply("batalkan", user(SITI), "Kehabisan bahan")
    assert inapp(SITI)[-1] == (
        f"order:{by_buyer.id}:dibatalkan",
        f"Pesanan #{by_buyer.id} dibatalkan pembeli. Stok sudah dikembalikan.")
    assert inapp(BUDI)[-1][1].endswith("dibatalkan penjual. Alasan: Kehabisan bahan.")


def test_a_refused_order_notifies_nobody(product):
    with pytest.raises(OrderError):
        place(product, 99)
    assert inapp(SITI) == []
