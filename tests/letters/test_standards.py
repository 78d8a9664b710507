"""The service standard: working days, each request's deadline with the clock stopped while it
is back with the resident, the inbox's marks, and the public page's record of last month."""
import datetime

import pytest

from balai.letters import standards
from balai.letters.letter_types import LetterType
from balai.letters.standards import previous_month, today
from balai.letters.workdays import Calendar, DayOff, national_holiday
from tests.support.forms import letter_type as form
from tests.support.standards import (
    at,
    due_today,
    entered_late_by,
    issued_on,
    move,
    resend,
    sent_on,
)

D = datetime.date


def test_the_package_knows_national_holidays_and_collective_leave(db):
    assert national_holiday(D(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert "Cuti Bersama" in national_holiday(D(2026, 3, 23))
    assert national_holiday(D(2026, 8, 18)) is None


@pytest.mark.parametrize("start, days, expected", [
    (D(2026, 8, 14), 3, D(2026, 8, 20)),  # Friday; Monday 17 August is Independence Day
    (D(2026, 8, 15), 1, D(2026, 8, 18)),  # sent on a Saturday: the first day is Tuesday
    (D(2026, 3, 17), 3, D(2026, 3, 27)),  # Nyepi, Idul Fitri and its cuti bersama in between
    (D(2026, 8, 14), 0, D(2026, 8, 14)),
])
def test_working_days_skip_weekends_holidays_and_collective_leave(db, start, days, expected):
    calendar = Calendar()
    assert calendar.add(start, days) == expected
    assert calendar.count(start, expected) == days


def test_the_village_days_off_are_not_working_days(db):
    DayOff.add(D(2026, 8, 18), "Sedekah bumi")
    assert DayOff.add(D(2026, 8, 18), "Lagi") is None  # one row per date, by constraint
    assert Calendar().add(D(2026, 8, 14), 3) == D(2026, 8, 21)


def test_a_request_sent_on_a_friday_before_a_holiday_gets_the_right_deadline(db, budi):
    request = sent_on(at(D(2026, 8, 14), 10))
    assert standards.deadline(request) == D(2026, 8, 20)
    html = budi.get(f"/surat/{request.id}").get_data(as_text=True)
    assert "Selesai paling lambat <strong>20 Agustus 2026</strong>" in html
    assert "standar pelayanan 3 hari kerja" in html


def test_the_deadline_counts_from_the_village_date_not_the_utc_one(db):
    # Thursday 13 August, 17:30 UTC, is Friday 00:30 in Jakarta.
    request = sent_on(datetime.datetime(2026, 8, 13, 17, 30))
    assert standards.deadline(request) == D(2026, 8, 20)


def test_a_return_stops_the_clock_until_the_request_is_sent_again(db, budi):
    request = sent_on(at(D(2026, 8, 3)))  # Monday; without a return: Thursday 6 August
    assert standards.deadline(request) == D(2026, 8, 6)
    request = move(request, "kembalikan", "kasipem", at(D(2026, 8, 5), 11), "Foto KTP buram")
    assert standards.deadline(request) is None  # two days used: Tuesday and Wednesday
    assert standards.standing(request).days_left == 1
    html = budi.get(f"/surat/{request.id}").get_data(as_text=True)
    assert "Waktu layanan berhenti sampai permohonan diajukan lagi; sisa 1 hari kerja" in html
    request = resend(request, at(D(2026, 8, 10), 8))  # a week later, on Monday
    assert standards.deadline(request) == D(2026, 8, 11)
    assert "Selesai paling lambat <strong>11 Agustus 2026</strong>" in budi.get(
        f"/surat/{request.id}").get_data(as_text=True)
    assert standards.finished_in_time(request) is None
    letter = issued_on(request, at(D(2026, 8, 11), 15))
    assert standards.finished_in_time(letter) is True and standards.days_taken(letter) == 3


def test_a_letter_issued_after_its_deadline_did_not_keep_the_standard(db, budi):
    letter = issued_on(sent_on(at(D(2026, 8, 14))), at(D(2026, 8, 21), 8))
    assert standards.finished_in_time(letter) is False and standards.days_taken(letter) == 4
    html = budi.get(f"/surat/{letter.id}").get_data(as_text=True)
    assert "Selesai melewati standar pelayanan (3 hari kerja, batas 20 Agustus 2026)" in html


def test_the_inbox_marks_steps_past_or_at_their_target_in_words(db, kasipem):
    late = sent_on(at(entered_late_by(2)))
    fresh = sent_on(at(today()))
    # A step's last day is a working day: on other days no step is at its last day.
    last_day = sent_on(at(due_today())) if Calendar().is_working(today()) else None
    html = kasipem.get("/kotak-masuk").get_data(as_text=True)
    rows = {r.id: row for r in (late, last_day, fresh) if r
            for row in html.split('<form class="row"') if f"/kotak-masuk/{r.id}\"" in row}
    assert '<span class="status status-late">Lewat target 2 hari kerja</span>' in rows[late.id]
    if last_day:
        assert '<span class="status status-due">Batas hari ini</span>' in rows[last_day.id]
    assert 'class="status' not in rows[fresh.id]


def first_working_day(year, month):
    calendar, date = Calendar(), D(year, month, 1)
    while not calendar.is_working(date):
        date += datetime.timedelta(days=1)
    return date


def test_the_public_page_reports_last_month_from_the_database(db, client):
    year, month = previous_month(today())
    start, calendar = first_working_day(year, month), Calendar()
    for days in (1, 2, 5):  # domisili's standard is 3 working days: the third is late
        issued_on(sent_on(at(start)), at(calendar.add(start, days), 14))
    issued_on(sent_on(at(start), slug="tidak-mampu"), at(start, 15))  # the same day
    issued_on(sent_on(at(start - datetime.timedelta(days=40))),
              at(start - datetime.timedelta(days=35)))  # the month before: not counted
    move(sent_on(at(start)), "tolak", "kasipem", at(start, 11), "Bukan wewenang desa")
    html = client.get("/standar-pelayanan").get_data(as_text=True)
    domisili = html.split('id="domisili"')[1].split("</section>")[0]
    assert "3 surat selesai; <strong>67%</strong> tepat waktu (2 dari 3); median 2 hari kerja" \
        in domisili
    assert "Waktu penyelesaian: <strong>3 hari kerja</strong>" in domisili
    assert "Memeriksa permohonan sebagai Kasi Pemerintahan: paling lama 1 hari kerja" in domisili
    kesra = html.split('id="tidak-mampu"')[1].split("</section>")[0]
    assert "1 surat selesai; <strong>100%</strong> tepat waktu (1 dari 1); median 0 hari kerja" \
        in kesra
    for t in LetterType.available():
        assert f'id="{t.slug}"' in html
        assert all(r["label"] in html for r in t.requirements)
    assert 'href="/standar-pelayanan"' in client.get("/").get_data(as_text=True)


def test_the_public_page_follows_the_standard_the_operator_saves(db, client, operator):
    page = operator.get("/operator/jenis-surat/1").get_data(as_text=True)
    assert 'name="service_days"' in page and 'name="step_diverifikasi"' in page
    letter_type = LetterType.get_by_id(1)
    response = operator.post("/operator/jenis-surat/1", data=form(
        name=letter_type.name, service_days="5", step_diajukan="2", step_diverifikasi="1",
        step_diperiksa="2"))
    assert response.status_code == 303
    saved = LetterType.get_by_id(1)
    assert saved.service_days == 5 and saved.step_target("diajukan") == 2
    section = client.get("/standar-pelayanan").get_data(as_text=True).split(
        f'id="{saved.slug}"')[1].split("</section>")[0]
    assert "Waktu penyelesaian: <strong>5 hari kerja</strong>" in section
    request = sent_on(at(D(2026, 8, 14)), slug=saved.slug)
    assert standards.deadline(request) == D(2026, 8, 24)


@pytest.mark.parametrize("field, value, message", [
    ("service_days", "0", "Waktu penyelesaian harus angka hari kerja antara 1 dan 60"),
    ("service_days", "tiga", "Waktu penyelesaian harus angka hari kerja antara 1 dan 60"),
    ("service_days", "2", "Waktu penyelesaian paling sedikit jumlah target tiap langkah: "
                          "3 hari kerja."),
    ("step_diperiksa", "0", "Target Kepala Desa harus angka hari kerja antara 1 dan 30"),
    ("step_diajukan", "", "Target Kasi yang memeriksa harus angka hari kerja"),
])
def test_a_bad_standard_is_refused_with_the_reason(db, operator, field, value, message):
    response = operator.post("/operator/jenis-surat/baru", data=form(**{field: value}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'<a href="#{field}">{message}' in html
    assert not LetterType.select().where(LetterType.name == "Surat Keterangan Kelahiran").exists()


def test_the_residents_list_shows_the_deadline_of_what_waits(db, budi):
    waiting = sent_on(at(D(2026, 8, 14), 10))
    issued_on(sent_on(at(D(2026, 8, 3))), at(D(2026, 8, 4)))
    html = budi.get("/surat").get_data(as_text=True)
    assert html.count("Selesai paling lambat") == 1
    card = html.split(f"/surat/{waiting.id}\"")[1].split("</li>")[0]
    assert "Selesai paling lambat <strong>20 Agustus 2026</strong>" in card
