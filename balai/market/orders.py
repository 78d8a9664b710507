"""Orders in the Lapak UMKM: placing them with the stock, and their workflow."""
from peewee import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    prefetch,
)

from balai.db import db, now
from balai.market.models import (
    DELIVERY,
    PAYMENTS,
    OrderError,
    Product,
    Shop,
    format_rupiah,
    whatsapp_link,
)
from balai.notify.models import ContactPoint
from balai.notify.outbox import send
from balai.people.models import Person, User
from balai.villages.models import VillageModel

ORDER_STATUS_LABELS = {
    "baru": "Pesanan baru, menunggu penjual",
    "dikonfirmasi": "Diterima penjual, sedang disiapkan",
    "dikirim": "Sedang diantar",
    "siap_diambil": "Siap diambil",
    "selesai": "Selesai",
    "dibatalkan": "Dibatalkan",
}
# The order workflow: (state, action, role) -> next state. "pembeli" is the buyer, "penjual"
# the lapak's owner. Delivery decides between "kirim" and "siapkan" (ACTION_NEEDS_DELIVERY).
ORDER_TRANSITIONS = {
    ("baru", "konfirmasi", "penjual"): "dikonfirmasi",
    ("baru", "batalkan", "pembeli"): "dibatalkan",
    ("baru", "batalkan", "penjual"): "dibatalkan",
    ("dikonfirmasi", "kirim", "penjual"): "dikirim",
    ("dikonfirmasi", "siapkan", "penjual"): "siap_diambil",
    ("dikonfirmasi", "batalkan", "penjual"): "dibatalkan",
    ("dikirim", "selesaikan", "penjual"): "selesai",
    ("siap_diambil", "selesaikan", "penjual"): "selesai",
    ("siap_diambil", "batalkan", "penjual"): "dibatalkan",
}
ACTION_NEEDS_DELIVERY = {"kirim": "antar", "siapkan": "ambil"}
ORDER_ACTION_LABELS = {"konfirmasi": "Terima pesanan", "kirim": "Antar sekarang",
                       "siapkan": "Siap diambil", "selesaikan": "Selesai",
                       "batalkan": "Batalkan"}
# What the buyer is told when the seller moves the order or marks it paid.
BUYER_NEWS = {
    "dikonfirmasi": "diterima penjual dan sedang disiapkan.",
    "dikirim": "sedang diantar ke tempat Anda.",
    "siap_diambil": "siap diambil di {location}.",
    "selesai": "selesai. Terima kasih sudah berbelanja di lapak warga.",
    "dibatalkan": "dibatalkan penjual. Alasan: {reason}.",
    "lunas": "sudah dicatat lunas oleh penjual.",
}
PAID_LABELS = {"tunai": "Tandai lunas: uang tunai sudah diterima",
               "transfer": "Tandai lunas: transfer sudah masuk",
               "qris": "Tandai lunas: pembayaran QRIS sudah masuk"}
QUANTITY_MAX = 1000
NOTE_MAX = 500


class Order(VillageModel):
    """A buyer's order to one lapak; status moves only through ORDER_TRANSITIONS."""
    buyer = ForeignKeyField(User, backref="orders")
    shop = ForeignKeyField(Shop, backref="orders")
    status = CharField(default="baru", index=True)
    paid = BooleanField(default=False)
    delivery = CharField()
    note = TextField(default="")
    cancel_reason = TextField(default="")
    total = IntegerField(default=0)
    form_key = CharField(unique=True)  # the check page's nonce: a double click is one order
    version = IntegerField(default=0)
    created_at = DateTimeField(default=now, index=True)
    updated_at = DateTimeField(default=now)
    dusun = CharField(default="")  # where it is delivered (a key of the lapak's delivery fees)
    delivery_fee = IntegerField(default=0)  # part of the total
    payment = CharField(default="tunai")  # a key of PAYMENTS

    @property
    def status_label(self):
        return ORDER_STATUS_LABELS[self.status]

    @property
    def buyer_place(self):
        """Who ordered and where they live, for the seller who delivers."""
        person = self.buyer.person
        return f"{person.name}, RT {person.rt} RW {person.rw}, {person.address}" if person else ""

    @property
    def delivery_label(self):
        label = DELIVERY.get(self.delivery, self.delivery)
        return f"{label} ke {self.dusun}" if self.delivery == "antar" and self.dusun else label

    @property
    def payment_label(self):
        return PAYMENTS.get(self.payment, self.payment)

    @property
    def paid_label(self):
        """The seller's receipt confirmation, in the words of the way the buyer pays."""
        return PAID_LABELS.get(self.payment, "Tandai lunas")

    @classmethod
    def for_buyer(cls, user):
        return (cls.select(cls, Shop).join(Shop).where(cls.buyer == user.id)
                .order_by(cls.created_at.desc(), cls.id.desc()))

    @classmethod
    def for_shop(cls, shop, limit=50):
        """The lapak's latest orders, new ones first, with their items: a few queries in all."""
        new_first = Case(None, [(cls.status == "baru", 0)], 1)
        orders = (cls.select(cls, Shop, User, Person).join(Shop).switch(cls).join(User)
                  .join(Person, on=(User.person == Person.id)).where(cls.shop == shop)
                  .order_by(new_first, cls.created_at.desc(), cls.id.desc()).limit(limit))
        return prefetch(orders, OrderItem)

    @classmethod
    def visible_to(cls, order_id, user):
        """The order if this user bought it or sells it, else None."""
        return (cls.select(cls, Shop).join(Shop)
                .where((cls.id == order_id) & ((cls.buyer == user.id) | (Shop.owner == user.id)))
                .first())

    @classmethod
    def by_form_key(cls, form_key, user):
        return cls.get_or_none((cls.form_key == form_key) & (cls.buyer == user.id))

    @staticmethod
    def clean(shop, buyer, form):
        """(lines, choice, errors) from the order form; lines are (product, quantity), choice
        the delivery, dusun, payment and note (what Order.place takes besides the lines)."""
        errors, lines = {}, []
        if shop.owner_id == buyer.id:
            errors["items"] = "Anda tidak dapat memesan dari lapak Anda sendiri."
        for product in Product.public().where(Product.shop == shop).order_by(Product.name):
            text = (form.get(f"qty-{product.id}") or "0").strip()
            if not text.isdigit() or int(text) > QUANTITY_MAX:
                errors[f"qty-{product.id}"] = (f"Jumlah {product.name} harus angka bulat "
                                               f"0 sampai {QUANTITY_MAX}.")
            elif int(text) > product.stock:
                errors[f"qty-{product.id}"] = product.shortage(product.stock)
            elif int(text):
                lines.append((product, int(text)))
        offered = {k[4:] for k in form
                   if k.startswith("qty-") and (form.get(k) or "0").strip() != "0"}
        if offered - {str(p.id) for p, _ in lines} - {k[4:] for k in errors}:
            errors["items"] = "Ada produk yang sedang tidak dijual. Periksa lagi pesanan Anda."
        elif not lines and not errors:
            errors["items"] = "Isi jumlah paling sedikit satu produk."
        choice = {key: (form.get(key) or "").strip()
                  for key in ("delivery", "dusun", "payment", "note")}
        Order.check_choice(shop, choice, errors)
        return lines, choice, errors

    @staticmethod
    def check_choice(shop, choice, errors):
        """Record in errors what the lapak does not offer of the buyer's choice; where it
        offers one way only, that is the choice."""
        for key, offered in (("payment", shop.payment_options), ("dusun", shop.delivery_fees)):
            if not choice[key] and len(offered) == 1:
                choice[key] = next(iter(offered))
        if choice["delivery"] not in shop.delivery_options:
            errors["delivery"] = "Pilih cara terima barang: " + " atau ".join(
                DELIVERY[k].lower() for k in shop.delivery_options) + "."
        elif choice["delivery"] != "antar":
            choice["dusun"] = ""
        elif shop.delivery_fees and shop.fee_for(choice["dusun"]) is None:
            errors["dusun"] = "Pilih dusun tujuan dari daftar: lapak ini mengantar ke " + ", ".join(
                place or "seluruh desa" for place in shop.delivery_fees) + "."
        if choice["payment"] not in shop.payment_options:
            errors["payment"] = "Pilih cara bayar: " + " atau ".join(
                PAYMENTS[k].lower() for k in shop.payment_options) + "."
        if len(choice["note"]) > NOTE_MAX:
            errors["note"] = f"Catatan terlalu panjang: paling banyak {NOTE_MAX} huruf."

    @staticmethod
    def total_of(shop, lines, choice):
        """(delivery fee, total) of the lines and the buyer's choice."""
        fee = (shop.fee_for(choice["dusun"]) or 0) if choice["delivery"] == "antar" else 0
        return fee, fee + sum(product.price * quantity for product, quantity in lines)

    @classmethod
    def place(cls, buyer, shop, quantities, delivery, note, form_key, dusun="", payment="tunai"):
        """Create the order and take the stock, all or nothing.

        The stock update is conditional (stock >= quantity) and runs under the write lock,
        so two buyers can never both take the last item. A reused form_key raises
        IntegrityError: the caller shows the order the first click made."""
        with db.atomic():
            fee, _ = cls.total_of(shop, [], {"delivery": delivery, "dusun": dusun})
            order = cls.create(buyer=buyer, shop=shop, delivery=delivery, note=note,
                               form_key=form_key, dusun=dusun if delivery == "antar" else "",
                               delivery_fee=fee, payment=payment, total=fee)
            for product, quantity in quantities:
                taken = (Product.update(stock=Product.stock - quantity)
                         .where((Product.id == product.id) & (Product.stock >= quantity))
                         .execute())
                if not taken:
                    raise OrderError(product.shortage(Product.get_by_id(product.id).stock))
                OrderItem.create(order=order, product=product, name=product.name,
                                 price=product.price, unit=product.unit, quantity=quantity)
                order.total += product.price * quantity
            order.save()
            order.tell("baru", "pembeli")
        return order

    def roles_of(self, user):
        roles = set()
        if user.id == self.buyer_id:
            roles.add("pembeli")
        if user.id == self.shop.owner_id:
            roles.add("penjual")
        return roles

    def allowed_actions(self, user):
        roles = self.roles_of(user)
        return [action for (state, action, role) in ORDER_TRANSITIONS
                if state == self.status and role in roles
                and ACTION_NEEDS_DELIVERY.get(action, self.delivery) == self.delivery]

    def apply(self, action, user, note="", seen_version=None):
        """Move the order along ORDER_TRANSITIONS with a compare-and-set on the version.

        Cancelling puts the stock back in the same transaction; the compare-and-set makes
        that happen once, however often the button is pressed."""
        note = (note or "").strip()
        role = "penjual" if "penjual" in self.roles_of(user) else "pembeli"
        if action == "batalkan" and role == "penjual" and not note:
            raise OrderError("Tuliskan alasan pembatalan agar pembeli tahu.")
        if len(note) > NOTE_MAX:
            raise OrderError(f"Alasan terlalu panjang: paling banyak {NOTE_MAX} huruf.")
        if action not in self.allowed_actions(user):
            raise OrderError("Langkah ini tidak dapat dilakukan untuk pesanan ini sekarang. "
                             "Muat ulang halaman untuk melihat keadaannya.")
        new_status = ORDER_TRANSITIONS[(self.status, action, role)]
        changes = {Order.status: new_status}
        if action == "batalkan":
            changes[Order.cancel_reason] = note or "Dibatalkan oleh pembeli."
        with db.atomic():
            self._compare_and_set(changes, seen_version)
            if action == "batalkan":
                self._return_stock()
            self.cancel_reason = changes.get(Order.cancel_reason, "")
            self.tell(new_status, role)
        self.status = new_status
        return new_status

    def mark_paid(self, user, seen_version=None):
        """The seller confirms receipt of the payment (cash, transfer or QRIS, all outside the
        app: no money passes through Balai)."""
        if "penjual" not in self.roles_of(user) or self.status == "dibatalkan" or self.paid:
            raise OrderError("Pesanan ini tidak dapat ditandai lunas sekarang.")
        with db.atomic():
            self._compare_and_set({Order.paid: True}, seen_version)
            self.tell("lunas", "penjual")
        self.paid = True

    def tell(self, status, by_role):
        """Notify the other side of this change, inside the transaction that made it."""
        shop, number = self.shop, f"Pesanan #{self.id}"
        if by_role == "pembeli":
            items = ", ".join(f"{i.quantity} {i.unit} {i.name}" for i in self.items)
            message = (f"{number} dibatalkan pembeli. Stok sudah dikembalikan."
                       if status == "dibatalkan" else
                       f"{number} baru dari {self.buyer.display_name}: {items}. Total "
                       f"{format_rupiah(self.total)}. Terima atau tolak di Lapak saya.")
            recipient = shop.owner
        else:
            message = f"{number} di {shop.name}: " + BUYER_NEWS[status].format(
                location=shop.location, reason=self.cancel_reason)
            recipient = self.buyer
        send(recipient, "pesanan", message, f"/pesanan/{self.id}",
                    f"order:{self.id}:{status}")

    def _compare_and_set(self, changes, seen_version):
        """Write the changes only if nobody moved the order since this page was opened."""
        version = self.version if seen_version in (None, "") else int(seen_version)
        changes.update({Order.version: Order.version + 1, Order.updated_at: now()})
        moved = (Order.update(changes)
                 .where((Order.id == self.id) & (Order.version == version)).execute())
        if not moved:
            raise OrderError("Pesanan ini sudah berubah sejak halaman Anda dibuka. "
                             "Muat ulang halaman untuk melihat keadaan terbaru.")
        self.version = version + 1

    def _return_stock(self):
        for item in self.items:
            (Product.update(stock=Product.stock + item.quantity)
             .where(Product.id == item.product_id).execute())

    def whatsapp_link(self):
        return whatsapp_link(self.shop.whatsapp,
                             f"Halo, saya menanyakan pesanan #{self.id} di lapak {self.shop.name}.")

    @staticmethod
    def with_buyer_whatsapp(orders):
        """Give each order `buyer_whatsapp`, the WhatsApp number its buyer verified (None
        without one), in one query: the seller of an order may chat with its buyer about it."""
        orders = list(orders)
        numbers = dict(ContactPoint.select(ContactPoint.user, ContactPoint.address).where(
            ContactPoint.user.in_({order.buyer_id for order in orders})
            & (ContactPoint.channel == "whatsapp") & ContactPoint.verified_at.is_null(False))
            .tuples())
        for order in orders:
            order.buyer_whatsapp = numbers.get(order.buyer_id)
        return orders

    def buyer_chat_link(self):
        """For the seller (after with_buyer_whatsapp): a chat with the buyer about this order."""
        return self.buyer_whatsapp and whatsapp_link(
            self.buyer_whatsapp, f"Halo, ini {self.shop.name} tentang pesanan #{self.id} Anda.")


class OrderItem(VillageModel):
    """A line of an order; name and price are kept as they were when the order was placed."""
    order = ForeignKeyField(Order, backref="items", on_delete="CASCADE")
    product = ForeignKeyField(Product, backref="order_items")
    name = CharField()
    price = IntegerField()
    unit = CharField()
    quantity = IntegerField()

    class Meta:
        indexes = ((("order", "product"), True),)  # one line per product (migration 0002)

    @property
    def subtotal(self):
        return self.price * self.quantity
