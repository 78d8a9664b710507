"""The operator's page of the village's own days off: added, refused with the reason, removed,
and for the operator alone."""
import datetime

import pytest

from balai.letters.workdays import DayOff
from tests.support.village import error_page_html

URL = "/operator/hari-libur"


def test_the_operator_adds_a_day_off_and_removes_it(db, operator):
    page = operator.get(URL).get_data(as_text=True)
    assert "Belum ada hari libur desa." in page and "Hari libur nasional dan cuti bersama" in page
    response = operator.post(URL, data={"date": "2026-09-08", "reason": "Sedekah bumi"})
    assert response.status_code == 303
    day = DayOff.get()
    assert (day.date, day.reason) == (datetime.date(2026, 9, 8), "Sedekah bumi")
    page = operator.get(URL).get_data(as_text=True)
    assert "8 September 2026" in page and "dicatat sebagai hari libur desa" in page
    assert operator.post(f"{URL}/{day.id}/hapus").status_code == 303
    assert not DayOff.select().exists()
    assert operator.post(f"{URL}/{day.id}/hapus").status_code == 404


@pytest.mark.parametrize("data, field, message", [
    ({"date": "", "reason": "Sedekah bumi"}, "date", "Tanggal wajib diisi."),
    ({"date": "31-02-2026", "reason": "Sedekah bumi"}, "date", "Tulis tanggal seperti 17-08-2026."),
    ({"date": "2026-09-05", "reason": "Sabtu"}, "date", "Tanggal itu sudah bukan hari kerja"),
    ({"date": "17-08-2026", "reason": "HUT RI"}, "date", "Tanggal itu sudah bukan hari kerja"),
    ({"date": "2026-09-08", "reason": ""}, "reason", "Keterangan wajib diisi."),
    ({"date": "2026-09-08", "reason": "x" * 101}, "reason", "Keterangan terlalu panjang"),
])
def test_a_bad_day_off_is_refused_with_the_reason_and_keeps_what_was_typed(
        db, operator, data, field, message):
    html = error_page_html(operator.post(URL, data=data), field, message)
    assert f'value="{data["reason"]}"' in html
    assert not DayOff.select().exists()


def test_a_date_already_off_is_refused(db, operator):
    DayOff.add(datetime.date(2026, 9, 8), "Sedekah bumi")
    error_page_html(operator.post(URL, data={"date": "08/09/2026", "reason": "Lagi"}), "date",
                    "Tanggal itu sudah tercatat sebagai hari libur desa.")
    assert DayOff.select().count() == 1


@pytest.mark.parametrize("role", ["budi", "kasipem", "sekdes", "kades"])
def test_only_the_operator_keeps_the_days_off(request, db, role):
    day = DayOff.add(datetime.date(2026, 9, 8), "Sedekah bumi")
    client = request.getfixturevalue(role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"date": "2026-09-09", "reason": "x"}).status_code == 403
    assert client.post(f"{URL}/{day.id}/hapus").status_code == 403
    assert DayOff.select().count() == 1


def test_the_operator_home_links_to_the_days_off(db, operator):
    assert f'href="{URL}"' in operator.get("/operator/").get_data(as_text=True)
