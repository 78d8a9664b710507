"""A seller finds their lapak in the menu and can reach each order's buyer on WhatsApp (the
number the buyer verified), and the buyer is told so on the order form."""
import re

from tests.support.market import make_product, make_shop, place, user
from tests.support.notify import verified
from tests.support.village import AHMAD, BUDI


def menu(html):
    return re.search(r"<nav>(.*?)</nav>", html, re.S).group(1)


def test_a_seller_has_lapak_saya_in_the_menu_and_a_buyer_without_a_lapak_not(db, siti, budi):
    make_shop()
    assert '<a href="/lapak-saya">Lapak saya</a>' in menu(siti.get("/surat").get_data(as_text=True))
    assert "/lapak-saya" not in menu(budi.get("/surat").get_data(as_text=True))


def test_the_seller_sees_each_buyers_whatsapp_link(db, siti):
    product = make_product(make_shop(), stock=10)
    verified(user(BUDI), "whatsapp", "6281298765432")
    with_number, without = place(product), place(product, buyer=AHMAD)
    html = siti.get("/lapak-saya").get_data(as_text=True)
    rows = {order.id: html[html.index(f'id="pesanan-{order.id}"'):]
            for order in (with_number, without)}
    budi_row = rows[with_number.id].split("</li>")[0]
    ahmad_row = rows[without.id].split("</li>")[0]
    assert 'href="https://wa.me/6281298765432?text=' in budi_row
    assert "Chat WhatsApp pembeli" in budi_row
    assert "wa.me" not in ahmad_row and "belum mencantumkan nomor WhatsApp" in ahmad_row
    page = siti.get(f"/pesanan/{with_number.id}").get_data(as_text=True)
    assert 'href="https://wa.me/6281298765432?text=' in page


def test_the_buyer_sees_the_sellers_link_not_their_own(db, budi):
    product = make_product(make_shop(), stock=10)
    verified(user(BUDI), "whatsapp", "6281298765432")
    order = place(product)
    page = budi.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert "wa.me/6281234567890" in page and "6281298765432" not in page
    form = budi.get(f"/lapak/{product.shop_id}/pesan").get_data(as_text=True)
    assert "nomor WhatsApp yang Anda verifikasi" in form
