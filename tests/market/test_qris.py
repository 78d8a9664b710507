"""The seller's own static QRIS: decoded and checked at upload (a real QRIS payload, built here
with its CRC and drawn by segno, is taken; a plain QR code, a non-picture and a wrong CRC are
refused with the reason), stored as lossless PNG that still scans, and shown to the buyer with
the order's amount and the merchant name read from the payload. No money passes through Balai."""
import datetime
import io
import json
import zipfile

import pytest
import zxingcpp
from PIL import Image, PngImagePlugin

from balai import sweep
from balai.market.models import Shop
from balai.market.qris import QrisError, qris_key, read_payload, with_crc
from balai.storage import documents
from tests.support.market import make_product, make_shop, user
from tests.support.ordering import order_through_forms
from tests.support.qris import qr_png, qris_payload, tlv
from tests.support.village import SITI

SHOP_FORM = {"name": "Warung Bu Siti", "whatsapp": "081234567890", "location": "RT 003 RW 001",
             "delivery": "ambil", "payments": ["tunai", "qris"]}


def upload(client, picture, filename="qris.png", **fields):
    data = {**SHOP_FORM, **fields, "qris": (io.BytesIO(picture), filename)}
    return client.post("/lapak-saya/atur", data=data, content_type="multipart/form-data")


def scanned(png):
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)),
                                   formats=zxingcpp.BarcodeFormat.QRCode,
                                   text_mode=zxingcpp.TextMode.Plain)
    return [code.text for code in codes]


def test_a_real_qris_is_taken_stored_so_it_scans_and_shown_with_amount_and_name(app, db, siti,
                                                                              budi):
    payload = qris_payload(merchant="WARUNG BU SITI", city="KAB. SUBANG")
    make_shop()
    assert upload(siti, qr_png(payload)).status_code == 303
    shop = Shop.get(Shop.owner == user(SITI))
    assert (shop.qris_merchant, shop.qris_city) == ("WARUNG BU SITI", "KAB. SUBANG")
    assert shop.payment_options == ["tunai", "qris"]
    stored = documents(app).get(qris_key(shop.qris_file))
    assert stored.startswith(b"\x89PNG") and scanned(stored) == [payload]

    product = make_product(shop, price=15000, stock=5)
    check, order = order_through_forms(budi, product, 2, delivery="ambil", payment="qris")
    assert "QRIS, langsung kepada penjual" in check
    page = budi.get(f"/pesanan/{order.id}").get_data(as_text=True)
    assert "Pastikan nama penerima: WARUNG BU SITI" in page
    assert "isi jumlah <b>Rp 30.000</b>" in page
    picture = budi.get(f"/pesanan/{order.id}/qris")
    assert picture.mimetype == "image/png" and scanned(picture.data) == [payload]
    assert "Tandai lunas: pembayaran QRIS sudah masuk" in siti.get(
        f"/pesanan/{order.id}").get_data(as_text=True)


def test_the_stored_picture_keeps_no_metadata(app, db, siti):
    make_shop()
    image, info = Image.open(io.BytesIO(qr_png(qris_payload()))), PngImagePlugin.PngInfo()
    info.add_text("Author", "Siti Aminah, Jl. Rahasia 7")
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    assert upload(siti, out.getvalue()).status_code == 303
    stored = documents(app).get(qris_key(Shop.get(Shop.owner == user(SITI)).qris_file))
    assert b"Rahasia" not in stored and scanned(stored) == [qris_payload()]


def with_fields(initiation, account="ID.CO.QRIS.WWW", merchant="TOKO"):
    """A short payload with its CRC, for the rules one field at a time."""
    body = (tlv("00", "01") + initiation + tlv("51", tlv("00", account)) + tlv("58", "ID")
            + (tlv("59", merchant) if merchant else "") + tlv("60", "SUBANG"))
    return with_crc(body)


@pytest.mark.parametrize("picture, filename, reason", [
    (qr_png("https://warung-siti.example/bayar"), "qris.png", "Kode QR ini bukan QRIS"),
    (b"%PDF-1.4 not a picture", "qris.pdf", "Berkas ini bukan gambar"),
    (qr_png(qris_payload(crc=False)), "qris.png", "tanda pemeriksanya (CRC) tidak cocok"),
    (qr_png(with_fields(tlv("01", "12"))), "qris.png", "QRIS dinamis"),
])
def test_anything_but_a_qris_is_refused_with_its_reason_and_nothing_kept(app, db, siti, picture,
                                                                         filename, reason):
    shop = make_shop()
    response = upload(siti, picture, filename, name="Nama baru")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and reason in html
    assert "Gambar QRIS tidak disimpan" in html and 'value="Nama baru"' in html  # nothing lost
    again = Shop.get_by_id(shop.id)
    assert (again.qris_file, again.name) == ("", "Warung Uji")
    assert not [key for key, _ in documents(app).listing("uploads")
                if key.startswith("uploads/qris-")]


def test_a_picture_without_a_qr_code_is_refused(db, siti):
    make_shop()
    out = io.BytesIO()
    Image.new("RGB", (200, 200), "white").save(out, "PNG")
    response = upload(siti, out.getvalue())
    assert response.status_code == 422
    assert "Tidak ada kode QR yang terbaca" in response.get_data(as_text=True)


def test_choosing_qris_without_a_picture_is_refused(db, siti):
    make_shop()
    response = siti.post("/lapak-saya/atur", data=SHOP_FORM)
    assert response.status_code == 422
    assert "Unggah gambar QRIS lapak Anda" in response.get_data(as_text=True)


def test_the_payload_rules(db):
    assert read_payload(qris_payload()).merchant == "WARUNG BU SITI"
    wrong = [("https://example.id", "diawali 000201"),
             (qris_payload()[:-8], "CRC"),
             (qris_payload(crc=False), "CRC"),
             (with_fields(tlv("01", "12")), "QRIS dinamis"),
             (with_fields(tlv("01", "11"), account="ID.CO.BANKLAIN.WWW"), "ID.CO.QRIS.WWW"),
             (with_fields(tlv("01", "11"), merchant=""), "nama merchant")]
    for text, reason in wrong:
        with pytest.raises(QrisError, match=reason.replace("(", r"\(").replace(")", r"\)")):
            read_payload(text)


def test_a_swapped_picture_is_only_the_sellers_to_replace(app, db, siti, budi):
    """The buyer sees the name read from the payload when it was uploaded: a new upload by the
    seller replaces both, and the old file is gone."""
    make_shop()
    upload(siti, qr_png(qris_payload(merchant="WARUNG BU SITI")))
    first = Shop.get(Shop.owner == user(SITI)).qris_file
    upload(siti, qr_png(qris_payload(merchant="SITI AMINAH")))
    shop = Shop.get(Shop.owner == user(SITI))
    assert shop.qris_merchant == "SITI AMINAH" and shop.qris_file != first
    assert not documents(app).exists(qris_key(first))
    assert budi.get("/lapak-saya/qris").status_code in (302, 303, 404)
    assert scanned(siti.get("/lapak-saya/qris").data) == [qris_payload(merchant="SITI AMINAH")]


def test_the_sweep_keeps_a_lapaks_qris_and_removes_an_unnamed_one(app, db, siti, monkeypatch):
    make_shop()
    upload(siti, qr_png(qris_payload()))
    kept = qris_key(Shop.get(Shop.owner == user(SITI)).qris_file)
    documents(app).put(qris_key("qris-left-behind.png"), qr_png(qris_payload()))
    monkeypatch.setattr(sweep, "STRAY_GRACE", datetime.timedelta(seconds=-60))
    with app.app_context():
        strays = sweep.stray_keys()
    assert kept not in strays and qris_key("qris-left-behind.png") in strays


def test_the_sellers_data_download_holds_the_qris_and_the_ways_of_paying(app, db, siti):
    make_shop()
    upload(siti, qr_png(qris_payload()), bank_account="BRI 0123")
    archive = zipfile.ZipFile(io.BytesIO(siti.get("/akun/data-saya.zip").data))
    lapak = json.loads(archive.read("data.json"))["lapak"]
    assert (lapak["payments"], lapak["qris_merchant"], lapak["qris"]) == (
        "tunai,qris", "WARUNG BU SITI", "lapak/qris.png")
    assert scanned(archive.read("lapak/qris.png")) == [qris_payload()]
