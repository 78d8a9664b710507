"""Resumable syarat uploads, for the page's script on a weak signal (the plain form stays too).

    POST  /surat/<id>/syarat/<key>/unggahan  id, nama, ukuran [, potongan: the first piece]
                                             -> 201, Location, Upload-Offset (a photo under
                                                1 MB goes whole in this one request)
    GET   <Location> (or HEAD)               -> 204 and Upload-Offset while bytes are missing
    PATCH <Location>, Upload-Offset, body of application/offset+octet-stream
                                             -> 204 and the new Upload-Offset; 409 and the real
                                                one when the piece was sent for another offset

Every answer once the file is stored is 200 with the requirement's field showing it, however
often it is asked. Refusals are 4xx with the reason in Indonesian, as plain text."""
from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import login_required

from balai.letters import uploads
from balai.letters.models import LetterRequest
from balai.letters.partial_uploads import ID_PATTERN, PIECE_MAX_BYTES, PartialUpload
from balai.letters.uploads import UploadError
from balai.letters.views.requests import request_for, upload_limits
from balai.letters.workflow import NOT_EDITABLE, WorkflowError

bp = Blueprint("syarat_uploads", __name__)
OFFSET_TYPE = "application/offset+octet-stream"


def refused(message, status):
    return Response(message, status, mimetype="text/plain")


def too_large(name):
    return refused(uploads.too_large(name), 413)


def editable(request_id):
    """The request when this user may change its syarat (404 for anyone else)."""
    req = request_for(request_id, LetterRequest.is_applicant)
    if not req.is_editable:
        abort(refused(NOT_EDITABLE, 422))
    return req


def held(upload, status=204):
    """Where the upload stands: its field once stored, else the offset to send from."""
    headers = {"Upload-Offset": str(upload.offset), "Upload-Length": str(upload.length),
               "Cache-Control": "no-store"}
    if not upload.stored_at:
        return Response(status=status, headers=headers)
    requirement = next((r for r in upload.request.letter_type.requirements
                        if r["key"] == upload.requirement_key), None) or abort(404)
    html = render_template("letters/_requirement.html", req=upload.request, r=requirement,
                           errors={}, stored=True, **upload_limits())
    return Response(html, 200, headers=headers)


@bp.route("/surat/<int:request_id>/syarat/<key>/unggahan", methods=["POST"])
@login_required
def begin(request_id, key):
    req = editable(request_id)
    if key not in {r["key"] for r in req.letter_type.requirements}:
        abort(404)
    upload_id, name = request.form.get("id", ""), request.form.get("nama", "berkas")
    length = request.form.get("ukuran", type=int) or 0
    if not ID_PATTERN.match(upload_id):
        return refused("Unggahan tidak dikenali. Muat ulang halaman, lalu pilih berkasnya lagi.",
                       400)
    if length <= 0:
        return refused(f"Berkas {name} kosong. Pilih berkas lain.", 400)
    first = request.files.get("potongan")
    first = first.read(PIECE_MAX_BYTES + 1) if first else b""
    if length > current_app.config["UPLOAD_MAX_BYTES"] or len(first) > PIECE_MAX_BYTES:
        return too_large(name)
    upload = PartialUpload.begin(req, key, upload_id, name, length) or abort(404)
    response = keep(upload, 0, first)
    if response.status_code in (204, 409):  # not stored yet: where the rest goes
        response.status_code = 201
        response.headers["Location"] = url_of(upload)
    return response


def url_of(upload):
    return url_for(".status", request_id=upload.request_id, upload_id=upload.upload_id)


def upload_for(request_id, upload_id):
    req = request_for(request_id, LetterRequest.is_applicant)
    return PartialUpload.get_or_none((PartialUpload.upload_id == upload_id)
                                     & (PartialUpload.request == req)) or abort(404)


@bp.route("/surat/<int:request_id>/unggahan/<upload_id>")
@login_required
def status(request_id, upload_id):
    return held(upload_for(request_id, upload_id))


@bp.route("/surat/<int:request_id>/unggahan/<upload_id>", methods=["PATCH"])
@login_required
def piece(request_id, upload_id):
    """Keep one piece; the last one stores the file (an empty piece at the end finishes an
    upload whose finishing was cut)."""
    upload = upload_for(request_id, upload_id)
    offset = request.headers.get("Upload-Offset", type=int)
    if request.mimetype != OFFSET_TYPE or offset is None:
        return refused("Potongan berkas tidak dikenali. Muat ulang halaman, lalu coba lagi.", 415)
    if (request.content_length or 0) > PIECE_MAX_BYTES:
        return too_large(upload.original_name)
    return keep(upload, offset, request.get_data(cache=False))


def keep(upload, offset, data):
    """Keep a piece sent for `offset` (409 when the server holds another), store the file
    with its last byte."""
    if upload.stored_at:
        return held(upload)
    if offset + len(data) > upload.length:
        return too_large(upload.original_name)
    kept, now_held = upload.append(offset, data)
    if not kept:
        return held(upload, status=409)
    if now_held == upload.length:
        try:
            upload.finish()
        except (UploadError, WorkflowError) as error:
            return refused(str(error), 422)
    return held(PartialUpload.get_or_none(PartialUpload.id == upload.id) or abort(404))
