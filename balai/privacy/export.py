"""Everything Balai holds about one resident, as a ZIP: data.json and the files themselves.

What is theirs: their population record and account, their letter requests with each step,
the syarat they uploaded, their kept documents (Dokumen saya) and the letters issued to them, the notifications sent to them and
their contact points, their lapak with its products, and their orders. What is someone else's
stays out: the officials who acted (their role is named), a seller's account behind an order (the
lapak's name is given), a buyer behind an order to their lapak, a buyer's note."""
import json
import tempfile
import zipfile
from pathlib import PurePosixPath

from flask import current_app
from playhouse.shortcuts import model_to_dict

from balai.letters.issuance import letter_key
from balai.letters.kept import KeptDocument
from balai.letters.models import LetterEvent, LetterRequest
from balai.letters.uploads import upload_key
from balai.market.models import Product, Shop
from balai.market.orders import Order, OrderItem
from balai.market.qris import qris_key
from balai.media import image_key
from balai.notify.models import ContactPoint, Notification
from balai.people.models import Person
from balai.storage import documents
from balai.villages.models import Village

README = """Data pribadi Anda yang disimpan Balai, {village}.

data.json berisi data kependudukan, akun, permohonan surat beserta riwayatnya, notifikasi,
kontak, lapak dan pesanan Anda. Folder syarat/ berisi berkas syarat yang Anda unggah, dokumen/
berisi KTP dan KK di Dokumen saya, surat/ berisi surat yang terbit untuk Anda, lapak/ berisi foto
produk Anda.
Berkas syarat permohonan yang sudah selesai dihapus setelah {days} hari; surat yang terbit dan
buku agenda surat tetap disimpan. Dokumen saya disimpan sampai Anda menggantinya atau
menghapusnya.
"""


def fields(record, *names):
    return {name: getattr(record, name) for name in names}


class Export:
    """data.json's sections and the files that go beside it, gathered for one account."""

    def __init__(self, user):
        self.user, self.files = user, []  # files: (name in the ZIP, document key)

    def add_file(self, name, key):
        """The name in the ZIP, or None when the document is gone."""
        if not documents().exists(key):
            return None
        self.files.append((name, key))
        return name

    def data(self):
        user, person = self.user, self.user.person
        notifications = (Notification.select().where(Notification.recipient == user)
                         .order_by(Notification.id))
        orders_in = (Order.select(Order, Shop).join(Shop).where(Shop.owner == user)
                     .order_by(Order.id))
        return {
            "penduduk": model_to_dict(person, exclude=[Person.id]),
            "akun": fields(user, "username", "role", "active", "created_at"),
            "permohonan_surat": [self.letter_request(r) for r in LetterRequest.of_person(person)],
            "dokumen_saya": [self.kept(d) for d in KeptDocument.of_person(person.id).values()],
            "notifikasi": [fields(n, "channel", "address", "kind", "subject", "message", "link",
                                  "status", "created_at", "sent_at", "read_at")
                           for n in notifications],
            "kontak": [fields(c, "channel", "address", "verified_at", "enabled")
                       for c in ContactPoint.select().where(ContactPoint.user == user)],
            "lapak": self.shop(),
            "pesanan_saya": [self.order(o, "note") for o in Order.for_buyer(user)],
            "pesanan_masuk": [self.order(o) for o in orders_in],
        }

    def letter_request(self, req):
        row = fields(req, "id", "status", "purpose", "fields", "created_at", "submitted_at",
                     "updated_at", "number", "issued_at", "verify_token", "revoked_at",
                     "revoked_reason")
        row["jenis_surat"] = req.letter_type.name
        row["diajukan_di_loket"] = req.filed_at_counter
        row["riwayat"] = [fields(e, "at", "role", "action", "from_status", "to_status", "note",
                                 "reason_category")
                          for e in req.events.order_by(LetterEvent.at, LetterEvent.id)]
        row["syarat"] = []
        for att in req.attachments:
            upload = fields(att, "requirement_key", "original_name", "content_type", "size",
                            "uploaded_at")
            key = upload_key(att.stored_name)
            upload["berkas"] = self.add_file(
                f"syarat/{req.id}-{att.requirement_key}{PurePosixPath(key).suffix}", key)
            row["syarat"].append(upload)
        if req.pdf_file:
            row["berkas_surat"] = self.add_file(
                f"surat/{req.letter_type.slug}-{req.id}.pdf",
                letter_key(req.pdf_file))
        return row

    def kept(self, doc):
        row = fields(doc, "kind", "original_name", "content_type", "size", "kept_at")
        key = upload_key(doc.stored_name)
        row["berkas"] = self.add_file(f"dokumen/{doc.kind}{PurePosixPath(key).suffix}", key)
        return row

    def shop(self):
        shop = Shop.get_or_none(Shop.owner == self.user)
        if shop is None:
            return None
        row = fields(shop, "name", "description", "whatsapp", "location", "delivery", "hours",
                     "status", "status_reason", "created_at", "delivery_fees", "payments",
                     "bank_account", "qris_merchant", "qris_city")
        if shop.qris_file:
            row["qris"] = self.add_file("lapak/qris.png", qris_key(shop.qris_file))
        row["produk"] = []
        for product in shop.products.order_by(Product.id):
            item = fields(product, "id", "name", "category", "price", "unit", "stock",
                          "description", "active", "status", "status_reason", "created_at")
            item["foto"] = [self.add_file(f"lapak/produk-{product.id}-{n}.jpg",
                                          image_key(photo.image_set.article.jpeg))
                            for n, photo in enumerate(product.photo_list(), 1)]
            row["produk"].append(item)
        return row

    def order(self, order, *own):
        """An order with its lines; `own` names the fields that are this account's words."""
        row = fields(order, "id", "status", "paid", "delivery", "dusun", "delivery_fee",
                     "payment", "cancel_reason", "total", "created_at", "updated_at", *own)
        row["lapak"] = order.shop.name
        row["barang"] = [fields(i, "name", "price", "unit", "quantity")
                         for i in order.items.order_by(OrderItem.id)]
        return row


def archive(user):
    """The ZIP as a temporary file, rewound: BACA-SAYA.txt, data.json and the files."""
    export = Export(user)
    data = json.dumps(export.data(), ensure_ascii=False, indent=1, default=str)
    readme = README.format(village=Village.current().name,
                           days=current_app.config["SYARAT_RETENTION_DAYS"])
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zip_file:
        zip_file.writestr("BACA-SAYA.txt", readme)
        zip_file.writestr("data.json", data)
        for name, key in export.files:  # photos and PDFs are compressed already
            zip_file.writestr(name, documents().get(key), compress_type=zipfile.ZIP_STORED)
    out.seek(0)
    return out
