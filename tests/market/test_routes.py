"""Lapak UMKM through the web: the catalogue, sellers, the operator, buyers; who sees what."""
import gzip
import io
import logging
import re

import pytest
from PIL import Image

from balai.market.models import Product, ProductPhoto, Shop
from balai.market.orders import Order
from balai.media import image_key
from balai.storage import documents
from tests.support.market import make_product, make_shop, place, stock_of, user
from tests.support.stored import stored_keys
from tests.support.village import AHMAD, BUDI, SITI, csrf_token_from

HTMX = {"HX-Request": "true"}


@pytest.fixture
def shop(db):
    return make_shop()


@pytest.fixture
def ahmad(login):
    return login.as_(AHMAD)


def photo_file(name="foto.png", size=(1200, 900)):
    image = Image.effect_noise(size, 60).convert("RGB")
    data = io.BytesIO()
    image.save(data, "PNG")
    data.seek(0)
    return data, name


def fake_image(key):
    """An images.ImageSet as stored, without files: enough for the markup."""
    variant = lambda size, w, h: {"webp": f"{key}-{size}.webp", "jpeg": f"{key}-{size}.jpg",
                                  "width": w, "height": h}
    return {"key": key, "thumb": variant("thumb", 320, 240),
            "article": variant("article", 800, 600)}


def product_form(**changes):
    form = {"name": "Kopi robusta", "category": "makanan", "unit": "bungkus", "price": "35.000",
            "stock": "12", "description": "Bubuk kopi <b>asli</b>", "active": "1"}
    form.update(changes)
    return form


# The public catalogue

def test_catalogue_is_public_and_shows_only_what_is_approved(client, shop):
    make_product(shop, name="Tampil", stock=0)
    make_product(shop, name="Menunggu", status="menunggu")
    make_product(shop, name="Disembunyikan", status="disembunyikan")
    make_product(shop, name="Dinonaktifkan", active=False)
    make_product(make_shop(AHMAD, status="menunggu"), name="Lapak belum disetujui")
    html = client.get("/lapak").get_data(as_text=True)
    assert "Tampil" in html and "Stok habis" in html and "Rp 15.000" in html
    for hidden in ("Menunggu", "Disembunyikan", "Dinonaktifkan", "Lapak belum disetujui"):
        assert hidden not in html
    assert 'name="csrf_token"' not in html  # a public page carries no per-visit token


def test_catalogue_search_category_and_sort(client, shop):
    make_product(shop, name="Gula aren", price=28000)
    broom = make_product(shop, name="Sapu lidi", price=10000)
    Product.update(category="kerajinan").where(Product.id == broom.id).execute()
    assert "Gula aren" not in client.get("/lapak?q=sapu").get_data(as_text=True)
    assert "Sapu lidi" not in client.get("/lapak?kategori=makanan").get_data(as_text=True)
    cheap_first = client.get("/lapak?urut=murah").get_data(as_text=True)
    assert cheap_first.index("Sapu lidi") < cheap_first.index("Gula aren")
    dear_first = client.get("/lapak?urut=mahal").get_data(as_text=True)
    assert dear_first.index("Gula aren") < dear_first.index("Sapu lidi")
    newest_first = client.get("/lapak").get_data(as_text=True)
    assert newest_first.index("Sapu lidi") < newest_first.index("Gula aren")


def test_muat_lagi_appends_a_small_fragment(client, shop):
    for n in range(25):
        product = make_product(shop, name=f"Produk nomor {n:02}")
        ProductPhoto.create(product=product, key=f"{n:016x}", image=fake_image(f"{n:016x}"))
    page = client.get("/lapak").get_data(as_text=True)
    assert "Muat lagi" in page and "halaman=2" in page
    response = client.get("/lapak?halaman=2", headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and fragment.count("<li>") == 10 and "halaman=3" in fragment
    assert "HX-Request" in response.headers["Vary"]
    assert fragment.count("<picture>") == 10 and 'loading="lazy"' in fragment
    assert len(gzip.compress(response.data)) <= 2048
    last = client.get("/lapak?halaman=3", headers=HTMX).get_data(as_text=True)
    assert last.count("<li>") == Product.public().count() - 20 and "Muat lagi" not in last


def test_product_page_has_a_whatsapp_link_naming_the_product(client, shop):
    product = make_product(shop, name="Keripik & tempe")
    Shop.update(description="Camilan rumahan", hours="07.00-17.00").execute()
    html = client.get(f"/lapak/produk/{product.id}").get_data(as_text=True)
    assert "Camilan rumahan" in html and "07.00-17.00" in html and "RT 001 RW 001" in html
    assert re.search(r'https://wa\.me/6281234567890\?text=[^"]*Keripik%20%26%20tempe', html)


@pytest.mark.parametrize("status, active", [("menunggu", True), ("disembunyikan", True),
                                            ("disetujui", False)])
def test_unpublished_product_is_404_except_for_its_seller_and_the_operator(
        client, login, shop, status, active):
    product = make_product(shop, status=status, active=active)
    url = f"/lapak/produk/{product.id}"
    assert client.get(url).status_code == 404
    assert login.as_(BUDI).get(url).status_code == 404
    assert login.as_(SITI).get(url).status_code == 200
    assert login.as_("operator").get(url).status_code == 200


# Sellers

def test_a_resident_opens_a_lapak_that_waits_for_approval(budi):
    response = budi.post("/lapak-saya/atur", data={
        "name": "Toko Budi", "whatsapp": "0812-3456-7890", "location": "RT 001 RW 002",
        "delivery": ["ambil", "antar"]})
    assert response.status_code == 303
    shop = Shop.get(Shop.owner == user(BUDI))
    assert shop.whatsapp == "6281234567890"
    assert (shop.status, shop.delivery) == ("menunggu", "ambil,antar")
    budi.post("/lapak-saya/atur", data={"name": "Toko Budi Jaya", "whatsapp": "6281234567890",
                                        "location": "RT 001", "delivery": "ambil"})
    assert Shop.select().where(Shop.owner == user(BUDI)).count() == 1


@pytest.mark.parametrize("field, value, message", [
    ("whatsapp", "0212345678", "Nomor WhatsApp harus nomor HP Indonesia"),
    ("whatsapp", "abc", "Nomor WhatsApp harus nomor HP Indonesia"),
    ("name", "", "Isi nama lapak"),
    ("delivery", "", "Pilih paling sedikit satu cara"),
])
def test_lapak_form_refuses_bad_input(budi, field, value, message):
    form = {"name": "Toko Budi", "whatsapp": "081234567890", "location": "RT 1",
            "delivery": "ambil"}
    form[field] = value
    response = budi.post("/lapak-saya/atur", data=form)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert not Shop.select().where(Shop.owner == user(BUDI)).exists()


def test_seller_adds_a_product_with_a_photo(siti, client, app):
    response = siti.post("/lapak-saya/produk/baru", data=product_form(photos=photo_file()),
                         content_type="multipart/form-data")
    assert response.status_code == 303
    product = Product.get(Product.name == "Kopi robusta")
    assert (product.price, product.stock, product.status) == (35000, 12, "menunggu")
    photo = ProductPhoto.get(ProductPhoto.product == product).image_set
    assert len(documents(app).get(image_key(photo.thumb.webp))) <= 12 * 1024
    assert len(documents(app).get(image_key(photo.article.jpeg))) <= 60 * 1024
    served = siti.get(f"/lapak/foto/{photo.thumb.webp}")
    assert served.status_code == 200 and "immutable" in served.headers["Cache-Control"]
    assert client.get(f"/lapak/foto/{photo.thumb.webp}").status_code == 404  # not approved yet
    page = siti.get(f"/lapak/produk/{product.id}").get_data(as_text=True)
    assert "Bubuk kopi &lt;b&gt;asli&lt;/b&gt;" in page and 'type="image/webp"' in page


@pytest.mark.parametrize("changes, message", [
    ({"price": "-5000"}, "Harga harus antara 1 dan 100.000.000"),
    ({"price": "1000000000"}, "Harga harus antara 1 dan 100.000.000"),
    ({"price": "lima ribu"}, "Harga harus berupa angka bulat"),
    ({"stock": "-1"}, "Stok harus antara 0"),
    ({"category": "senjata"}, "Pilih kategori dari daftar"),
    ({"photos": (io.BytesIO(b"%PDF-1.4 bukan foto"), "foto.jpg")}, "bukan foto"),
])
def test_product_form_refuses_bad_input_and_writes_nothing(siti, app, changes, message):
    before = Product.select().count()
    response = siti.post("/lapak-saya/produk/baru", data=product_form(**changes),
                         content_type="multipart/form-data")
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert Product.select().count() == before and ProductPhoto.select().count() == 0
    assert stored_keys(app, "uploads/images/") == set()


def test_at_most_three_photos(siti):
    photos = [photo_file(f"f{n}.png", (200, 200)) for n in range(4)]
    response = siti.post("/lapak-saya/produk/baru", data=product_form(photos=photos),
                         content_type="multipart/form-data")
    assert response.status_code == 422 and "Paling banyak 3 foto" in response.get_data(as_text=True)


def test_a_seller_cannot_change_another_sellers_product(ahmad, shop):
    product = make_product(shop)
    url = f"/lapak-saya/produk/{product.id}"
    assert ahmad.get(url).status_code == 404
    assert ahmad.post(url, data=product_form(price="1")).status_code == 404
    assert Product.get_by_id(product.id).price == 15000


def test_fixing_a_hidden_product_asks_for_review_again(siti, shop):
    product = make_product(shop, status="disembunyikan")
    Product.update(status_reason="Foto tidak sesuai").where(Product.id == product.id).execute()
    assert "Foto tidak sesuai" in siti.get("/lapak-saya").get_data(as_text=True)
    siti.post(f"/lapak-saya/produk/{product.id}", data=product_form())
    assert Product.get_by_id(product.id).status == "menunggu"


def test_an_order_placed_while_the_seller_edits_keeps_its_stock(siti, shop):
    product = make_product(shop, stock=5)
    form = siti.get(f"/lapak-saya/produk/{product.id}").get_data(as_text=True)
    assert 'name="stock_seen" value="5"' in form
    place(product, 2)  # while Siti's form is open: 3 left
    siti.post(f"/lapak-saya/produk/{product.id}", data=product_form(stock="10", stock_seen="5"))
    assert stock_of(product) == 8  # she added 5 to what she saw; the 2 ordered stay taken


# The operator

@pytest.mark.parametrize("who", ["budi", "kasipem"])
def test_only_the_operator_moderates(request, shop, who):
    client = request.getfixturevalue(who)
    product = make_product(shop, status="menunggu")
    assert client.get("/operator/lapak").status_code == 403
    approve = client.post(f"/operator/lapak/produk/{product.id}", data={"action": "setujui"})
    assert approve.status_code == 403
    assert Product.get_by_id(product.id).status == "menunggu"


def test_operator_approves_then_hides_with_a_reason(operator, client, shop):
    product = make_product(shop, status="menunggu")
    assert "Keripik tempe" in operator.get("/operator/lapak").get_data(as_text=True)
    operator.post(f"/operator/lapak/produk/{product.id}", data={"action": "setujui"})
    assert client.get(f"/lapak/produk/{product.id}").status_code == 200
    refused = operator.post(f"/operator/lapak/produk/{product.id}",
                            data={"action": "sembunyikan", "reason": ""}, follow_redirects=True)
    assert "Tuliskan alasannya" in refused.get_data(as_text=True)
    assert Product.get_by_id(product.id).status == "disetujui"
    operator.post(f"/operator/lapak/produk/{product.id}",
                  data={"action": "sembunyikan", "reason": "Barang terlarang"})
    assert client.get(f"/lapak/produk/{product.id}").status_code == 404
    assert Product.get_by_id(product.id).status_reason == "Barang terlarang"


# Buyers

def order_data(product, quantity=1, **extra):
    return {f"qty-{product.id}": str(quantity), "delivery": "antar", "note": "", **extra}


def check_and_place(client, product, quantity=1):
    """The two steps: check (which hands out the form key), then place."""
    check = client.post(f"/lapak/{product.shop_id}/pesan", data=order_data(product, quantity))
    assert check.status_code == 200, check.get_data(as_text=True)
    key = re.search(r'name="form_key" value="([^"]+)"', check.get_data(as_text=True)).group(1)
    return client.post(f"/lapak/{product.shop_id}/pesan/kirim",
                       data=order_data(product, quantity, form_key=key)), key


def test_ordering_needs_a_login(client, shop):
    product = make_product(shop)
    response = client.get(f"/lapak/{shop.id}/pesan?produk={product.id}")
    assert response.status_code == 302 and "/masuk" in response.location


@pytest.mark.parametrize("stock", [5, 2])  # with 2, the first click takes the last ones
def test_a_buyer_orders_and_a_double_click_makes_one_order(budi, shop, stock):
    product = make_product(shop, stock=stock)
    placed, key = check_and_place(budi, product, 2)
    assert placed.status_code == 303
    again = budi.post(f"/lapak/{shop.id}/pesan/kirim", data=order_data(product, 2, form_key=key))
    assert again.status_code == 303 and again.location == placed.location
    assert Order.select().count() == 1 and stock_of(product) == stock - 2
    page = budi.get(placed.location).get_data(as_text=True)
    assert "Pesanan baru" in page and "Rp 30.000" in page and "https://wa.me/6281234567890" in page


@pytest.mark.parametrize("setup, quantity, message", [
    (lambda p: None, 9, "Stok Keripik tempe tinggal 5 bungkus"),
    (lambda p: Product.update(status="disembunyikan").where(Product.id == p.id).execute(), 1,
     "sedang tidak dijual"),
    (lambda p: Product.update(active=False).where(Product.id == p.id).execute(), 1,
     "sedang tidak dijual"),
    (lambda p: None, -1, "harus angka bulat"),
])
def test_refused_orders_change_nothing(budi, shop, setup, quantity, message):
    product = make_product(shop, stock=5)
    setup(product)
    for url in (f"/lapak/{shop.id}/pesan", f"/lapak/{shop.id}/pesan/kirim"):
        response = budi.post(url, data=order_data(product, quantity, form_key="k"))
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert Order.select().count() == 0 and stock_of(product) == 5


def test_stock_gone_between_check_and_pesan(budi, shop):
    product = make_product(shop, stock=5)
    check = budi.post(f"/lapak/{shop.id}/pesan", data=order_data(product, 5))
    key = re.search(r'name="form_key" value="([^"]+)"', check.get_data(as_text=True)).group(1)
    place(product, 3, buyer=AHMAD)
    response = budi.post(f"/lapak/{shop.id}/pesan/kirim", data=order_data(product, 5, form_key=key))
    assert response.status_code == 422 and "tinggal 2 bungkus" in response.get_data(as_text=True)
    assert Order.select().count() == 1 and stock_of(product) == 2


def test_a_seller_cannot_order_from_their_own_lapak(siti, shop):
    product = make_product(shop)
    response = siti.post(f"/lapak/{shop.id}/pesan", data=order_data(product))
    assert response.status_code == 422 and "lapak Anda sendiri" in response.get_data(as_text=True)


def test_officials_and_unapproved_lapak_cannot_take_orders(kasipem, budi):
    product = make_product(make_shop(status="menunggu"))
    assert budi.get(f"/lapak/{product.shop_id}/pesan").status_code == 404
    assert kasipem.get(f"/lapak/{product.shop_id}/pesan").status_code == 404


def test_buyers_and_sellers_see_only_their_own_orders(budi, ahmad, siti, shop):
    order = place(make_product(shop))
    make_shop(AHMAD, name="Kebun Ahmad")
    url = f"/pesanan/{order.id}"
    assert budi.get(url).status_code == 200 and siti.get(url).status_code == 200
    assert ahmad.get(url).status_code == 404
    assert ahmad.post(f"{url}/langkah", data={"action": "konfirmasi"}).status_code == 404
    assert ahmad.post(f"{url}/langkah", data={"action": "batalkan"}).status_code == 404
    assert f"Pesanan #{order.id}" in budi.get("/pesanan").get_data(as_text=True)
    assert f"Pesanan #{order.id}" not in ahmad.get("/pesanan").get_data(as_text=True)
    assert f"Pesanan #{order.id}" not in ahmad.get("/lapak-saya").get_data(as_text=True)
    assert Order.get_by_id(order.id).status == "baru"


def test_dashboard_lists_new_orders_first(siti, shop):
    product = make_product(shop, stock=10)
    done, new = place(product), place(product)
    done.apply("konfirmasi", user(SITI))
    html = siti.get("/lapak-saya").get_data(as_text=True)
    assert html.index(f"Pesanan #{new.id}") < html.index(f"Pesanan #{done.id}")


def test_dashboard_costs_the_same_queries_for_many_orders(siti, shop, caplog):
    def queries():
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="peewee"):
            html = siti.get("/lapak-saya").get_data(as_text=True)
        return html.count('class="order-row"'), len(caplog.records)

    product = make_product(shop, stock=100)
    place(product)
    rows, few = queries()
    for nik in (AHMAD, BUDI) * 10:
        place(product, buyer=nik)
    assert queries() == (21, few) and rows == 1


def test_dashboard_actions_swap_the_row(siti, shop):
    order = place(make_product(shop))
    step = f"/pesanan/{order.id}/langkah"
    response = siti.post(step, data={"action": "konfirmasi", "version": "0", "from": "dasbor"},
                         headers=HTMX)
    row = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in row and row.lstrip().startswith("<li")
    assert "Diterima penjual" in row and 'value="kirim"' in row and len(row.encode()) < 4096
    stale = siti.post(step, data={"action": "batalkan", "note": "habis", "version": "0",
                                  "from": "dasbor"}, headers=HTMX)
    assert stale.status_code == 422 and "sudah berubah" in stale.get_data(as_text=True)
    paid = siti.post(step, data={"action": "lunas", "version": "1", "from": "dasbor"}, headers=HTMX)
    assert "Lunas" in paid.get_data(as_text=True) and Order.get_by_id(order.id).paid


def test_actions_work_without_javascript(budi, siti, shop):
    product = make_product(shop, stock=4)
    order = place(product, 2)
    response = siti.post(f"/pesanan/{order.id}/langkah",
                         data={"action": "konfirmasi", "version": "0", "from": "dasbor"})
    assert response.status_code == 303 and response.location == "/lapak-saya"
    refused = budi.post(f"/pesanan/{order.id}/langkah", data={"action": "batalkan"},
                        follow_redirects=True)
    assert "tidak dapat dilakukan" in refused.get_data(as_text=True)
    assert stock_of(product) == 2


def test_buyer_cancels_before_confirmation_and_gets_the_stock_back(budi, shop):
    product = make_product(shop, stock=4)
    order = place(product, 3)
    page = budi.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert csrf_token_from(page) and 'value="batalkan"' in page and "hx-post" not in page
    budi.post(f"/pesanan/{order.id}/langkah", data={"action": "batalkan", "version": "0"})
    assert Order.get_by_id(order.id).status == "dibatalkan" and stock_of(product) == 4


def test_officials_do_not_open_a_lapak(kasipem):
    assert kasipem.get("/lapak-saya").status_code == 403
    assert kasipem.post("/lapak-saya/atur", data={"name": "Toko"}).status_code == 403
    assert Shop.select().count() == 2  # the demo lapak only


def test_a_hidden_lapak_hides_its_products_and_tells_the_seller_why(operator, client, siti, shop):
    product = make_product(shop)
    operator.post(f"/operator/lapak/lapak/{shop.id}",
                  data={"action": "sembunyikan", "reason": "Nomor WhatsApp tidak aktif"})
    assert client.get(f"/lapak/produk/{product.id}").status_code == 404
    assert "Keripik tempe" not in client.get("/lapak").get_data(as_text=True)
    assert "Nomor WhatsApp tidak aktif" in siti.get("/lapak-saya").get_data(as_text=True)
    siti.post("/lapak-saya/atur", data={"name": "Warung Uji", "whatsapp": "081298765432",
                                        "location": "RT 001", "delivery": "ambil"})
    assert Shop.get_by_id(shop.id).status == "menunggu"


def test_removing_a_photo_deletes_its_files(siti, app):
    photos = [photo_file("a.png", (300, 300)), photo_file("b.png", (300, 300))]
    siti.post("/lapak-saya/produk/baru", data=product_form(photos=photos),
              content_type="multipart/form-data")
    product = Product.get(Product.name == "Kopi robusta")
    first, second = product.photo_list()
    response = siti.post(f"/lapak-saya/produk/{product.id}",
                         data=product_form(remove_photo=str(first.id)))
    assert response.status_code == 303
    assert [p.key for p in product.photo_list()] == [second.key]
    photos = stored_keys(app, "uploads/images/")
    assert not any(key.startswith(f"uploads/images/{first.key}-") for key in photos)
    assert any(key.startswith(f"uploads/images/{second.key}-") for key in photos)
