"""A resident's letter requests: choose a type, fill, upload the requirements, submit, follow.

Officials use the same pages to file a request at the counter for a resident without an account."""
import secrets
from pathlib import PurePosixPath

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from balai.letters import drafts, kept, retention, standards
from balai.letters.drafts import NotReady
from balai.letters.letter_types import PURPOSE_MAX
from balai.letters.models import Attachment, LetterRequest, LetterType
from balai.letters.uploads import ACCEPT, UploadError, thumbnail_key, upload_key
from balai.letters.workflow import NOT_EDITABLE, NOTE_MAX, WorkflowError
from balai.people.audit import OPEN_ANYWAY_FOR, REASON_MAX, reason_error
from balai.people.models import Person
from balai.storage import documents
from balai.web.access import operator_required, permitted
from balai.web.htmx import is_htmx

bp = Blueprint("letters", __name__)
NOT_YOURS = ("Permohonan ini bukan tugas Anda: diperiksa oleh Kasi lain, atau belum sampai ke "
             "langkah Anda. Buka kotak masuk Anda untuk melihat tugas Anda.")
bp.add_app_template_global(retention.forgotten, "syarat_forgotten")
bp.add_app_template_global(kept.offered, "kept_offered")
bp.add_app_template_global(kept.may_keep, "may_keep_documents")
bp.add_app_template_global(kept.KINDS, "kept_kinds")


def back_to(endpoint, req):
    """Redirect to one of the request's pages; htmx is told to load it whole."""
    target = url_for(endpoint, request_id=req.id)
    if is_htmx():
        return Response(status=204, headers={"HX-Redirect": target})
    return redirect(target, 303)


def request_for(request_id, rule):
    """The request when `rule` (a LetterRequest method) lets this user have it."""
    return permitted(LetterRequest.get_or_none(LetterRequest.id == request_id), rule)


def viewable_request(query):
    """The request `query` finds, when this user may see it (LetterRequest.can_view); the
    operator, who has no step in it, is offered the form to open it anyway with a reason."""
    req = query.first()
    if req and current_user.role == "operator" and not req.can_view(current_user):
        abort(make_response(render_open_anyway(req, status=403)))
    return permitted(req, LetterRequest.can_view, NOT_YOURS)


def editable_request(request_id):
    """The applicant's request while it may still be changed; otherwise back to its page."""
    req = request_for(request_id, LetterRequest.is_applicant)
    if not req.is_editable:
        flash(NOT_EDITABLE, "error")
        abort(back_to(".show", req))
    return req


def applicant():
    """Whom a new request is for: the resident, or the person an official serves at the counter."""
    if not current_user.is_official:
        return current_user.person
    person = Person.get_or_none(Person.id == request.values.get("penduduk", type=int))
    return person or abort(redirect(url_for(".counter")))


def store_uploads(req, files):
    """Keep each valid file sent for a requirement; a bad file does not undo the good ones."""
    errors = {}
    for requirement in req.letter_type.requirements:
        file = files.get(f"syarat-{requirement['key']}")
        if not file or not file.filename:
            continue
        try:
            drafts.attach_file(req, requirement["key"], file)
        except UploadError as error:
            errors[f"syarat-{requirement['key']}"] = str(error)
    return errors


def missing_errors(req):
    return {f"syarat-{r['key']}": f"Unggah {r['label'].lower()}: syarat ini wajib."
            for r in req.missing_requirements()}


@bp.route("/surat")
@login_required
def mine():
    if current_user.is_official:
        return redirect(url_for(".counter"))
    requests = standards.with_deadlines(list(LetterRequest.of_person(current_user.person_id)))
    return render_template("letters/mine.html", requests=requests)


@bp.route("/surat/baru", methods=["GET", "POST"])
@login_required
def new():
    person, form, errors = applicant(), request.form, {}
    if refused := person.letters_refused():  # moved away or died: kept, but asks no letters
        flash(refused, "error")
        return redirect(url_for(".counter" if current_user.is_official else ".mine"), 303)
    if request.method == "POST":
        letter_type = LetterType.get_or_none((LetterType.id == form.get("letter_type", type=int))
                                             & (LetterType.active == "1"))
        form_key = form.get("form_key", "")[:64] or secrets.token_urlsafe(16)
        req = letter_type and LetterRequest.start(person, letter_type, current_user, form_key)
        if req:
            return back_to(".details", req)
        errors = {"letter_type": "Formulir ini sudah pernah dikirim. Pilih jenis surat sekali lagi."
                  if letter_type else "Pilih jenis surat yang Anda perlukan."}
    return render_template("letters/new.html", person=person, types=LetterType.available(),
                           form_key=secrets.token_urlsafe(16),
                           errors=errors), 422 if errors else 200


@bp.route("/surat/<int:request_id>/isian", methods=["GET", "POST"])
@login_required
def details(request_id):
    req = editable_request(request_id)
    if request.method == "GET":
        form = {"keperluan": req.purpose, **req.fields}
        return render_template("letters/details.html", req=req, form=form, errors={},
                               purpose_max=PURPOSE_MAX)
    purpose = request.form.get("keperluan", "").strip()
    fields = {f["key"]: request.form.get(f["key"], "").strip()
              for f in req.letter_type.extra_fields}
    errors = req.letter_type.details_errors(purpose, fields)
    if errors:
        return render_template("letters/details.html", req=req, form=request.form, errors=errors,
                               purpose_max=PURPOSE_MAX), 422
    if not req.save_details(purpose, fields):
        flash(NOT_EDITABLE, "error")
        return back_to(".show", req)
    return back_to(".check" if request.args.get("dari") == "periksa" else ".requirements", req)


@bp.route("/surat/<int:request_id>/syarat", methods=["GET", "POST"])
@login_required
def requirements(request_id):
    req = editable_request(request_id)
    errors = {}
    if request.method == "POST":
        try:
            errors = store_uploads(req, request.files)
        except WorkflowError as error:  # sent from another tab meanwhile
            flash(str(error), "error")
            return back_to(".show", req)
        keep_consented(req)
        if key := request.form.get("unggah"):  # one file's own button: the others may follow
            if not errors and req.attachment_for(key):
                flash("Berkas tersimpan. Unggah syarat berikutnya, atau lanjutkan.", "success")
                return back_to(".requirements", req)
            errors = errors or {f"syarat-{key}": "Pilih berkasnya dulu, lalu tekan Unggah."}
        else:
            errors = errors or missing_errors(req)
            if not errors:
                return back_to(".check", req)
    return render_template("letters/requirements.html", req=req, errors=errors,
                           **upload_limits()), 422 if errors else 200


def keep_consented(req):
    """Keep in Dokumen saya a copy of each syarat whose box the resident ticked."""
    if not kept.may_keep(req, current_user):
        return
    for kind in kept.KINDS:
        attachment = request.form.get(f"simpan-{kind}") and req.attachment_for(kind)
        if attachment and kept.keep_attachment(req.person_id, attachment):
            flash(f"{kept.KINDS[kind]} juga tersimpan di Dokumen saya untuk permohonan "
                  "berikutnya.", "success")


def upload_limits():
    return {"accept": ACCEPT, "max_bytes": current_app.config["UPLOAD_MAX_BYTES"]}


@bp.route("/surat/<int:request_id>/syarat/<any(ktp, kk):key>/pakai", methods=["POST"])
@login_required
def use_kept(request_id, key):
    """Use the resident's kept document as this request's syarat: a copy becomes its own."""
    req = editable_request(request_id)
    doc = kept.offered(req, current_user).get(key)
    if doc is None or key not in {r["key"] for r in req.letter_type.requirements}:
        abort(404)
    try:
        kept.use(req, doc)
    except (UploadError, WorkflowError) as error:
        flash(str(error), "error")
        return back_to(".show" if isinstance(error, WorkflowError) else ".requirements", req)
    flash(f"{doc.label} dari Dokumen saya dipakai untuk permohonan ini.", "success")
    return back_to(".requirements", req)


@bp.route("/surat/<int:request_id>/syarat/<key>/hapus", methods=["POST", "DELETE"])
@login_required
def remove_attachment(request_id, key):
    """Remove one upload: a plain form reloads the page, htmx gets the field back."""
    req = editable_request(request_id)
    requirement = next((r for r in req.letter_type.requirements if r["key"] == key), None)
    if requirement is None:
        abort(404)
    try:
        drafts.remove_file(req, key)
    except WorkflowError as error:  # sent from another tab meanwhile
        flash(str(error), "error")
        return back_to(".show", req)
    if is_htmx():
        return render_template("letters/_requirement.html", req=req, r=requirement, errors={},
                               removed=True, **upload_limits())
    flash("Berkas sudah dihapus. Unggah penggantinya bila syarat itu wajib.", "success")
    return back_to(".requirements", req)


@bp.route("/surat/<int:request_id>/periksa")
@login_required
def check(request_id):
    req = editable_request(request_id)
    return render_template("letters/check.html", req=req)


@bp.route("/surat/<int:request_id>/ajukan", methods=["POST"])
@login_required
def submit(request_id):
    req = request_for(request_id, LetterRequest.is_applicant)
    try:
        drafts.submit(req, current_user, request.form.get("version", type=int))
        flash(f"Permohonan atas nama {req.person.name} diajukan. Keadaannya tampil di halaman "
              "ini dan di Loket." if req.filed_at_counter else
              "Permohonan Anda sudah diajukan. Kami kabari lewat halaman ini.", "success")
    except NotReady as problem:
        flash(str(problem), "error")
        return back_to(f".{problem.page}", req)
    except WorkflowError as error:
        already = req.status == "diajukan"  # e.g. a double click: the first one did it
        flash("Permohonan ini sudah diajukan." if already else str(error),
              "info" if already else "error")
    return back_to(".show", req)


@bp.route("/surat/<int:request_id>")
@login_required
def show(request_id):
    req = viewable_request(LetterRequest.select().where(LetterRequest.id == request_id))
    req.record_view(current_user, "permohonan", req.id)
    events = list(req.timeline())
    return render_template("letters/show.html", req=req, events=events,
                           actions=req.allowed_actions(current_user),
                           standing=standards.standing(req, events),
                           in_time=standards.finished_in_time(req, events))


@bp.route("/surat/<int:request_id>/buka", methods=["GET", "POST"])
@operator_required
def open_anyway(request_id):
    """The operator opens a resident's request they have no step in, for a reason they type;
    the resident reads it in their access log."""
    req = LetterRequest.get_or_none(LetterRequest.id == request_id) or abort(404)
    if request.method == "GET":
        return render_open_anyway(req)
    reason = request.form.get("alasan", "").strip()
    error = reason_error(reason)
    if error:
        return render_open_anyway(req, reason, {"alasan": error}, 422)
    req.open_anyway(current_user, reason)
    return redirect(url_for(".show", request_id=req.id), 303)


def render_open_anyway(req, reason="", errors=None, status=200):
    return render_template("letters/open_anyway.html", req=req, form={"alasan": reason},
                           errors=errors or {}, reason_max=REASON_MAX,
                           minutes=OPEN_ANYWAY_FOR.seconds // 60), status


@bp.route("/surat/<int:request_id>/batalkan", methods=["GET", "POST"])
@login_required
def cancel(request_id):
    req = request_for(request_id, LetterRequest.is_applicant)
    if "batalkan" not in req.allowed_actions(current_user):
        flash("Permohonan ini tidak dapat dibatalkan lagi karena sudah diproses.", "error")
        return back_to(".show", req)
    note = request.form.get("note", "").strip()
    errors = {"note": f"Alasan terlalu panjang: paling banyak {NOTE_MAX} huruf "
                      f"(sekarang {len(note)})."} if len(note) > NOTE_MAX else {}
    if request.method == "GET" or errors:
        return render_template("letters/cancel.html", req=req, errors=errors, form=request.form,
                               note_max=NOTE_MAX), 422 if errors else 200
    try:
        req.apply("batalkan", current_user, note=note,
                  seen_version=request.form.get("version", type=int))
        flash("Permohonan sudah dibatalkan.", "success")
    except WorkflowError as error:
        flash(str(error), "error")
    return back_to(".show", req)


@bp.route("/surat/<int:request_id>/lampiran/<int:attachment_id>")
@login_required
def attachment(request_id, attachment_id):
    req = viewable_request(LetterRequest.select().where(LetterRequest.id == request_id))
    att = Attachment.get_or_none((Attachment.id == attachment_id) & (Attachment.request == req))
    if att is None or not documents().exists(upload_key(att.stored_name)):
        abort(404)
    req.record_view(current_user, "lampiran", att.id)
    key, content_type = upload_key(att.stored_name), att.content_type
    if att.is_image and request.args.get("ukuran") == "kecil":  # a list's thumbnail
        key, content_type = thumbnail_key(att.stored_name), "image/jpeg"
    # The name the resident gave, with the suffix of what the file really is. A PDF is stored as
    # sent, so it is only downloaded: shown inline under this site's address, a viewer would
    # run the script or /OpenAction it may carry.
    name = PurePosixPath(att.original_name).stem + PurePosixPath(key).suffix
    return documents().response(key, content_type, download_name=name,
                                as_attachment=not att.is_image)


@bp.route("/loket", methods=["GET", "POST"])
@login_required
def counter():
    """The counter: a search for the resident (by POST, so no NIK lands in a URL or a log) and
    the requests this official filed."""
    if not current_user.is_official:
        abort(404)
    query = request.form.get("q", "").strip()
    return render_template("letters/counter.html", q=query,
                           people=Person.search(query).limit(20) if query else [],
                           requests=LetterRequest.filed_by(current_user).limit(20))
