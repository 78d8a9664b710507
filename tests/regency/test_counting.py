"""The daily counts move with each step of a request, in the transaction of its event: an
event undone leaves no count, and a recount from the events finds what was counted live."""
import datetime

import pytest

from balai.letters import notices
from balai.letters.models import LetterEvent
from balai.people.models import User
from balai.tally.models import ActiveMonth, ActiveResident, LetterDay, LetterMonth, StepTime
from tests.figures import known_village
from tests.regency.counts import recounted, table_rows
from tests.support.village import BUDI, make_request


def letter_counts():
    return [(row.letter_type, row.filed, row.returned, row.rejected, row.issued)
            for row in LetterDay.select()]


def decisions(step):
    return sum(row.decisions for row in StepTime.select().where(StepTime.step == step))


def test_each_step_moves_its_count_once(app, db):
    before = ActiveResident.select().count()
    budi, kasi = User.by_login(BUDI), User.by_login("kasipem")
    LetterDay.delete().execute()
    letter = make_request()
    letter.apply("ajukan", budi)
    assert letter_counts() == [("domisili", 1, 0, 0, 0)]
    assert ActiveResident.select().count() == before + 1  # Budi, active this month
    letter.apply("kembalikan", kasi, note="KTP buram", category="berkas_tidak_jelas")
    assert letter_counts() == [("domisili", 1, 1, 0, 0)] and decisions("diajukan") == 1
    letter.apply("ajukan", budi)  # sent again: the same request, not a new one
    letter.apply("kembalikan", kasi, note="Masih buram", category="berkas_tidak_jelas")
    assert letter_counts() == [("domisili", 1, 1, 0, 0)]  # returned counts the request once
    letter.apply("ajukan", budi)
    letter.apply("tolak", kasi, note="Bukan warga", category="bukan_wewenang")
    assert letter_counts() == [("domisili", 1, 1, 1, 0)] and decisions("diajukan") == 3
    assert ActiveResident.select().count() == before + 1  # once a month however often


def test_an_official_filing_at_the_counter_makes_no_resident_active(app, db):
    before = ActiveResident.select().count()
    letter = make_request()
    LetterEvent.create(request=letter, actor=User.by_login("operator"), role="operator",
                       action="ajukan", from_status="draf", to_status="diajukan")
    assert ActiveResident.select().count() == before


def test_an_event_undone_leaves_no_count(app, db):
    letter, budi = make_request(), User.by_login(BUDI)
    counted = table_rows()
    with pytest.raises(RuntimeError), db.atomic():
        LetterEvent.create(request=letter, actor=budi, role="warga", action="ajukan",
                           from_status="draf", to_status="diajukan")
        raise RuntimeError("the request's other writes failed")
    assert table_rows() == counted


def test_a_step_whose_notification_fails_counts_nothing(app, db, monkeypatch):
    letter = make_request(status="diajukan")
    LetterEvent.create(request=letter, role="warga", action="ajukan", from_status="draf",
                       to_status="diajukan", at=datetime.datetime(2026, 1, 5))
    counted = table_rows()

    def broken(event):
        raise RuntimeError("outbox down")
    monkeypatch.setattr(notices, "step_taken", broken)
    with pytest.raises(RuntimeError):
        letter.apply("setujui", User.by_login("kasipem"))
    assert table_rows() == counted


def test_days_and_months_are_the_villages_clock(app, db):
    LetterDay.delete().execute()
    LetterMonth.delete().execute()
    known_village.build()  # a request sent 23:00 WIB on 31 December, another 01:00 WIB 1 Feb
    days = {str(row.day) for row in LetterDay.select()}
    assert {"2025-12-31", "2026-02-01"} <= days and "2026-01-31" not in days
    assert {row.month for row in LetterMonth.select()} >= {"2025-12", "2026-02"}


def test_a_recount_from_the_events_finds_what_was_counted_live(app, db):
    known_village.build()
    letter = make_request()
    letter.apply("ajukan", User.by_login(BUDI))
    live = table_rows()
    assert live["letterday"] and live["steptime"] and live["activeresident"]
    assert recounted() == live


def test_budi_logging_in_is_active_this_month(login, db):
    budi = User.by_login(BUDI)
    ActiveResident.delete().execute()
    ActiveMonth.delete().execute()
    login.as_(BUDI)
    login.as_(BUDI)
    assert [row.account for row in ActiveResident.select()] == [budi.id]
    login.as_("kasipem")
    assert [row.residents for row in ActiveMonth.select()] == [1]
