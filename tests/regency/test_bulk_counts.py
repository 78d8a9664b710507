"""The bulk village (`flask seed-bulk`) comes with its letters' timelines, counted the way the
events count live: the count tables equal a recount from every LetterEvent."""
from balai.demo import bulk
from balai.letters.models import LetterEvent, LetterRequest
from balai.tally.models import StepTime
from tests.regency.counts import recounted, table_rows


def test_bulk_letters_have_timelines_and_their_counts(app, db):
    bulk.seed_residents(20)
    bulk.seed_letters(500)
    bulk.seed_letters(50)  # a second run counts only what it adds
    issued = (LetterRequest.select().where(LetterRequest.form_key.startswith("bulk")
                                           & (LetterRequest.status == "selesai")).first())
    assert [e.action for e in issued.timeline()] == ["ajukan", "setujui", "setujui", "setujui",
                                                     "terbit"]
    assert issued.timeline()[-1].at == issued.issued_at
    assert LetterEvent.select().join(LetterRequest).where(
        LetterRequest.form_key.startswith("bulk")).count() > 1000
    counted = table_rows()
    assert sum(row.decisions for row in StepTime.select()) > 800
    assert recounted() == counted
