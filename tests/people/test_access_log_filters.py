"""The operator narrows the access log to one official, one resident (by name or by the id a
row links to, never by NIK) and a span of the village's days; the pager keeps the filters."""
import datetime
import re

import pytest

from balai.people.audit import AccessLogEntry
from balai.people.models import Person, User
from tests.support.village import AHMAD, BUDI, SITI

REASON = re.compile(r"Alasan: (entry-\d+)")


def utc(text):
    return datetime.datetime.fromisoformat(text)


@pytest.fixture
def log(db):
    """Six openings: the Kasi Pem and the Sekdes, of Budi, Siti and Ahmad, on 1 to 3 March 2026
    (07:00 UTC, 14:00 in the village), and one at 23:30 WIB on 3 March (16:30 UTC)."""
    rows = [("kasipem", BUDI, "2026-03-01 07:00"), ("kasipem", SITI, "2026-03-02 07:00"),
            ("sekdes", BUDI, "2026-03-02 07:00"), ("sekdes", AHMAD, "2026-03-03 07:00"),
            ("kasipem", AHMAD, "2026-03-03 16:30"), ("sekdes", SITI, "2026-03-04 07:00")]
    for number, (login, nik, at) in enumerate(rows):
        AccessLogEntry.create(viewer=User.by_login(login), person=Person.get(Person.nik == nik),
                              kind="permohonan", object_id=1, reason=f"entry-{number}",
                              at=utc(at))


def shown(operator, query):
    response = operator.get("/operator/log-akses" + query)
    assert response.status_code == 200, response.get_data(as_text=True)
    return sorted(REASON.findall(response.get_data(as_text=True)))


def test_by_official(operator, log):
    sekdes = User.by_login("sekdes")
    assert shown(operator, f"?petugas={sekdes.id}") == ["entry-2", "entry-3", "entry-5"]


def test_by_resident_name_or_id(operator, log):
    assert shown(operator, "?warga=siti") == ["entry-1", "entry-5"]
    budi = Person.get(Person.nik == BUDI)
    html = operator.get(f"/operator/log-akses?penduduk={budi.id}").get_data(as_text=True)
    assert sorted(REASON.findall(html)) == ["entry-0", "entry-2"]
    assert "Hanya data milik <strong>Budi Santoso</strong>" in html


def test_by_the_villages_days(operator, log):
    # 3 March in the village runs to 23:59 WIB: the 16:30 UTC opening is still on it.
    assert shown(operator, "?dari=2026-03-02&sampai=2026-03-03") == [
        "entry-1", "entry-2", "entry-3", "entry-4"]
    assert shown(operator, "?dari=03-03-2026") == ["entry-3", "entry-4", "entry-5"]


def test_filters_combine(operator, log):
    kasipem = User.by_login("kasipem")
    assert shown(operator, f"?petugas={kasipem.id}&warga=ahmad&sampai=2026-03-03") == ["entry-4"]


def test_each_row_links_to_its_official_and_resident_by_id(operator, log):
    html = operator.get("/operator/log-akses").get_data(as_text=True)
    siti = Person.get(Person.nik == SITI)
    assert f'href="/operator/log-akses?penduduk={siti.id}"' in html
    assert f'href="/operator/log-akses?petugas={User.by_login("sekdes").id}"' in html
    assert not re.search(r'href="[^"]*\d{16}', html)  # no NIK in any link


def test_the_pager_keeps_the_filters(operator, db):
    kasipem, budi = User.by_login("kasipem"), Person.get(Person.nik == BUDI)
    for number in range(55):
        AccessLogEntry.create(viewer=kasipem, person=budi, kind="permohonan", object_id=1,
                              reason=f"entry-{number}")
    html = operator.get(f"/operator/log-akses?petugas={kasipem.id}&warga=budi").get_data(
        as_text=True)
    assert f"/operator/log-akses?petugas={kasipem.id}&amp;warga=budi&amp;halaman=2" in html
    assert shown(operator, f"?petugas={kasipem.id}&warga=budi&halaman=2") == sorted(
        f"entry-{n}" for n in range(5))


@pytest.mark.parametrize("query, field, message", [
    ("?warga=3213051508900001", "warga", "tanpa angka"),
    ("?dari=kemarin", "dari", "Tanggal tidak dikenali"),
    ("?dari=2026-03-04&sampai=2026-03-01", "sampai", "Tanggal akhir harus"),
])
def test_wrong_filters_are_explained(operator, log, query, field, message):
    response = operator.get("/operator/log-akses" + query)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and f'<a href="#{field}">' in html and message in html
    assert 'value="3213051508900001"' not in html  # a NIK typed by mistake is not shown again


def test_the_name_field_refuses_digits_before_sending(operator, db):
    html = operator.get("/operator/log-akses").get_data(as_text=True)
    assert re.search(r'<input type="text" id="warga" name="warga" value=""\s+'
                     r'aria-describedby="warga-hint" pattern="\[\^0-9\]\*"', html)


@pytest.mark.parametrize("role", ["kasipem", "sekdes", "kades", "budi"])
def test_only_the_operator_reads_the_log(request, db, role):
    assert request.getfixturevalue(role).get("/operator/log-akses?warga=budi").status_code == 403
