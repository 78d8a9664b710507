"""Many made-up villages in one installation (`flask seed-bulk --villages N`): village 1 and test
villages founded from the template, each with its own officials, residents and letters (their
timelines and daily counts), nothing of another village's; running it again, also after a run
killed half-way, adds nothing twice."""
import re
import signal
import subprocess
import sys

from balai.db import db
from balai.demo import bulk
from balai.founding.village import village_ids
from balai.letters.models import LetterEvent, LetterRequest, LetterType
from balai.people.models import Person, User
from balai.villages.context import village_context
from balai.villages.models import Village
from tests.regency.counts import recounted, table_rows
from tests.support import postgres
from tests.support.villages import login_on

SMALL = ["--villages", "3", "--residents-per-village", "20", "--letters-per-village", "50"]


def seed_bulk(app, args=SMALL):
    result = app.test_cli_runner().invoke(args=["seed-bulk", *args])
    assert result.exit_code == 0, result.output
    return result.output


def holdings():
    """{village id: (bulk residents, distinct NIKs, accounts, bulk letters, events)}."""
    held = {}
    with db.connection_context():
        ids = village_ids()
    for village_id in ids:
        with db.connection_context(), village_context(village_id):
            people = Person.select().where(Person.nik.startswith(bulk.NIK_PREFIX))
            letters = LetterRequest.select().where(LetterRequest.form_key.startswith("bulk"))
            held[village_id] = (
                people.count(), len({person.nik for person in people}),
                User.select().where(User.person.in_(people)).count(), letters.count(),
                LetterEvent.select().where(LetterEvent.request.in_(letters)).count())
    return held


def assert_letters_have_their_timelines_and_counts(village_id):
    """Each bulk letter's events lead to its status; the count tables are what they count."""
    with db.connection_context(), village_context(village_id):
        for letter in LetterRequest.select().where(LetterRequest.form_key.startswith("bulk")):
            steps = [event.to_status for event in letter.timeline()]
            assert steps[-1:] == ([] if letter.status == "draf" else [letter.status])
        counted = table_rows()
        assert counted["letterday"] and recounted() == counted


def test_each_village_holds_its_own_residents_letters_and_counts(app):
    output = seed_bulk(app)
    assert "Desa 3/3 (nomor 3): 20 warga, 50 surat" in output
    held = holdings()
    assert list(held) == [1, 2, 3]
    assert all(row[:4] == (20, 20, 20, 50) and row[4] > 100 for row in held.values())
    with db.connection_context():
        assert [v.host for v in Village.select().order_by(Village.id)] == [
            "desa-uji-001.desa.test", "desa-uji-002.desa.test", "desa-uji-003.desa.test"]
        for village_id in held:
            with village_context(village_id):
                assert LetterType.select().count() > 5  # village 1's, copied
                assert {u.username for u in User.select().where(User.username.is_null(False))
                        } >= {"kasipem", "kasikesra", "sekdes", "kades"}
            assert_letters_have_their_timelines_and_counts(village_id)
        with village_context(1):
            assert Person.select().where(Person.name == "Budi Santoso").exists()  # the demo's


def test_a_village_inbox_shows_its_own_letters_alone(app):
    seed_bulk(app)
    with db.connection_context():
        ids = {}
        for village_id in (2, 3):
            with village_context(village_id):
                ids[village_id] = {letter.id for letter in LetterRequest.select()}
    page = login_on(app, "desa-uji-002.desa.test", "kasipem").get("/kotak-masuk")
    shown = {int(n) for n in re.findall(r'href="/kotak-masuk/(\d+)"', page.get_data(as_text=True))}
    assert shown and shown <= ids[2] and not shown & ids[3]


def test_a_killed_run_is_continued_and_a_run_again_adds_nothing(app):
    env = postgres.server_env(app.config["DATA_DIR"], PYTHONUNBUFFERED="1")
    args = ["--villages", "3", "--residents-per-village", "300", "--letters-per-village", "3000"]
    run = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "seed-bulk", *args],
                           env=env, stdout=subprocess.PIPE, text=True)
    assert run.stdout.readline().startswith("Desa 1/3")
    run.send_signal(signal.SIGKILL)  # village 2 half-way through its transaction
    run.wait()
    run.stdout.close()
    assert "Desa 1/3 (nomor 1): sudah terisi" in seed_bulk(app, args)
    full = {village_id: (300, 300, 300, 3000) for village_id in (1, 2, 3)}
    held = holdings()
    assert {village_id: row[:4] for village_id, row in held.items()} == full
    for village_id in full:
        assert_letters_have_their_timelines_and_counts(village_id)
    with db.connection_context(), village_context(2):
        counted = table_rows()
    output = seed_bulk(app, args)
    assert output.count("sudah terisi") == 3
    assert holdings() == held
    with db.connection_context(), village_context(2):
        assert table_rows() == counted
