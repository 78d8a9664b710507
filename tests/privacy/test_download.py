"""A resident downloads everything Balai holds about them (UU PDP's right of access), and
nothing about anyone else."""
import io
import json
import secrets
import zipfile

import pytest

from balai.db import now
from balai.market.models import Product, ProductPhoto, Shop
from balai.market.orders import Order
from balai.media import process_image
from balai.notify.models import ContactPoint
from balai.people.models import Person, User
from tests.support.files import image_bytes
from tests.support.stored import upload_bytes
from tests.support.village import AHMAD, BUDI, SITI


def download(client):
    """(the ZIP, data.json, data.json as text)."""
    response = client.get("/akun/data-saya.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    text = archive.read("data.json").decode()
    return archive, json.loads(text), text


def private_facts(nik):
    """What only this person's own copy may hold: NIK, KK number, full name, address."""
    person = Person.get(Person.nik == nik)
    return [person.nik, person.kk_number, person.name, person.address]


def test_the_copy_holds_everything_about_the_resident(app, budi, objects):  # noqa: F811
    user = User.by_login(BUDI)
    ContactPoint.create(user=user, channel="email", address="budi@contoh.id", verified_at=now())
    archive, data, text = download(budi)
    assert data["penduduk"]["nik"] == BUDI and data["penduduk"]["name"] == "Budi Santoso"
    assert data["akun"]["role"] == "warga" and user.password_hash not in text
    requests = {row["id"]: row for row in data["permohonan_surat"]}
    (draft, draft_scan), (issued, issued_scan) = objects["letters"]
    assert {draft.id, issued.id} <= set(requests)
    letter = requests[issued.id]
    assert letter["number"] == issued.number and letter["jenis_surat"] == issued.letter_type.name
    assert "terbit" in [event["action"] for event in letter["riwayat"]]
    assert archive.read(letter["berkas_surat"]).startswith(b"%PDF")
    for req, scan in objects["letters"]:
        [upload] = requests[req.id]["syarat"]
        assert upload["original_name"] == "ktp.jpg"
        assert archive.read(upload["berkas"]) == upload_bytes(app, scan.stored_name)
    assert data["notifikasi"] and all(n["address"] in ("", "budi@contoh.id")
                                      for n in data["notifikasi"])
    assert data["kontak"] == [{"channel": "email", "address": "budi@contoh.id",
                               "verified_at": data["kontak"][0]["verified_at"], "enabled": True}]
    [order] = data["pesanan_saya"]
    assert order["id"] == objects["order_id"] and order["barang"][0]["quantity"] == 1
    assert order["lapak"] in ("Warung Bu Siti", "Kebun Pak Ahmad")
    for nik in (SITI, AHMAD):  # the seller's account and record are not Budi's
        for fact in private_facts(nik):
            assert fact not in text, fact
    assert "6281234567801" not in text and "6285712345602" not in text  # sellers' WhatsApp


def test_a_seller_gets_their_lapak_but_not_their_buyers(app, siti, db):
    shop = Shop.get(Shop.owner == User.by_login(SITI))
    product = Product.public().where(Product.shop == shop, Product.stock > 0).first()
    with app.app_context():
        photo = process_image(image_bytes(size=(400, 300)))
    ProductPhoto.create(product=product, key=photo.key, image=photo.as_dict())
    order = Order.place(User.by_login(BUDI).id, shop, [(product, 2)], "antar",
                        "Pagar hijau dekat musala", secrets.token_hex(8))
    archive, data, text = download(siti)
    assert data["lapak"]["name"] == "Warung Bu Siti" and data["lapak"]["whatsapp"]
    products = {row["name"]: row for row in data["lapak"]["produk"]}
    assert archive.read(products[product.name]["foto"][0])[:3] == b"\xff\xd8\xff"  # a JPEG
    [incoming] = data["pesanan_masuk"]
    assert incoming["id"] == order.id and incoming["total"] == 2 * product.price
    assert "note" not in incoming and "Pagar hijau" not in text  # the buyer's words
    nik, kk_number, _, address = private_facts(BUDI)  # his name: the notification of his order
    for fact in (nik, kk_number, address):
        assert fact not in text, fact
    assert data["permohonan_surat"] == [] and data["pesanan_saya"] == []


@pytest.mark.parametrize("official", ["operator", "kasipem", "kades"])
def test_the_download_is_for_residents(login, official):
    client = login.as_(official)
    assert client.get("/akun/data-saya.zip").status_code == 403
    assert client.get("/akun").status_code == 403


def test_the_account_page_offers_the_download_and_says_how_long_scans_are_kept(budi):
    html = budi.get("/akun").get_data(as_text=True)
    assert 'href="/akun/data-saya.zip"' in html and "dihapus 365 hari kemudian" in html
    assert 'href="/akun"' in budi.get("/surat").get_data(as_text=True)  # reached from the menu
