"""Lapak UMKM for sellers (their lapak, products, incoming orders) and the operator's moderation."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from peewee import IntegrityError

from balai.db import db
from balai.market.models import (
    CATEGORIES,
    DELIVERY,
    PAYMENTS,
    PHOTOS_MAX,
    UNITS,
    OrderError,
    Product,
    ProductPhoto,
    Shop,
    delivery_places,
)
from balai.market.orders import Order
from balai.market.qris import QrisError, qris_key, store_qris
from balai.media import ImageError, delete_image, process_image
from balai.storage import delete_documents, documents
from balai.web.access import operator_required

bp = Blueprint("shop", __name__)
bp.add_app_template_global(lambda user: Shop.of_user(user) is not None, "sells")  # the menu


def resident_only():
    if current_user.person_id is None:
        abort(403)


def my_shop_or_redirect():
    """The seller's own lapak; without one, the caller sends them to open it."""
    resident_only()
    return Shop.of_user(current_user)


@bp.route("/lapak-saya")
@login_required
def dashboard():
    shop = my_shop_or_redirect()
    if shop is None:
        return redirect(url_for("shop.edit_shop"))
    products = shop.products.order_by(Product.name)
    return render_template("market/dashboard.html", shop=shop, products=products,
                           orders=Order.with_buyer_whatsapp(Order.for_shop(shop)))


@bp.route("/lapak-saya/atur", methods=["GET", "POST"])
@login_required
def edit_shop():
    shop = my_shop_or_redirect()
    if request.method == "GET":
        form = shop.__data__ if shop else {"delivery": "ambil", "payments": "tunai"}
        return render_shop_form(shop, form, {})
    values, errors = Shop.clean(request.form)
    if not errors:
        values.update(uploaded_qris(shop, values, errors))
    if errors:
        return render_shop_form(shop, request.form, errors), 422
    replaced = save_shop(shop, values)
    if replaced:
        delete_documents(qris_key(replaced))
    flash("Lapak tersimpan." if shop else
          "Lapak dibuka. Operator desa akan memeriksanya sebelum tampil di katalog.", "success")
    return redirect(url_for("shop.dashboard"), 303)


def render_shop_form(shop, form, errors):
    """The lapak form; a fee field shows what was typed, else what is stored for its dusun."""
    places = delivery_places()
    stored = (shop.delivery_fees or {}) if shop and form is shop.__data__ else {}
    fees = {f"fee-{number}": form.get(f"fee-{number}", stored.get(place, ""))
            for number, place in enumerate(places)}
    return render_template("market/shop_form.html", shop=shop, form=form, errors=errors,
                           delivery=DELIVERY, payments=PAYMENTS, places=places, fees=fees)


def uploaded_qris(shop, values, errors):
    """The new QRIS's fields when one is uploaded; an error if QRIS is chosen without one."""
    file = request.files.get("qris")
    if file and file.filename:
        try:
            name, qris = store_qris(file)
            return {"qris_file": name, "qris_merchant": qris.merchant, "qris_city": qris.city}
        except QrisError as error:
            errors["qris"] = f"{error} Gambar QRIS tidak disimpan; data lain belum disimpan."
    elif "qris" in values["payments"].split(",") and not (shop and shop.qris_file):
        errors["qris"] = "Unggah gambar QRIS lapak Anda, atau jangan pilih QRIS."
    return {}


def save_shop(shop, values):
    """Write the lapak; the QRIS file it replaced, if any, for deleting after the write."""
    try:
        with db.atomic():
            if shop is None:
                Shop.create(owner=current_user.id, **values)
                return None
            replaced = shop.qris_file if values.get("qris_file") else None
            shop.__data__.update(values)
            shop.resubmit_if_hidden()
            shop.save()
            return replaced
    except IntegrityError:
        return None  # a second click opened the same lapak; the first one stands


@bp.route("/lapak-saya/qris")
@login_required
def my_qris():
    """The seller's own QRIS picture, as buyers are shown it."""
    shop = my_shop_or_redirect()
    if shop is None or not shop.qris_file:
        abort(404)
    return documents().response(qris_key(shop.qris_file), "image/png")


def my_product_or_404(product_id):
    return Product.owned_by(product_id, current_user) or abort(404)


@bp.route("/lapak-saya/produk/baru", methods=["GET", "POST"], defaults={"product_id": None})
@bp.route("/lapak-saya/produk/<int:product_id>", methods=["GET", "POST"])
@login_required
def edit_product(product_id):
    shop = my_shop_or_redirect() or abort(404)
    product = my_product_or_404(product_id) if product_id else None
    if request.method == "GET":
        form = product.__data__ if product else {"active": True, "stock": "1"}
        return render_product_form(product, form, {})
    values, errors = Product.clean(request.form)
    images = [] if errors else store_new_photos(product, errors)
    if errors:
        return render_product_form(product, request.form, errors), 422
    product = save_product(shop, product, values, images, request.form.get("stock_seen", type=int))
    flash("Produk tersimpan." if product.status == "disetujui" else
          "Produk tersimpan. Produk tampil di katalog setelah disetujui operator desa.", "success")
    return redirect(url_for("shop.dashboard"), 303)


def render_product_form(product, form, errors):
    return render_template("market/product_form.html", product=product, form=form, errors=errors,
                           categories=CATEGORIES, units={u: u for u in UNITS},
                           photos_max=PHOTOS_MAX)


def store_new_photos(product, errors):
    """Process the uploaded photos into files; on any problem record it and keep none of them."""
    files = [f for f in request.files.getlist("photos") if f.filename]
    kept = len(product.photo_list()) - len(removed_photo_ids(product)) if product else 0
    if kept + len(files) > PHOTOS_MAX:
        errors["photos"] = f"Paling banyak {PHOTOS_MAX} foto per produk. Hapus foto lama dulu."
        return []
    stored = []
    try:
        for file in files:
            stored.append(process_image(file))
    except ImageError as error:
        errors["photos"] = f"{file.filename}: {error}"
        for image in stored:
            delete_image(image)
        return []
    return stored


def removed_photo_ids(product):
    wanted = set(request.form.getlist("remove_photo"))
    return [p.id for p in product.photo_list() if str(p.id) in wanted]


def save_product(shop, product, values, stored, stock_seen=None):
    """Write the product and its photo rows in one transaction; drop removed files after it."""
    gone = removed_photo_ids(product) if product else []
    removed = [p for p in product.photo_list() if p.id in gone] if product else []
    with db.atomic():
        if product is None:
            product = Product.create(shop=shop, **values)
        else:
            stock = values.pop("stock")
            product.__data__.update(values)
            product.resubmit_if_hidden()
            product.save(only=[f for f in Product._meta.sorted_fields
                               if f.name not in ("id", "stock")])
            product.set_stock(stock, stock_seen)
            ProductPhoto.delete().where(ProductPhoto.id.in_([p.id for p in removed])).execute()
        for position, image in enumerate(stored, start=len(product.photo_list())):
            ProductPhoto.create(product=product, key=image.key, image=image.as_dict(),
                                position=position)
    for photo in removed:
        delete_image(photo.image_set)
    return product


@bp.route("/operator/lapak")
@operator_required
def moderation():
    recent = Product.public().order_by(Product.created_at.desc()).limit(30)
    return render_template("market/moderation.html", shops=Shop.select().order_by(Shop.name),
                           waiting=Product.waiting(), recent=recent)


@bp.route("/operator/lapak/<kind>/<int:item_id>", methods=["POST"])
@operator_required
def moderate(kind, item_id):
    if kind not in ("lapak", "produk"):
        abort(404)
    item = (Shop if kind == "lapak" else Product).get_or_none(id=item_id) or abort(404)
    try:
        item.moderate(request.form.get("action", ""), request.form.get("reason", ""))
        flash(f"{item.name}: {item.status_label}.", "success")
    except OrderError as error:
        flash(str(error), "error")
    return redirect(url_for("shop.moderation"), 303)
