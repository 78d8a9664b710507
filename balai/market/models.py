"""Lapak UMKM: residents' shops and products, the operator's moderation, and orders."""
from urllib.parse import quote

from peewee import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from balai.db import JSONField, db, now
from balai.media import ImageSet
from balai.notify.outbox import send
from balai.people.contact import WHATSAPP_RULE, whatsapp_number
from balai.people.models import Person, User
from balai.villages.models import VillageModel


class OrderError(Exception):
    """An order or an order step that is refused; the message is for the person who tried it."""


CATEGORIES = {
    "makanan": "Makanan & minuman",
    "tani": "Hasil tani & kebun",
    "ternak": "Ternak & ikan",
    "kerajinan": "Kerajinan",
    "pakaian": "Pakaian & kain",
    "jasa": "Jasa",
    "lainnya": "Lainnya",
}
UNITS = ("pcs", "kg", "ikat", "porsi", "bungkus", "liter", "ekor", "sisir", "paket")
DELIVERY = {"ambil": "Ambil sendiri", "antar": "Antar dalam desa"}
PAYMENTS = {"tunai": "Bayar di tempat (tunai saat diantar atau diambil)",
            "transfer": "Transfer bank", "qris": "QRIS"}
WHOLE_VILLAGE = ""  # the delivery fee's key when the population records name no dusun
FEE_MAX = 1_000_000
PRICE_MAX = 100_000_000
STOCK_MAX = 100_000
PHOTOS_MAX = 3
MODERATION_LABELS = {
    "menunggu": "Menunggu persetujuan operator desa",
    "disetujui": "Tampil di katalog",
    "disembunyikan": "Disembunyikan operator desa",
}


def format_rupiah(amount):
    """15000 -> "Rp 15.000"."""
    return "Rp " + f"{int(amount):,}".replace(",", ".")


def whole_number(text, low, high, what):
    """(number, error): a whole number from a form, allowing thousands dots (15.000)."""
    digits = (text or "").strip().replace(".", "").replace(" ", "")
    if not digits:
        return None, f"Isi {what}."
    if not digits.lstrip("-").isdigit():
        return None, f"{what.capitalize()} harus berupa angka bulat, misalnya 15000."
    number = int(digits)
    if number < low or number > high:
        return None, (f"{what.capitalize()} harus antara {low:,} dan {high:,}.").replace(",", ".")
    return number, None


def text_field(form, name, label, errors, limit, required=True):
    """A stripped text value; records an error when it is missing or too long."""
    value = (form.get(name) or "").strip()
    if required and not value:
        errors[name] = f"Isi {label}."
    elif len(value) > limit:
        errors[name] = f"{label.capitalize()} terlalu panjang: paling banyak {limit} huruf."
    return value


class Moderated(VillageModel):
    """Something the operator approves before it is public, and may hide later with a reason."""
    status = CharField(default="menunggu", index=True)
    status_reason = TextField(default="")
    created_at = DateTimeField(default=now)

    @property
    def status_label(self):
        return MODERATION_LABELS[self.status]

    def moderate(self, action, reason=""):
        """The operator's decision: "setujui" or "sembunyikan" (which needs a reason)."""
        reason = (reason or "").strip()
        if action == "sembunyikan" and not reason:
            raise OrderError("Tuliskan alasannya agar penjual tahu apa yang harus diperbaiki.")
        if action not in ("setujui", "sembunyikan"):
            raise OrderError("Tindakan tidak dikenal.")
        self.status = "disetujui" if action == "setujui" else "disembunyikan"
        self.status_reason = reason[:500] if action == "sembunyikan" else ""
        with db.atomic():
            model = type(self)  # only the decision: a sale may have changed the stock since read
            self.save(only=[model.status, model.status_reason])
            self.tell_seller()

    def tell_seller(self):
        """The seller hears the operator's decision, and why when it is hidden."""
        message = f"{self.name}: {self.status_label}."
        if self.status_reason:
            message += f" Alasan: {self.status_reason}. Perbaiki, lalu simpan untuk diperiksa lagi."
        send(self.seller, "lapak", message, "/lapak-saya",
                    f"{self._meta.table_name}:{self.id}:{self.status}:{now()}")

    def resubmit_if_hidden(self):
        """A seller who fixes a hidden item asks for review again."""
        if self.status == "disembunyikan":
            self.status = "menunggu"


class Shop(Moderated):
    """A resident's lapak: one per account."""
    owner = ForeignKeyField(User, unique=True, backref="shops", on_delete="CASCADE")
    name = CharField()
    description = TextField(default="")
    whatsapp = CharField()  # normalized 628...
    location = CharField()  # RT/RW or pickup point
    delivery = CharField(default="ambil")  # comma-separated keys of DELIVERY
    hours = CharField(default="")
    delivery_fees = JSONField(default=dict)  # {dusun: flat fee}, only where it delivers; {}: free
    payments = CharField(default="tunai")  # comma-separated keys of PAYMENTS
    bank_account = TextField(default="")  # what a buyer who transfers is told, as typed
    qris_file = CharField(default="")  # the stored PNG (balai.market.qris); "" without one
    qris_merchant = CharField(default="")  # read from its payload when it was uploaded
    qris_city = CharField(default="")

    @property
    def seller(self):
        return self.owner

    @property
    def delivery_options(self):
        return [key for key in self.delivery.split(",") if key in DELIVERY]

    @property
    def delivery_labels(self):
        return ", ".join(DELIVERY[key] for key in self.delivery_options)

    @property
    def payment_options(self):
        return [key for key in self.payments.split(",") if key in PAYMENTS
                and (key != "qris" or self.qris_file)]

    def fee_for(self, dusun):
        """The delivery fee to this dusun, or None when the lapak does not deliver there."""
        return self.delivery_fees.get(dusun) if self.delivery_fees else 0

    @staticmethod
    def clean_fees(form, places, errors):
        """{dusun: fee} from the fee fields, one per place. An empty field is no delivery there;
        all of them empty ({}) is free delivery anywhere in the village."""
        fees = {}
        for number, place in enumerate(places):
            text = (form.get(f"fee-{number}") or "").strip()
            if text:
                fees[place], message = whole_number(text, 0, FEE_MAX, "ongkos antar")
                if message:
                    errors[f"fee-{number}"] = message
        return fees

    @property
    def is_public(self):
        return self.status == "disetujui"

    @staticmethod
    def clean(form):
        """(values, errors) from the lapak form."""
        errors = {}
        values = {"name": text_field(form, "name", "nama lapak", errors, 80),
                  "description": text_field(form, "description", "keterangan singkat", errors,
                                            300, required=False),
                  "location": text_field(form, "location", "RT/RW atau tempat ambil", errors, 120),
                  "hours": text_field(form, "hours", "jam buka", errors, 80, required=False),
                  "delivery": ",".join(k for k in DELIVERY if k in form.getlist("delivery")),
                  "payments": ",".join(k for k in PAYMENTS if k in form.getlist("payments")),
                  "bank_account": text_field(form, "bank_account", "rekening tujuan transfer",
                                             errors, 300, required="transfer" in
                                             form.getlist("payments"))}
        values["delivery_fees"] = Shop.clean_fees(form, delivery_places(), errors)
        values["payments"] = values["payments"] or "tunai"  # cash at the door is always possible
        values["whatsapp"] = whatsapp_number(form.get("whatsapp"))
        if values["whatsapp"] is None:
            errors["whatsapp"] = WHATSAPP_RULE
        if not values["delivery"]:
            errors["delivery"] = "Pilih paling sedikit satu cara: ambil sendiri atau antar."
        return values, errors

    @classmethod
    def of_user(cls, user):
        return cls.get_or_none(cls.owner == user.id) if user.is_authenticated else None


class Product(Moderated):
    shop = ForeignKeyField(Shop, backref="products", on_delete="CASCADE")
    name = CharField()
    category = CharField(index=True)
    price = IntegerField()
    unit = CharField()
    stock = IntegerField(default=0)
    description = TextField(default="")
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("status", "active", "created_at"), False),)

    @staticmethod
    def clean(form):
        """(values, errors) from the product form."""
        errors = {}
        values = {"name": text_field(form, "name", "nama produk", errors, 80),
                  "description": text_field(form, "description", "keterangan", errors, 1000,
                                            required=False),
                  "category": form.get("category", ""), "unit": form.get("unit", ""),
                  "active": form.get("active") == "1"}
        if values["category"] not in CATEGORIES:
            errors["category"] = "Pilih kategori dari daftar."
        if values["unit"] not in UNITS:
            errors["unit"] = "Pilih satuan dari daftar."
        for name, low, high, what in (("price", 1, PRICE_MAX, "harga"),
                                      ("stock", 0, STOCK_MAX, "stok")):
            values[name], message = whole_number(form.get(name), low, high, what)
            if message:
                errors[name] = message
        return values, errors

    def set_stock(self, typed, seen):
        """The seller's new count, as a change from what their form showed: items ordered while
        the form was open stay taken."""
        change = typed - (self.stock if seen is None else seen)
        counted = Product.stock + change
        (Product.update(stock=Case(None, [(counted < 0, 0)], counted))  # never below 0
         .where(Product.id == self.id).execute())

    def shortage(self, left):
        """What a buyer who asks for more than the `left` in stock is told."""
        if left <= 0:
            return f"Maaf, {self.name} sudah habis."
        return f"Stok {self.name} tinggal {left} {self.unit}. Kurangi jumlahnya."

    @property
    def seller(self):
        return self.shop.owner

    @property
    def category_label(self):
        return CATEGORIES.get(self.category, self.category)

    @property
    def is_public(self):
        return self.status == "disetujui" and self.active and self.shop.is_public

    @property
    def status_label(self):
        if self.status == "disetujui" and not self.shop.is_public:
            return "Disetujui; tampil di katalog setelah lapaknya disetujui"
        return super().status_label

    def visible_to(self, user):
        """Public products for all; the rest for their seller and the operator only."""
        return self.is_public or (user.is_authenticated and (self.shop.owner_id == user.id
                                                             or user.role == "operator"))

    def whatsapp_link(self):
        return whatsapp_link(self.shop.whatsapp, f"Halo, saya tertarik dengan {self.name} "
                             f"({format_rupiah(self.price)}/{self.unit}) di lapak {self.shop.name}.")

    def photo_list(self):
        return list(self.photos.order_by(ProductPhoto.position, ProductPhoto.id))

    @staticmethod
    def attach_covers(products):
        """Give each product its first photo as `.cover`, with one query for the whole list."""
        ids = [p.id for p in products]
        photos = (ProductPhoto.select().where(ProductPhoto.product.in_(ids))
                  .order_by(ProductPhoto.position.desc(), ProductPhoto.id.desc()))
        covers = {photo.product_id: photo for photo in photos}
        for product in products:
            product.cover = covers.get(product.id)
        return products

    @classmethod
    def public(cls):
        return (cls.select(cls, Shop).join(Shop)
                .where((cls.status == "disetujui") & (cls.active == True)  # noqa: E712
                       & (Shop.status == "disetujui")))

    @classmethod
    def catalogue(cls, category="", text="", sort="baru"):
        """The public catalogue, filtered and sorted, newest first unless asked otherwise."""
        query = cls.public()
        if category in CATEGORIES:
            query = query.where(cls.category == category)
        if text:
            query = query.where(cls.name.contains(text) | cls.description.contains(text))
        order = {"murah": (cls.price, cls.id), "mahal": (cls.price.desc(), cls.id.desc())}
        return query.order_by(*order.get(sort, (cls.created_at.desc(), cls.id.desc())))

    @classmethod
    def owned_by(cls, product_id, user):
        """The product if this user's lapak sells it, else None (so others get a 404)."""
        return (cls.select(cls, Shop).join(Shop)
                .where((cls.id == product_id) & (Shop.owner == user.id)).first())

    @classmethod
    def waiting(cls):
        return (cls.select(cls, Shop).join(Shop)
                .where(cls.status == "menunggu").order_by(cls.created_at))


class ProductPhoto(VillageModel):
    """One of up to three photos of a product, stored by the shared image pipeline."""
    product = ForeignKeyField(Product, backref="photos", on_delete="CASCADE")
    key = CharField(unique=True)  # finds the product of a served image file
    image = JSONField()  # images.ImageSet.as_dict()
    position = IntegerField(default=0)

    @property
    def image_set(self):
        return ImageSet.from_dict(self.image)


def delivery_places():
    """Where a lapak can deliver: each dusun of the village, or the whole village in one."""
    return Person.dusun_names() or [WHOLE_VILLAGE]


def whatsapp_link(number, message):
    """A wa.me link that opens a chat with the message typed in."""
    return f"https://wa.me/{number}?text={quote(message)}"
