"""Moderation: the seller hears each decision, and the operator is told what it means."""
from balai.notify.models import Notification
from tests.support.market import make_product, make_shop, user
from tests.support.village import SITI


def inapp(nik):
    rows = (Notification.select()
            .where((Notification.recipient == user(nik)) & (Notification.channel == "inapp"))
            .order_by(Notification.id))
    return [row.message for row in rows]


def test_the_seller_is_told_of_approval_and_of_hiding_with_the_reason(operator, db):
    shop = make_shop(status="menunggu")
    product = make_product(shop, status="menunggu")
    operator.post(f"/operator/lapak/lapak/{shop.id}", data={"action": "setujui"})
    operator.post(f"/operator/lapak/produk/{product.id}", data={"action": "setujui"})
    operator.post(f"/operator/lapak/produk/{product.id}",
                  data={"action": "sembunyikan", "reason": "Foto bukan barangnya"})
    operator.post(f"/operator/lapak/produk/{product.id}", data={"action": "setujui"})
    assert inapp(SITI) == [
        "Warung Uji: Tampil di katalog.", "Keripik tempe: Tampil di katalog.",
        "Keripik tempe: Disembunyikan operator desa. Alasan: Foto bukan barangnya. "
        "Perbaiki, lalu simpan untuk diperiksa lagi.",
        "Keripik tempe: Tampil di katalog."]


def test_a_refused_decision_tells_nobody(operator, db):
    product = make_product(make_shop())
    operator.post(f"/operator/lapak/produk/{product.id}", data={"action": "sembunyikan"})
    assert inapp(SITI) == []


def test_the_operator_can_hide_any_product_from_its_page(operator, budi, db):
    product = make_product(make_shop())
    url, hide = f"/lapak/produk/{product.id}", f"/operator/lapak/produk/{product.id}"
    assert f'action="{hide}"' in operator.get(url).get_data(as_text=True)
    assert f'action="{hide}"' not in budi.get(url).get_data(as_text=True)
    operator.post(hide, data={"action": "sembunyikan", "reason": "Barang terlarang"})
    assert budi.get(url).status_code == 404


def test_a_product_of_a_lapak_still_waiting_is_not_said_to_be_in_the_catalogue(operator, db):
    product = make_product(make_shop(status="menunggu"), status="menunggu")
    response = operator.post(f"/operator/lapak/produk/{product.id}", data={"action": "setujui"},
                             follow_redirects=True)
    assert "tampil di katalog setelah lapaknya disetujui" in response.get_data(as_text=True)
