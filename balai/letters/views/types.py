"""Letter types: the operator lists, adds and edits them, and turns them off."""
import re

from flask import Blueprint, flash, redirect, render_template, request, url_for
from playhouse.flask_utils import get_object_or_404
from playhouse.shortcuts import model_to_dict

from balai.letters.forms import (
    STEP_FIELDS,
    VERIFIERS,
    letter_type_form,
    lines_of,
    standard_values,
)
from balai.letters.models import LetterType
from balai.letters.text import BODY_PLACEHOLDERS
from balai.web.access import operator_only
from balai.web.forms import save_unless_taken

bp = operator_only(Blueprint("letter_types", __name__, url_prefix="/operator/jenis-surat"))


@bp.route("/")
def index():
    return render_template("operator/letter_types.html",
                           letter_types=LetterType.select().order_by(LetterType.name))


@bp.route("/baru", methods=["GET", "POST"])
def create():
    if request.method == "GET":
        return render_form(LetterType(), {"validity_days": 30, **standard_values()})
    return save(LetterType())


@bp.route("/<int:type_id>", methods=["GET", "POST"])
def edit(type_id):
    letter_type = get_object_or_404(LetterType.select(), LetterType.id == type_id)
    if request.method == "GET":
        form = model_to_dict(letter_type)
        form.update(requirements=lines_of(letter_type.requirements),
                    extra_fields=lines_of(letter_type.extra_fields),
                    **standard_values(letter_type))
        return render_form(letter_type, form)
    return save(letter_type)


@bp.route("/<int:type_id>/aktif", methods=["POST"])
def toggle(type_id):
    letter_type = get_object_or_404(LetterType.select(), LetterType.id == type_id)
    letter_type.active = "0" if letter_type.active == "1" else "1"
    letter_type.save()
    state = "dapat diminta lagi" if letter_type.active == "1" else "tidak dapat diminta lagi"
    flash(f"{letter_type.name} sekarang {state}.", "success")
    return redirect(url_for("letter_types.index"), 303)


def render_form(letter_type, form, errors=None, status=200):
    return render_template("operator/letter_type_form.html", letter_type=letter_type, form=form,
                           errors=errors or {}, verifiers=VERIFIERS, step_fields=STEP_FIELDS,
                           placeholders=BODY_PLACEHOLDERS), status


def save(letter_type):
    """Check and save; a new type gets a slug from its name, unique by constraint."""
    errors, values = letter_type_form(request.form)
    values["slug"] = letter_type.slug or re.sub(r"[^a-z0-9]+", "-", values["name"].lower()).strip("-")
    if not errors and not save_unless_taken(letter_type, values):
        errors = {"name": "Sudah ada jenis surat dengan nama ini. Pakai nama lain."}
    if errors:
        return render_form(letter_type, request.form, errors, 422)
    flash(f"{letter_type.name} sudah disimpan.", "success")
    return redirect(url_for("letter_types.index"), 303)
