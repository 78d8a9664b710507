"""Lapak UMKM for buyers: the public catalogue, product pages, ordering and "Pesanan saya"."""
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from peewee import IntegrityError

from balai.market.models import (
    CATEGORIES,
    DELIVERY,
    PAYMENTS,
    OrderError,
    Product,
    ProductPhoto,
    Shop,
    format_rupiah,
)
from balai.market.orders import ORDER_ACTION_LABELS, Order
from balai.market.qris import qris_key
from balai.media import key_of, send_image
from balai.storage import documents
from balai.web.htmx import is_htmx, render_page_or_block
from balai.web.paging import page_of

bp = Blueprint("market", __name__)
bp.add_app_template_global(DELIVERY, "delivery_names")
bp.add_app_template_global(PAYMENTS, "payment_names")
bp.add_app_template_global(ORDER_ACTION_LABELS, "order_action_labels")

PER_PAGE = 10
SORTS = {"baru": "Terbaru", "murah": "Harga termurah", "mahal": "Harga termahal"}


@bp.app_template_filter("rupiah")
def rupiah_filter(amount):
    return format_rupiah(amount)


@bp.route("/lapak")
def catalogue():
    args = {"kategori": request.args.get("kategori", ""), "q": request.args.get("q", "").strip(),
            "urut": request.args.get("urut", "baru")}
    page = page_of(Product.catalogue(args["kategori"], args["q"], args["urut"]), PER_PAGE)
    Product.attach_covers(page.items)
    return render_page_or_block("market/catalogue.html", "cards", page=page, args=args,
                                categories=CATEGORIES, sorts=SORTS)


@bp.route("/lapak/produk/<int:product_id>")
def product(product_id):
    product = Product.select(Product, Shop).join(Shop).where(Product.id == product_id).first()
    if product is None or not product.visible_to(current_user):
        abort(404)
    return render_template("market/product.html", product=product)


@bp.route("/lapak/foto/<name>")
def photo(name):
    """A product photo, for whoever may see the product."""
    photo = ProductPhoto.get_or_none(ProductPhoto.key == key_of(name)) if key_of(name) else None
    if photo is None or not photo.product.visible_to(current_user):
        abort(404)
    return send_image(name)


def public_shop_or_404(shop_id):
    shop = Shop.get_or_none((Shop.id == shop_id) & (Shop.status == "disetujui"))
    if shop is None or current_user.person_id is None:
        abort(404)
    return shop


@bp.route("/lapak/<int:shop_id>/pesan", methods=["GET", "POST"])
@login_required
def order_form(shop_id):
    """Step 1: quantities, delivery and note. POST checks them and shows step 2."""
    shop = public_shop_or_404(shop_id)
    if request.method == "GET":
        form = {f"qty-{request.args.get('produk', '')}": "1"}
        return render_order_form(shop, form, {})
    lines, choice, errors = Order.clean(shop, current_user, request.form)
    if errors or request.form.get("ubah"):
        return render_order_form(shop, request.form, errors), 422 if errors else 200
    fee, total = Order.total_of(shop, lines, choice)
    return render_template("market/order_check.html", shop=shop, lines=lines, choice=choice,
                           fee=fee, total=total, form_key=secrets.token_urlsafe(16))


def render_order_form(shop, form, errors):
    products = Product.public().where(Product.shop == shop).order_by(Product.name)
    return render_template("market/order_form.html", shop=shop, products=products, form=form,
                           errors=errors)


@bp.route("/lapak/<int:shop_id>/pesan/kirim", methods=["POST"])
@login_required
def place_order(shop_id):
    """Step 2: the checked order is placed; a second click lands on the order the first made."""
    shop = public_shop_or_404(shop_id)
    form_key = request.form.get("form_key") or secrets.token_urlsafe(16)
    lines, choice, errors = Order.clean(shop, current_user, request.form)
    try:
        if not errors:
            order = Order.place(current_user.id, shop, lines, choice["delivery"], choice["note"],
                                form_key, choice["dusun"], choice["payment"])
            flash("Pesanan terkirim ke penjual. Anda akan diberi tahu setiap ada perubahan.",
                  "success")
            return redirect(url_for("market.order", order_id=order.id), 303)
    except IntegrityError:
        pass  # the same form sent twice: the first one's order is shown below
    except OrderError as error:
        errors = {"items": str(error)}
    if first := Order.by_form_key(form_key, current_user):  # the first click took the last item
        return redirect(url_for("market.order", order_id=first.id), 303)
    return render_order_form(shop, request.form, errors), 422


@bp.route("/pesanan")
@login_required
def my_orders():
    return render_template("market/orders.html", orders=Order.for_buyer(current_user))


@bp.route("/pesanan/<int:order_id>")
@login_required
def order(order_id):
    order = Order.visible_to(order_id, current_user) or abort(404)
    return render_template("market/order.html", order=Order.with_buyer_whatsapp([order])[0])


@bp.route("/pesanan/<int:order_id>/qris")
@login_required
def order_qris(order_id):
    """The lapak's QRIS picture, for the buyer and seller of an order paid by QRIS."""
    order = Order.visible_to(order_id, current_user) or abort(404)
    if order.payment != "qris" or not order.shop.qris_file:
        abort(404)
    return documents().response(qris_key(order.shop.qris_file), "image/png")


@bp.route("/pesanan/<int:order_id>/langkah", methods=["POST"])
@login_required
def order_step(order_id):
    """A workflow step or "lunas"; from the seller's dashboard htmx gets the order's row back."""
    order = Order.visible_to(order_id, current_user) or abort(404)
    action, version = request.form.get("action", ""), request.form.get("version")
    error = None
    try:
        if action == "lunas":
            order.mark_paid(current_user, version)
        else:
            order.apply(action, current_user, request.form.get("note", ""), version)
    except OrderError as refused:
        error = str(refused)
    if is_htmx():
        order = Order.visible_to(order_id, current_user)
        row = render_template("market/_order_row.html", error=error,
                              order=Order.with_buyer_whatsapp([order])[0])
        return row, 422 if error else 200
    flash(error or "Pesanan diperbarui.", "error" if error else "success")
    if request.form.get("from") == "dasbor":
        return redirect(url_for("shop.dashboard"), 303)
    return redirect(url_for("market.order", order_id=order.id), 303)
