"""Pages stay fast on a big village: the inbox reads an index, never a whole table, and caps."""
import pytest

from balai.db import db as database
from balai.letters.models import LetterRequest
from balai.people.models import User
from tests.support.postgres import sqlite_only
from tests.support.village import make_request


@sqlite_only("its query planner (PostgreSQL's chooses by table size)")
@pytest.mark.parametrize("role", ["kasi_pem", "kasi_kesra", "sekdes", "kades"])
def test_inbox_query_uses_the_status_index(db, role):
    query = LetterRequest.inbox_for(User.get(User.role == role))
    for sql, params in (query.limit(50).sql(), query.sql()):
        plan = " | ".join(row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
        assert "USING INDEX letterrequest_village_id_status_submitted_at" in plan, plan
        assert "SCAN" not in plan, plan


def test_inbox_shows_the_oldest_fifty_and_the_count(db, kasipem):
    for _ in range(53):
        make_request(status="diajukan")
    html = kasipem.get("/kotak-masuk").get_data(as_text=True)
    assert html.count('<form class="row"') == 50
    assert "50 permohonan terlama dari 53" in html
