"""The made-up bulk village for load tests (`flask seed-bulk`): on PostgreSQL its rows go in with
COPY, which skips the model's defaults and peewee altogether; the rows come out as insert_many
makes them on SQLite, and the change stamp moves as for any other write."""
from balai.db import change_stamp
from balai.demo import bulk
from balai.letters.models import LetterRequest
from balai.people.models import Person, User


def test_bulk_residents_and_letters_are_whole_rows(app, db):
    before = change_stamp()
    assert bulk.seed_residents(30) == 30
    assert bulk.seed_letters(400) == 400
    assert change_stamp() != before  # every node's page cache sees the new rows
    people = Person.select().where(Person.nik.startswith(bulk.NIK_PREFIX))
    assert people.count() == 30
    assert {(p.citizenship, p.religion) for p in people} == {("WNI", "")}  # the defaults
    assert User.select().join(Person).where(Person.nik.startswith(bulk.NIK_PREFIX)).count() == 30
    letters = LetterRequest.select().where(LetterRequest.form_key.startswith("bulk"))
    assert letters.count() == 400
    newest = letters.order_by(LetterRequest.id.desc()).get()
    assert newest.fields == {} and newest.version == 0 and newest.status in bulk.WAITING
    issued = letters.where(LetterRequest.status == "selesai").first()
    assert issued.number.endswith("/BULK") and issued.issued_at
    assert bulk.seed_residents(5) == 35  # a second run adds after what is there
