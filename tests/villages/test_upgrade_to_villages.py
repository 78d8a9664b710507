"""A one-village database of version 9 upgrades (step 0010) with all its data to village 1: its
letters keep their numbers and files, its register goes on, and its village answers on any
host until a second one is added."""
from balai.letters.issuance import letter_key
from balai.letters.models import LetterRequest
from balai.letters.register import RegisterEntry
from balai.storage import documents
from tests.support.migrations import downgraded, opened, row_counts, village_at_work
from tests.support.signing import approve, reloaded
from tests.support.village import make_request
from tests.support.villages import login_on


def test_a_version_9_village_upgrades_with_its_letters_numbers_and_files(app, db, tmp_path):
    village_at_work(app)
    with_numbers = {(letter.id, letter.number, letter.pdf_file)
                    for letter in LetterRequest.select().where(LetterRequest.number.is_null(False))}
    last_seq = max(entry.seq for entry in RegisterEntry.select())
    db.close()
    downgraded(tmp_path, 9)
    before = row_counts(tmp_path)
    result = app.test_cli_runner().invoke(args=["migrate", "--no-backup"])
    assert result.exit_code == 0, result.output
    after = row_counts(tmp_path)
    assert {table: after[table] for table in before} == before  # every row kept
    with opened(tmp_path) as database:
        villages = {row[0] for table in ("letterrequest", "person", "registerentry", "user")
                    for row in database.execute_sql(f'SELECT DISTINCT village_id FROM "{table}"')}
    assert villages == {1}
    assert with_numbers and with_numbers == {
        (letter.id, letter.number, letter.pdf_file)
        for letter in LetterRequest.select().where(LetterRequest.number.is_null(False))}
    assert all(documents(app).exists(letter_key(pdf)) for _, _, pdf in with_numbers)
    letter = make_request(status="diperiksa")
    assert approve(login_on(app, "any.host.test", "kades"), letter).status_code == 303
    assert RegisterEntry.get(RegisterEntry.request == letter).seq == last_seq + 1
    assert reloaded(letter).status == "selesai"
