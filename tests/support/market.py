"""Lapak and products made directly in the database for the marketplace tests."""
import secrets

from balai.market.models import Product, Shop
from balai.market.orders import Order
from balai.people.models import User
from tests.support.village import BUDI, SITI


def user(nik):
    return User.by_login(nik)


def make_shop(nik=SITI, status="disetujui", delivery="ambil,antar", name="Warung Uji"):
    Shop.delete().where(Shop.owner == user(nik)).execute()
    return Shop.create(owner=user(nik), name=name, whatsapp="6281234567890",
                       location="RT 001 RW 001", delivery=delivery, status=status)


def make_product(shop, name="Keripik tempe", price=15000, stock=5, status="disetujui",
                 active=True):
    return Product.create(shop=shop, name=name, category="makanan", price=price, unit="bungkus",
                          stock=stock, status=status, active=active)


def place(product, quantity=1, buyer=BUDI, delivery="antar", dusun="", payment="tunai"):
    """An order for one product, placed as the buyer would."""
    return Order.place(user(buyer).id, product.shop, [(product, quantity)], delivery, "",
                       secrets.token_hex(8), dusun, payment)


def stock_of(product):
    return Product.get_by_id(product.id).stock

