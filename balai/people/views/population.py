"""Population records (penduduk): the operator lists, searches, adds and edits them."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404
from playhouse.shortcuts import model_to_dict

from balai.people.audit import AccessLogEntry
from balai.people.forms import person_form
from balai.people.models import Person, User
from balai.web.access import operator_only
from balai.web.forms import save_unless_taken
from balai.web.paging import page_of

bp = operator_only(Blueprint("people", __name__, url_prefix="/operator/penduduk"))

PER_PAGE = 25
SEARCH_FIELDS = ("q", "rt", "rw", "dusun")
# Why the operator opened a record, as the resident reads it in their access log.
ADMINISTERING = {"GET": "Mengelola data penduduk", "POST": "Mengubah data penduduk"}
DUPLICATE_NIK = ("NIK ini sudah terdaftar untuk penduduk lain. Cari NIK itu di daftar penduduk "
                 "dan ubah data yang sudah ada.")


@bp.route("/", methods=["GET", "POST"])
def index():
    """The whole list, or what a search finds; a search is sent by POST, so the NIK typed in
    it never lands in a URL, a server log or the browser's history."""
    search = {name: request.form.get(name, "").strip() for name in SEARCH_FIELDS}
    found = Person.search(search["q"], search["rt"], search["rw"], search["dusun"])
    return render_template("operator/people.html", query=search["q"], search=search,
                           page=page_of(found, PER_PAGE, counted=True))


@bp.route("/<int:person_id>/keluarga")
def family(person_id):
    """Everyone on the person's Kartu Keluarga, the head first."""
    person = get_object_or_404(Person.select(), Person.id == person_id)
    AccessLogEntry.record(current_user, person.id, "penduduk", person.id, ADMINISTERING["GET"])
    return render_template("operator/family.html", person=person,
                           members=Person.family(person.kk_number))


@bp.route("/baru", methods=["GET", "POST"])
def create():
    if request.method == "GET":
        return render_person_form(Person(), {"citizenship": "WNI"})
    return save_person(Person())


@bp.route("/<int:person_id>", methods=["GET", "POST"])
def edit(person_id):
    person = get_object_or_404(Person.select(), Person.id == person_id)
    AccessLogEntry.record(current_user, person.id, "penduduk", person.id,
                          ADMINISTERING[request.method])
    if request.method == "GET":
        return render_person_form(person, model_to_dict(person))
    return save_person(person)


def render_person_form(person, form, errors=None, status=200):
    account = User.get_or_none(User.person == person.id) if person.id else None
    return render_template("operator/person_form.html", person=person, account=account,
                           form=form, errors=errors or {}, choices=Person), status


def save_person(person):
    """Check the form and save; a NIK already in use is caught by the unique constraint."""
    errors, values = person_form(request.form)
    if not errors and not save_unless_taken(person, values):
        errors = {"nik": DUPLICATE_NIK}
    if errors:
        return render_person_form(person, request.form, errors, 422)
    flash(f"Data penduduk {person.name} sudah disimpan.", "success")
    return redirect(url_for("people.edit", person_id=person.id), 303)
