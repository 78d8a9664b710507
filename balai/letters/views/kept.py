"""Dokumen saya (/akun/dokumen): the resident's kept KTP and KK scans, to see, replace or
delete. Only the resident themselves: no official route lists them (an official sees one only
as the syarat of a request that uses it)."""
from pathlib import PurePosixPath

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from balai.letters import kept
from balai.letters.kept import KINDS, KeptDocument
from balai.letters.uploads import ACCEPT, UploadError, thumbnail_key, upload_key
from balai.storage import documents
from balai.web.access import role_required

bp = Blueprint("kept_documents", __name__)
resident_required = role_required("warga")
KIND = "<any(ktp, kk):key>"


def render_page(errors=None):
    return render_template("letters/kept.html", kinds=KINDS, errors=errors or {},
                           docs=KeptDocument.of_person(current_user.person_id), accept=ACCEPT,
                           max_bytes=current_app.config["UPLOAD_MAX_BYTES"]), \
        422 if errors else 200


@bp.route("/akun/dokumen")
@resident_required
def index():
    return render_page()


@bp.route(f"/akun/dokumen/{KIND}", methods=["POST"])
@resident_required
def replace(key):
    """Keep the file sent as the resident's document of this kind (a first one, or a new one)."""
    file = request.files.get("berkas")
    if not file or not file.filename:
        return render_page({f"berkas-{key}": "Pilih berkasnya dulu, lalu tekan Simpan."})
    try:
        kept.keep_upload(current_user.person_id, key, file)
    except UploadError as error:
        return render_page({f"berkas-{key}": str(error)})
    flash(f"{KINDS[key]} tersimpan di Dokumen saya. Permohonan yang sudah diajukan tetap "
          "memakai berkasnya sendiri.", "success")
    return redirect(url_for(".index"), 303)


@bp.route(f"/akun/dokumen/{KIND}/hapus", methods=["POST"])
@resident_required
def delete(key):
    if kept.forget(current_user.person_id, key):
        flash(f"{KINDS[key]} sudah dihapus dari Dokumen saya. Permohonan yang sudah diajukan "
              "tetap memakai berkasnya sendiri.", "success")
    return redirect(url_for(".index"), 303)


@bp.route(f"/akun/dokumen/{KIND}/berkas")
@resident_required
def file(key):
    doc = KeptDocument.find(current_user.person_id, key)
    if doc is None or not documents().exists(upload_key(doc.stored_name)):
        abort(404)
    name, content_type = upload_key(doc.stored_name), doc.content_type
    if doc.is_image and request.args.get("ukuran") == "kecil":
        name, content_type = thumbnail_key(doc.stored_name), "image/jpeg"
    download = PurePosixPath(doc.original_name).stem + PurePosixPath(name).suffix
    return documents().response(name, content_type, download_name=download,
                                as_attachment=not doc.is_image)
