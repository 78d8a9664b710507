"""Notifications: the in-app list, the header's unread count, channel choices, failed deliveries."""
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from balai.notify import outbox as notify
from balai.notify.models import ContactPoint, Notification
from balai.web.access import operator_required
from balai.web.htmx import is_htmx, render_page_or_block

bp = Blueprint("notifications", __name__)

PAGE_SIZE = 50


@bp.app_context_processor
def unread_count():
    def count():
        return Notification.unread_state(current_user)[0] if current_user.is_authenticated else 0
    return {"unread_count": count}


@bp.route("/notifikasi")
@login_required
def index():
    return render_page_or_block("notifications/index.html", "list", notifications=latest())


def latest():
    """The newest of the user's in-app notifications; older ones are not shown."""
    return Notification.inbox_of(current_user).limit(PAGE_SIZE)


@bp.route("/notifikasi/<int:notification_id>")
@login_required
def open_one(notification_id):
    notification = own_notification(notification_id)
    notification.mark_read()
    inside = notification.link.startswith("/") and not notification.link.startswith("//")
    return redirect(notification.link if inside else url_for("notifications.index"), 303)


@bp.route("/notifikasi/baca-semua", methods=["POST"])
@login_required
def read_all():
    Notification.mark_all_read(current_user)
    if not is_htmx():
        flash("Semua notifikasi sudah ditandai dibaca.", "success")
        return redirect(url_for("notifications.index"), 303)
    return render_block("notifications/index.html", "list", refresh_count=True,
                        notifications=latest())


@bp.route("/notifikasi/jumlah")
@login_required
def count():
    """The header's unread count; 304 with no body while nothing changed."""
    unread, newest = Notification.unread_state(current_user)
    etag = f"{current_user.id}-{unread}-{newest}"
    if request.if_none_match.contains(etag):
        return "", 304, {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}
    response = make_response(render_template("notifications/_count.html", unread=unread))
    response.set_etag(etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/akun/notifikasi")
@login_required
def preferences():
    return render_preferences({})


@bp.route("/akun/notifikasi/<any(email, whatsapp):channel>/alamat", methods=["POST"])
@login_required
def set_address(channel):
    """Keep the new address unverified and send it a code (through the outbox, never inline)."""
    address, error = ContactPoint.clean_address(channel, request.form.get(f"{channel}_address"))
    if not error and ContactPoint.code_sent_recently(current_user.id, channel):
        error = "Kode baru saja dikirim. Tunggu 1 menit sebelum meminta kode lagi."
    if error:
        return render_preferences({f"{channel}_address": error}, 422)
    notify.start_verification(current_user.id, channel, address)
    return back_to_preferences(f"Kode verifikasi sudah dikirim ke {address}. "
                               "Masukkan kodenya di bawah.")


@bp.route("/akun/notifikasi/<any(email, whatsapp):channel>/kode", methods=["POST"])
@login_required
def verify_code(channel):
    point = own_point(channel)
    error = point.verify(request.form.get(f"{channel}_code"))
    if error:
        return render_preferences({f"{channel}_code": error}, 422)
    return back_to_preferences(f"{point.address} sudah terverifikasi. Pemberitahuan akan "
                               "dikirim ke sana.")


@bp.route("/akun/notifikasi/<any(email, whatsapp):channel>/saklar", methods=["POST"])
@login_required
def toggle(channel):
    point = own_point(channel)
    point.enabled = request.form.get("enabled") == "1"
    point.save(only=[ContactPoint.enabled])
    return back_to_preferences("Pilihan pemberitahuan sudah disimpan.")


def own_point(channel):
    return ContactPoint.of(current_user.id).get(channel) or abort(404)


def back_to_preferences(message):
    flash(message, "success")
    return redirect(url_for("notifications.preferences"), 303)


def render_preferences(errors, status=200):
    return render_template("notifications/preferences.html", errors=errors, form=request.form,
                           points=ContactPoint.of(current_user.id)), status


@bp.route("/operator/pengiriman-gagal")
@operator_required
def failed():
    return render_template("notifications/failed.html", notifications=Notification.failed().limit(200))


@bp.route("/operator/pengiriman-gagal/<int:notification_id>/ulang", methods=["POST"])
@operator_required
def retry(notification_id):
    notification = Notification.get_or_none(Notification.id == notification_id) or abort(404)
    notification.retry()
    notify.enqueue(notification.id)
    flash(f"Pemberitahuan untuk {notification.recipient.display_name} dikirim ulang.", "success")
    return redirect(url_for("notifications.failed"), 303)


def own_notification(notification_id):
    notification = (Notification.inbox_of(current_user.id)
                    .where(Notification.id == notification_id).first())
    return notification or abort(404)
