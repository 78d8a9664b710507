"""The operator imports the population from a spreadsheet: upload, columns (when they are not
clear), the preview, apply. The worker reads, checks and writes (balai.operator.tasks)."""
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from playhouse.flask_utils import get_object_or_404

from balai.operator import population_import
from balai.operator.columns import FIELDS, LABELS, mapping_problems, match_headers
from balai.operator.population_import import PopulationImport
from balai.operator.spreadsheet import SpreadsheetError, read_rows
from balai.web.access import operator_only
from balai.web.htmx import is_htmx
from balai.web.spreadsheet import csv_download

bp = operator_only(Blueprint("population_import", __name__,
                             url_prefix="/operator/penduduk/impor"))
PREVIEW_ROWS = 100  # shown per kind of row; the rejected ones are all in the CSV
EXAMPLE_ROWS = 3
NO_FILE = "Pilih berkas CSV atau Excel (.xlsx) berisi data penduduk."
NO_ROWS = ("Berkas ini tidak berisi data penduduk: baris pertama harus judul kolom, lalu satu "
           "baris untuk setiap penduduk.")


def queue_stage(batch):
    current_app.extensions["queue"].enqueue("stage_population_import", batch.id)


@bp.route("/", methods=["GET", "POST"])
def index():
    if request.method == "GET":
        return render_upload()
    file = request.files.get("berkas")
    data = file.read() if file and file.filename else b""
    error = NO_FILE if not data else None
    try:
        rows = read_rows(data) if data else []
    except SpreadsheetError as problem:
        error = str(problem)
    if not error and len(rows) < 2:
        error = NO_ROWS
    if error:
        return render_upload({"berkas": error}, 422)
    mapping = {str(index): field for index, field in match_headers(rows[0]).items()}
    batch = population_import.begin(current_user, file.filename, data, rows[0], mapping)
    if mapping_problems(batch.header, mapping):
        return redirect(url_for(".columns", import_id=batch.id), 303)
    population_import.queue_with(batch, mapping)
    queue_stage(batch)
    return redirect(url_for(".show", import_id=batch.id), 303)


def render_upload(errors=None, status=200):
    return render_template("operator/import_upload.html", errors=errors or {},
                           imports=PopulationImport.recent(), fields=FIELDS), status


def import_or_404(import_id):
    return get_object_or_404(PopulationImport.select(), PopulationImport.id == import_id)


@bp.route("/<int:import_id>/kolom", methods=["GET", "POST"])
def columns(import_id):
    """Which field each column holds, chosen by hand when the headers did not say it clearly."""
    batch = import_or_404(import_id)
    if batch.status != "mapping":
        return redirect(url_for(".show", import_id=batch.id), 303)
    mapping, errors = batch.mapping, []
    if request.method == "POST":
        mapping = {str(index): request.form.get(f"kolom-{index}", "")
                   for index in range(len(batch.header))}
        mapping = {index: field for index, field in mapping.items() if field in LABELS}
        errors = mapping_problems(batch.header, mapping)
        if not errors and population_import.queue_with(batch, mapping):
            queue_stage(batch)
            return redirect(url_for(".show", import_id=batch.id), 303)
    examples = population_import.first_rows(batch, EXAMPLE_ROWS)
    return render_template("operator/import_columns.html", batch=batch, mapping=mapping,
                           errors=errors, fields=FIELDS, examples=examples), (
        422 if errors else 200)


@bp.route("/<int:import_id>")
def show(import_id):
    """Progress while the worker reads or writes; then the preview, or what came of it."""
    batch = import_or_404(import_id)
    if batch.status == "mapping":
        return redirect(url_for(".columns", import_id=batch.id), 303)
    return render_template("operator/import_show.html", batch=batch, limit=PREVIEW_ROWS)


@bp.route("/<int:import_id>/kemajuan")
def progress(import_id):
    """The progress bar that htmx polls; once the worker is done, the whole page again."""
    batch = import_or_404(import_id)
    if not batch.running and is_htmx():
        return "", 204, {"HX-Redirect": url_for(".show", import_id=batch.id)}
    if not is_htmx():
        return redirect(url_for(".show", import_id=batch.id), 303)
    return render_template("operator/_import_progress.html", batch=batch)


@bp.route("/<int:import_id>/terapkan", methods=["POST"])
def apply(import_id):
    batch = import_or_404(import_id)
    if population_import.start_applying(batch):
        current_app.extensions["queue"].enqueue("apply_population_import", batch.id)
        flash("Data sedang diterapkan. Halaman ini menunjukkan bila sudah selesai.", "info")
    else:
        flash("Impor ini tidak dapat diterapkan lagi.", "error")
    return redirect(url_for(".show", import_id=batch.id), 303)


@bp.route("/<int:import_id>/batalkan", methods=["POST"])
def cancel(import_id):
    batch = import_or_404(import_id)
    if population_import.cancel(batch):
        flash("Impor dibatalkan. Tidak ada data penduduk yang berubah.", "success")
    return redirect(url_for(".index"), 303)


@bp.route("/<int:import_id>/ditolak.csv")
def rejected_csv(import_id):
    batch = import_or_404(import_id)
    rows = [["Baris", "Alasan", *batch.header], *population_import.rejected_rows(batch)]
    return csv_download(f"impor-{batch.id}-ditolak.csv", rows)

