"""Paying and delivery in the lapak: shop payments, bank_account, qris_*, delivery_fees; order
payment, dusun, delivery_fee

A lapak names the ways it is paid (cash at the door or pickup, transfer to the account it
writes, its own static QRIS, whose picture and merchant name are kept) and a flat delivery fee
per dusun. An order keeps the buyer's way of paying, the dusun it goes to and the fee, which is
part of its total. Existing lapak are paid in cash and deliver for no fee, as before; existing
orders were paid in cash or by a transfer arranged outside the app, recorded as cash."""
from peewee import CharField, IntegerField, TextField


def upgrade(migrator):
    for name, field in (("delivery_fees", TextField(default="{}")),
                        ("payments", CharField(default="tunai")),
                        ("bank_account", TextField(default="")),
                        ("qris_file", CharField(default="")),
                        ("qris_merchant", CharField(default="")),
                        ("qris_city", CharField(default=""))):
        migrator.add_column("shop", name, field).run()
    for name, field in (("dusun", CharField(default="")),
                        ("delivery_fee", IntegerField(default=0)),
                        ("payment", CharField(default="tunai"))):
        migrator.add_column("order", name, field).run()
