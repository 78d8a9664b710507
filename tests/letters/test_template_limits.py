"""Operator templates that would never finish: refused when saved, and one already in the
database fails fast when a letter is rendered or numbered."""
import datetime
import time

import pytest

from balai.letters import issuance, text
from balai.letters.models import LetterRequest, LetterType
from balai.letters.pdf import render_letter
from balai.letters.register import RegisterEntry
from balai.signing.models import SignerCertificate
from balai.villages.models import Village
from tests.support.forms import letter_type, profile
from tests.support.signing import approve
from tests.support.village import error_page_html, make_request

SECONDS = 1
NOT_ALLOWED = "tidak dapat dipakai di isi surat"
NO_EXPRESSIONS = "tanpa hitungan, pemanggilan fungsi atau atribut"

HOSTILE_BODIES = [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{{ nama }}{% endfor %}{% endfor %}",
     "Perintah {% for %} (baris 1) " + NOT_ALLOWED),
    ("{% for a in nama %}{% for b in nama %}{% for c in nama %}{% for d in nama %}{{ nik }}"
     "{% endfor %}{% endfor %}{% endfor %}{% endfor %}", "Perintah {% for %}"),
    ("{{ nama * 100000000 }}", NO_EXPRESSIONS),
    ("{{ 9 ** 9 ** 9 }}", NO_EXPRESSIONS),
    ('{{ "%0100000000d" % 1 }}', NO_EXPRESSIONS),
    ("{{ nama.center(100000000) }}", NO_EXPRESSIONS),
    ("{{ nama|center(100000000) }}", "Penyaring |center (baris 1) tidak dapat dipakai"),
    ("{% macro ulang() %}{{ ulang() }}{% endmacro %}{{ ulang() }}", "Perintah {% macro %}"),
    ("{% call ulang() %}{% endcall %}", "Perintah {% call %}"),
    ('{% include "base.html" %}', "Perintah {% include %}"),
    ('{% extends "base.html" %}', "Perintah {% extends %}"),
    ('{% import "base.html" as b %}', "Perintah {% import %}"),
    ("{{ lipsum(100000) }}", NO_EXPRESSIONS),
    ("{{ " + "(" * 5000 + "nama" + ")" * 5000 + " }}", "terlalu rumit"),
]
GLOBALS = ["{{ lipsum }}", "{{ range }}", "{{ cycler }}", "{{ joiner }}", "{{ namespace }}",
           "{{ dict }}"]


@pytest.mark.parametrize("body, message", HOSTILE_BODIES + [
    (body, "Isian tidak dikenal: " + body[3:-3]) for body in GLOBALS])
def test_a_hostile_body_is_refused_when_saved(operator, db, body, message):
    started = time.monotonic()
    response = operator.post("/operator/jenis-surat/baru", data=letter_type(body_template=body))
    assert time.monotonic() - started < SECONDS
    error_page_html(response, "body_template", message)
    assert not LetterType.select().where(LetterType.code == "474.1").exists()


def test_a_body_that_renders_too_long_is_refused_when_saved(operator, db):
    body = "{{berlaku_sampai}}" * 1100  # the sample date is longer than its placeholder
    response = operator.post("/operator/jenis-surat/baru", data=letter_type(body_template=body))
    error_page_html(response, "body_template", "Isi surat terlalu panjang")


def test_placeholders_if_and_case_filters_are_still_allowed(operator, db):
    body = ('{% if jenis_kelamin == "Laki-laki" %}Saudara{% else %}Saudari{% endif %} '
            '{{ nama|upper }}, RT {{ rt|default("-") }}, untuk {{ nama_bayi|title }}.')
    response = operator.post("/operator/jenis-surat/baru", data=letter_type(body_template=body))
    assert response.status_code == 303


@pytest.mark.parametrize("number_format, message", [
    ("{nomor:>20000000}", "hanya boleh ditulis seperti {nomor} atau {nomor:03}"),
    ("{nomor:0100000000}", "hanya boleh ditulis seperti {nomor}"),
    ("{nomor:{kode}}", "hanya boleh ditulis seperti {nomor}"),
    ("{nomor!r}", "hanya boleh ditulis seperti {nomor}"),
    ("{nomor}" + "-" * 100, "lebih dari 80 huruf"),
])
def test_a_hostile_number_format_is_refused_when_saved(operator, db, number_format, message):
    started = time.monotonic()
    response = operator.post("/operator/profil", data=profile(number_format=number_format))
    assert time.monotonic() - started < SECONDS
    error_page_html(response, "number_format", message)
    assert Village.current().number_format == "{kode}/{nomor:03}/{kode_desa}/{bulan_romawi}/{tahun}"


def with_body(body):
    """A request whose letter type's body was written straight into the database."""
    letter = make_request(status="diperiksa")
    LetterType.update(body_template=body).where(LetterType.id == letter.letter_type_id).execute()
    return LetterRequest.get_by_id(letter.id)


def render(app, letter):
    with app.test_request_context():
        return render_letter(letter, Village.current(), "470/001/2026", datetime.date(2026, 1, 5),
                             "https://desa.test/verifikasi/x", SignerCertificate.get())


@pytest.mark.parametrize("body", [body for body, _ in HOSTILE_BODIES] + ["{{keperluan}}" * 1500])
def test_a_hostile_body_saved_earlier_fails_fast_when_the_letter_is_rendered(app, db, body):
    letter = with_body(body)
    started = time.monotonic()
    with pytest.raises(text.TemplateError):
        render(app, letter)
    assert time.monotonic() - started < SECONDS


@pytest.mark.parametrize("body", GLOBALS)
def test_jinja_globals_saved_earlier_are_no_longer_there(app, db, body):
    assert text.render_body(f"[{body}]", {}) == "[]"
    assert render(app, with_body(f"[{body}]")).startswith(b"%PDF")


@pytest.mark.parametrize("number_format", ["{nomor:>20000000}", "{nomor:.100000000f}"])
def test_a_hostile_number_format_saved_earlier_takes_no_number(db, number_format):
    Village.update(number_format=number_format).execute()
    village, letter = Village.current(), make_request(status="diperiksa")
    started = time.monotonic()
    with pytest.raises(text.TemplateError):
        issuance.take_number(letter, village, datetime.datetime(2026, 1, 5, 9, 0))
    assert time.monotonic() - started < SECONDS
    assert not RegisterEntry.select().exists()


def test_the_kades_is_told_what_to_fix_when_a_body_saved_earlier_is_hostile(db, kades):
    letter = with_body("{% for i in range(100000) %}{{ nama }}{% endfor %}")
    response = approve(kades, letter)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Minta operator memperbaikinya" in page
    assert LetterRequest.get_by_id(letter.id).status == "diperiksa"
    [entry] = RegisterEntry.select()
    assert entry.status == "batal" and entry.void_reason  # the register says why


def test_the_kades_is_told_what_to_fix_when_the_number_format_is_hostile(db, kades):
    Village.update(number_format="{nomor:>20000000}").execute()
    letter = make_request(status="diperiksa")
    response = approve(kades, letter)
    assert response.status_code == 409 and "Profil desa" in response.get_data(as_text=True)
    assert not RegisterEntry.select().exists()
