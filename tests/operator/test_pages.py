"""The operator's pages: who may open them, home, village profile and logo, register."""
import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from PIL import Image

import balai
from balai.letters.models import LetterType
from balai.letters.register import RegisterEntry
from balai.people.models import User
from balai.villages.models import Village
from tests.support.forms import profile
from tests.support.village import csrf_token_from, error_page_html, make_request

PAGES = ["/operator/", "/operator/profil", "/operator/profil/logo", "/operator/register",
         "/operator/register.csv", "/operator/penduduk/", "/operator/penduduk/baru",
         "/operator/penduduk/1", "/operator/akun/", "/operator/akun/baru",
         "/operator/jenis-surat/", "/operator/jenis-surat/baru", "/operator/jenis-surat/1"]
ACTIONS = ["/operator/profil", "/operator/penduduk/baru", "/operator/penduduk/1",
           "/operator/akun/1/aktifkan", "/operator/akun/1/nonaktifkan", "/operator/akun/6/atur-ulang",
           "/operator/akun/baru", "/operator/jenis-surat/baru", "/operator/jenis-surat/1",
           "/operator/jenis-surat/1/aktif"]


@pytest.mark.parametrize("role", ["budi", "kasipem", "kasikesra", "sekdes", "kades"])
def test_every_operator_page_is_forbidden_to_other_roles(request, role):
    client = request.getfixturevalue(role)
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    for url in ACTIONS:
        assert client.post(url, data={"name": "x"}).status_code == 403, url


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url
    for url in ACTIONS:
        response = client.post(url)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"], url


def test_forbidden_actions_change_nothing(sekdes, db):
    sekdes.post("/operator/jenis-surat/1/aktif")
    sekdes.post("/operator/akun/6/atur-ulang")
    assert LetterType.get_by_id(1).active == "1"
    assert User.get_by_id(6).active


def test_home_counts_and_links(operator, db):
    User.update(active=False).where(User.person.is_null(False)).execute()
    html = operator.get("/operator/").get_data(as_text=True)
    assert "<strong>3</strong> akun perlu diperiksa" in html
    for url in ("/operator/akun/", "/operator/penduduk/", "/operator/jenis-surat/",
                "/operator/register?tahun=", "/operator/profil"):
        assert f'href="{url}' in html




def test_village_profile_is_saved(operator, db):
    response = operator.post("/operator/profil", data=profile(name="Desa Mekarsari"))
    assert response.status_code == 303
    village = Village.current()
    assert (village.name, village.paper, village.timezone) == ("Desa Mekarsari", "F4", "Asia/Makassar")
    assert village.public_url == "https://sukamaju.desa.id"
    assert village.number_format == "{nomor:03}/{kode}/{tahun}"


@pytest.mark.parametrize("field, value, message", [
    ("timezone", "Asia/Bandung", "Zona waktu tidak dikenal"),
    ("timezone", "../etc/passwd", "Zona waktu tidak dikenal"),
    ("number_format", "{kode}/{tahun}", "harus memuat {nomor}"),
    ("number_format", "{nomor}/{rahasia}", "Isian tidak dikenal di format nomor: rahasia"),
    ("number_format", "{nomor", "tidak dapat dibaca"),
    ("public_url", "sukamaju.desa.id", "harus diawali http"),
    ("public_url", "javascript:alert(1)", "harus diawali http"),
    ("paper", "Letter", "A4 atau F4"),
    ("email", "bukan-email", "e-mail tidak valid"),
    ("name", "  ", "Nama desa wajib diisi."),
])
def test_village_profile_errors_are_explained_and_nothing_is_saved(operator, db, field, value, message):
    response = operator.post("/operator/profil", data=profile(**{field: value, "kecamatan": "Baru"}))
    html = error_page_html(response, field, message)
    assert 'value="Baru"' in html  # what was typed is kept
    assert Village.current().kecamatan == "Sukamaju"


def image_bytes(fmt, size=(40, 30), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, "green").save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt, mode", [("PNG", "RGB"), ("PNG", "P"), ("JPEG", "RGB"), ("JPEG", "CMYK")])
def test_logo_is_checked_by_content_reencoded_and_served(app, operator, db, fmt, mode):
    data = profile()
    data["logo"] = (io.BytesIO(image_bytes(fmt, mode=mode)), "logo.gif")  # the name does not matter
    assert operator.post("/operator/profil", data=data).status_code == 303
    name = Village.current().logo
    assert name.endswith(".png") and "logo.gif" not in name
    served = operator.get("/operator/profil/logo")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert Image.open(io.BytesIO(served.data)).size == (40, 30)
    assert operator.post("/operator/profil", data=profile()).status_code == 303
    assert Village.current().logo == name  # saving without a file keeps the logo


def test_a_large_logo_is_scaled_down_and_a_huge_one_refused(operator, db):
    data = profile()
    data["logo"] = (io.BytesIO(image_bytes("PNG", size=(1200, 300))), "logo.png")
    assert operator.post("/operator/profil", data=data).status_code == 303
    assert Image.open(io.BytesIO(operator.get("/operator/profil/logo").data)).size == (600, 150)
    data["logo"] = (io.BytesIO(image_bytes("PNG", size=(5000, 4000), mode="1")), "logo.png")
    response = operator.post("/operator/profil", data=data)
    assert response.status_code == 422 and "terlalu lebar" in response.get_data(as_text=True)


@pytest.mark.parametrize("content, message", [
    (b"MZ\x90\x00 this is an exe renamed", "harus gambar PNG atau JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "harus gambar PNG atau JPEG"),
    ("GIF", "harus gambar PNG atau JPEG"),
    (b"\x00" * (1024 * 1024 + 1), "Paling besar 1 MB"),
])
def test_logo_that_is_not_a_small_png_or_jpeg_is_refused(app, operator, db, content, message):
    if content == "GIF":
        content = image_bytes("GIF")
    data = profile(name="Desa Baru")
    data["logo"] = (io.BytesIO(content), "logo.png")
    response = operator.post("/operator/profil", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert Village.current().logo is None and Village.current().name == "Desa Sukamaju"


def test_no_logo_yet_is_404(operator):
    assert operator.get("/operator/profil/logo").status_code == 404


def register_entries(db):
    """Three numbers in 2025: issued, void with its request, void without one; one in 2026."""
    issued = make_request(status="selesai")
    issued.issued_at = datetime.datetime(2025, 3, 1, 20, 0)  # 2 March in WITA
    issued.save()
    failed = make_request(nik="3213055503920002", slug="tidak-mampu", status="selesai")
    RegisterEntry.create(year=2025, seq=1, number="470/001/3213052001/III/2025", request=issued,
                         status="terbit")
    RegisterEntry.create(year=2025, seq=2, number="401/002/3213052001/III/2025", request=failed,
                         status="batal", void_reason="PDF gagal dibuat")
    RegisterEntry.create(year=2025, seq=3, number="=cmd|'/c calc'!A1", status="batal",
                         void_reason="Nomor terlewat", created_at=datetime.datetime(2025, 4, 1))
    RegisterEntry.create(year=2026, seq=1, number="470/001/3213052001/I/2026", request=failed,
                         status="terbit")
    Village.update(timezone="Asia/Makassar").execute()


def test_register_lists_the_year_with_void_numbers(operator, db):
    register_entries(db)
    html = operator.get("/operator/register?tahun=2025").get_data(as_text=True)
    assert html.index("470/001/3213052001/III/2025") < html.index("401/002/3213052001/III/2025")
    assert "2 Maret 2025" in html and "Budi Santoso" in html and "Surat Keterangan Domisili" in html
    assert "Siti Aminah" in html and "PDF gagal dibuat" in html and "Nomor terlewat" in html
    assert "/I/2026" not in html
    assert '<option value="2026"' in html and '<option value="2025" selected' in html
    assert 'href="/operator/register.csv?tahun=2025"' in html and "data-print" in html


def test_register_is_exported_as_csv_for_excel(operator, db):
    register_entries(db)
    response = operator.get("/operator/register.csv?tahun=2025")
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="balai-register-2025.csv"'
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["Nomor", "Tanggal", "Jenis surat", "Pemohon", "Status", "Alasan batal"]
    assert rows[1] == ["470/001/3213052001/III/2025", "2025-03-02", "Surat Keterangan Domisili",
                       "Budi Santoso", "terbit", ""]
    assert rows[2][3:] == ["Siti Aminah", "batal", "PDF gagal dibuat"]
    assert rows[3][0] == "'=cmd|'/c calc'!A1"  # a formula stays text in a spreadsheet
    assert len(rows) == 4


def test_register_of_an_empty_year(operator):
    html = operator.get("/operator/register?tahun=2019").get_data(as_text=True)
    assert "Belum ada surat keluar di tahun 2019" in html
    rows = operator.get("/operator/register.csv?tahun=2019").data.decode()
    assert rows.strip() == "\ufeffNomor,Tanggal,Jenis surat,Pemohon,Status,Alasan batal"


def test_register_defaults_to_this_year(operator, db):
    year = datetime.date.today().year
    assert f"Buku agenda surat keluar {year}" in operator.get("/operator/register").get_data(as_text=True)


def test_every_operator_form_carries_a_csrf_token_and_works_with_csrf_on(app, operator, db):
    pages = ["/operator/profil", "/operator/penduduk/1", "/operator/akun/", "/operator/akun/baru",
             "/operator/jenis-surat/", "/operator/jenis-surat/1", "/operator/penduduk/baru"]
    for url in pages:
        html = operator.get(url).get_data(as_text=True)
        forms = re.findall(r'<form method="post".*?</form>', html, re.S)
        assert forms, url
        assert all('name="csrf_token"' in form for form in forms), url
    app.config["WTF_CSRF_ENABLED"] = True
    assert operator.post("/operator/jenis-surat/1/aktif").status_code == 400
    token = csrf_token_from(operator.get("/operator/jenis-surat/").get_data(as_text=True))
    assert operator.post("/operator/jenis-surat/1/aktif", data={"csrf_token": token}).status_code == 303
    assert LetterType.get_by_id(1).active == "0"


def test_operator_templates_keep_to_the_content_security_policy():
    paths = sorted((Path(balai.__file__).resolve().parent / "templates" / "operator").glob("*.html"))
    assert paths  # never pass by checking nothing
    for path in paths:
        text = path.read_text()
        assert not re.search(r"\sstyle=|<style|<script|\son[a-z]+=|hx-on", text), path
