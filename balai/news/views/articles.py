"""Village news: the article page, search, the Atom feed, and the operator's editor."""
import datetime
import secrets
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from peewee import IntegrityError

from balai.db import now
from balai.media import ImageError, delete_image, process_image, send_image
from balai.news.models import CATEGORIES, PAGE_SIZE, News, local_to_utc
from balai.villages.models import Village
from balai.web.access import operator_required
from balai.web.htmx import render_page_or_block
from balai.web.page_cache import public_page
from balai.web.paging import page_of

bp = Blueprint("news", __name__, url_prefix="/berita")

TITLE_MAX = 150
BODY_MAX = 20000
MANAGED_PER_PAGE = 50


def site_url():
    """The village's public address, for links that leave the site (feeds, WhatsApp shares)."""
    return Village.current().public_url.rstrip("/")


@bp.route("/cari")
def search():
    text = request.args.get("q", "").strip()[:100]
    return render_page_or_block("news/search.html", "results", q=text, results=News.search(text))


@bp.route("/kategori/<name>")
def category(name):
    if name not in CATEGORIES:
        abort(404)
    return render_page_or_block("news/category.html", "news_page", name=name,
                                page=page_of(News.public(category=name), PAGE_SIZE))


@bp.route("/feed.xml")
def feed():
    items = list(News.latest())
    updated = max((item.last_change for item in items), default=now())
    body = render_template("news/feed.xml", items=items, updated=updated, base=site_url())
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


@bp.route("/<slug>")
@public_page
def article(slug):
    item = News.for_reader(slug, current_user) or abort(404)
    return render_template("news/article.html", item=item, older=item.older(), newer=item.newer(),
                           base=site_url())


@bp.route("/gambar/<name>")
def image(name):
    """A news photo: public once its item is, for officials before that."""
    item = News.with_image_file(name)
    if item is None or not item.readable_by(current_user):
        abort(404)
    return send_image(name)


@bp.route("/kelola")
@operator_required
def manage():
    return render_template("news/manage.html", page=page_of(News.managed(), MANAGED_PER_PAGE))


@bp.route("/tulis", methods=["GET", "POST"])
@operator_required
def write():
    item = News(author=current_user.id)
    if request.method == "GET":
        return render_form(item, {}, {"publish": "terbit", "category": CATEGORIES[0]})
    return save_form(item)


@bp.route("/<slug>/ubah", methods=["GET", "POST"])
@operator_required
def edit(slug):
    item = News.get_or_none(News.slug == slug) or abort(404)
    if request.method == "GET":
        return render_form(item, {}, form_values(item))
    return save_form(item)


@bp.route("/<slug>/hapus", methods=["GET", "POST"])
@operator_required
def delete(slug):
    item = News.get_or_none(News.slug == slug) or abort(404)
    if request.method == "GET":
        return render_template("news/delete.html", item=item)
    item.delete_instance()
    if item.image:
        delete_image(item.image_set)
    flash(f"Berita \u201c{item.title}\u201d sudah dihapus.", "success")
    return redirect(url_for("news.manage"), 303)


def render_form(item, errors, form, status=200):
    return render_template("news/form.html", item=item, errors=errors, form=form,
                           categories=CATEGORIES,
                           new_form_key=lambda: secrets.token_urlsafe(16)), status


def form_values(item):
    """The editor's fields for a saved item, times in the village's time zone."""
    local = Village.current().localtime(item.publish_at)
    publish = "jadwal" if item.is_scheduled else item.status
    return {"title": item.title, "body": item.body_markdown, "category": item.category,
            "publish": publish, "publish_at": local.strftime("%Y-%m-%dT%H:%M"),
            "pinned": "1" if item.pinned else ""}


def save_form(item):
    """Validate the editor, store the photo, save; 422 with every problem listed otherwise."""
    errors, publish_at = news_errors(request.form)
    upload = request.files.get("image")
    new_image = None
    if not errors and upload and upload.filename:
        try:
            new_image = process_image(upload)
        except ImageError as error:
            errors["image"] = str(error)
    if errors:
        return render_form(item, errors, request.form, 422)
    old_image = fill(item, request.form, publish_at, new_image)
    if item.id is None:
        item.form_key = request.form.get("form_key") or None
    try:
        item.save()
    except IntegrityError:  # the same editor form sent twice: the first one stands
        if new_image:
            delete_image(new_image)
        flash("Berita ini sudah tersimpan.", "info")
        return redirect(url_for("news.manage"), 303)
    if old_image:
        delete_image(old_image)
    flash(f"Berita \u201c{item.title}\u201d sudah disimpan ({item.status_label.lower()}).", "success")
    return redirect(url_for("news.manage"), 303)


def fill(item, form, publish_at, new_image):
    """Copy the checked form onto the item; returns the image it no longer uses, if any."""
    item.title = form["title"].strip()
    item.set_body(form["body"])
    item.category = form["category"]
    item.pinned = form.get("pinned") == "1"
    item.status = "draf" if form["publish"] == "draf" else "terbit"
    if form["publish"] == "jadwal":
        item.publish_at = publish_at
    elif form["publish"] == "terbit" and not item.is_public:
        item.publish_at = now()
    if not (new_image or form.get("remove_image")):
        return None
    old_image = item.image_set
    item.image = new_image.as_dict() if new_image else None
    item.image_key = new_image.key if new_image else None
    return old_image


def news_errors(form):
    """(errors, publish time in UTC) for the editor's fields."""
    errors = {}
    title = form.get("title", "").strip()
    if not title:
        errors["title"] = "Isi judul berita."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Judul paling panjang {TITLE_MAX} huruf; persingkat judulnya."
    body = form.get("body", "").strip()
    if not body:
        errors["body"] = "Isi berita masih kosong. Tulis isinya."
    elif len(body) > BODY_MAX:
        errors["body"] = f"Isi berita paling panjang {BODY_MAX} huruf; bagi menjadi dua berita."
    if form.get("category") not in CATEGORIES:
        errors["category"] = "Pilih salah satu kategori."
    if form.get("publish") not in ("terbit", "jadwal", "draf"):
        errors["publish"] = "Pilih kapan berita terbit."
    publish_at = None
    if form.get("publish") == "jadwal":
        publish_at = scheduled_time(form.get("publish_at", ""))
        if publish_at is None:
            errors["publish_at"] = "Isi tanggal dan jam terbit, contoh 17-08-2026 08:00."
        elif publish_at <= now():
            errors["publish_at"] = ("Waktu terbit sudah lewat. Pilih waktu yang akan datang, "
                                    "atau pilih \u201cTerbitkan sekarang\u201d.")
    return errors, publish_at


def scheduled_time(value):
    """A date and time in the village's time zone as UTC; None if unreadable.

    Browsers without a datetime-local picker show a text box, where people type 17-08-2026 08:00.
    """
    value = value.strip().replace("/", "-").replace(".", ":")
    for fmt in ("%Y-%m-%dT%H:%M", "%d-%m-%Y %H:%M"):
        try:
            local = datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return local_to_utc(local, ZoneInfo(Village.current().timezone))
    return None
