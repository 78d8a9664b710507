"""Migration 0010 fills the count tables from the events a village already kept, and finds
exactly what counting as the events happen finds."""
import importlib

import pytest

from balai.letters.models import LetterEvent
from balai.people.models import User
from tests.figures import known_village
from tests.regency.counts import table_rows
from tests.support.migrations import downgraded
from tests.support.village import BUDI, make_request

BEFORE_COUNTS = 9  # the version before the count tables


@pytest.mark.parametrize("flush", [20000, 3])  # counts written at the end, or every 3 requests
def test_the_backfill_equals_live_counting(app, db, tmp_path, monkeypatch, flush):
    monkeypatch.setattr(importlib.import_module("balai.migrations.0011_daily_counts"), "FLUSH",
                        flush)
    known_village.build()
    for status in ("draf", "draf"):
        letter = make_request(status=status)
        letter.apply("ajukan", User.by_login(BUDI))
    live = table_rows()
    assert LetterEvent.select().count() > 20 and all(live.values())
    db.close()
    downgraded(tmp_path, BEFORE_COUNTS)
    result = app.test_cli_runner().invoke(args=["migrate", "--no-backup"])
    assert result.exit_code == 0, result.output
    assert table_rows() == live
