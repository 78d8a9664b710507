"""`flask move-to URL --join --host HOST`: the demo village after some use on SQLite (a signed
letter, a syarat scan, notifications, the access log, the lapak and an order, news) joins a
PostgreSQL installation whose two villages hold rows with the same ids. Every row comes over
with a new id and its ids follow, the other villages stay as they were, the wall shows the new
village its rows alone, its residents log in there, its scan opens there and its next letter
takes the next number of its own register. Refused: a source of several villages, another
schema version, a host taken; run twice, nothing is copied twice."""
import io

import pytest

from balai import db as database
from balai.letters.models import Attachment, LetterEvent, LetterRequest
from balai.letters.register import RegisterEntry
from balai.letters.reminders import StepReminder
from balai.media import ImageSet, image_key
from balai.migrations import LATEST
from balai.move.ids import KEY, KEYED, LINK, LINKED, LOGGED
from balai.news.models import News, NewsIndex
from balai.notify.models import Notification
from balai.people.audit import AccessLogEntry
from balai.people.models import User
from balai.schema import MODELS, SchemaVersion
from balai.storage import Bucket, documents
from balai.tally.models import ActiveResident
from balai.villages.context import across_villages, village_context
from balai.villages.models import Village, VillageModel
from tests.conftest import make_app
from tests.support import postgres
from tests.support.backups import approve, run_command
from tests.support.stored import letter_bytes
from tests.support.village import BUDI, make_request
from tests.support.villages import HOST_A, client_on, login_on, second_village
from tests.test_move_to import sqlite_app, village  # noqa: F401 (the source village)

pytestmark = postgres.needs_postgres

HOST_C = "sukamulya.desa.test"


def store_url(store):
    """The --storage URL of an app's document store."""
    if isinstance(store, Bucket):
        return f"s3://{store.bucket}/{store.prefix.rstrip('/')}"
    return str(store.root)


def rows_by_village():
    """Every village table's rows, per village, as they are."""
    with across_villages():
        return {model: sorted(model.select().tuples()) for model in MODELS
                if issubclass(model, VillageModel)}


@pytest.fixture
def installation(app, app_settings, tmp_path):
    """The regency's installation on PostgreSQL: the demo village and Mekarjaya (the same demo
    rows, the same ids), a letter more issued in village 1; returns a maker of its app."""
    with app.app_context():
        second_village(app)
        kades = login_on(app, HOST_A, "kades")
        for _ in range(3):
            with village_context(1):
                letter = make_request(status="diperiksa")
            assert approve(kades, letter).status_code == 303
    return lambda: make_app(tmp_path, app_settings)


@pytest.fixture
def source(village):  # noqa: F811
    """The SQLite village, with what the demo lacks: a reminder, an open access log, a
    resident counted active; and its issued letter."""
    data_dir, issued = village
    app = sqlite_app(data_dir)
    with app.app_context():
        attachment, kasipem = Attachment.get(), User.get(User.username == "kasipem")
        draft = attachment.request
        for kind, object_id in (("lampiran", attachment.id), ("permohonan", draft.id),
                                ("penduduk", draft.person_id)):
            AccessLogEntry.record(kasipem, draft.person_id, kind, object_id, "Memeriksa")
        event = LetterEvent.select().order_by(LetterEvent.id.desc()).get()
        StepReminder.create(request=event.request, step="diajukan", since_event=event.id,
                            level="pengingat")
        ActiveResident.get_or_create(month="2026-01", account=User.by_login(BUDI).id)
        counts = {model: model.select().count() for model in (
            AccessLogEntry, StepReminder, ActiveResident, Notification, News, NewsIndex)}
    assert all(counts.values()), counts
    database.db.close()
    return data_dir, issued


def join(data_dir, target_app, *options, url=None):
    """Run the join (as the tables' owner unless another url is given)."""
    app = target_app()
    url, store = url or postgres.owner_url(), documents(app)
    database.db.close_all()
    result = run_command(sqlite_app(data_dir), "move-to", url, "--storage", store_url(store),
                         "--join", *options)
    database.db.close()
    return result


def test_a_village_joins_the_regency_and_numbers_its_next_letter_from_its_register(
        source, installation):
    data_dir, letter = source
    app = installation()
    with app.app_context():
        before = rows_by_village()
    database.db.close_all()

    joined = join(data_dir, installation, "--host", HOST_C)
    assert joined.exit_code == 0, joined.output
    assert "bergabung sebagai desa nomor 3" in joined.output
    assert "letterrequest: 2 baris" in joined.output and "attachment: 1 baris" in joined.output

    app = installation()
    with app.app_context():
        after = rows_by_village()
        assert Village.get_by_id(3).host == HOST_C
    for model, rows in before.items():  # villages 1 and 2 as they were
        assert [row for row in after[model] if row[-1] != 3] == rows, model
    with village_context(3):
        every_id_names_a_row_of_the_village()
        seq = RegisterEntry.select().order_by(RegisterEntry.seq.desc()).get().seq
        attachment, old = Attachment.get(), LetterRequest.get(LetterRequest.number == letter.number)
        pdf = letter_bytes(app, old.pdf_file)  # under villages/3/letters/
        pictures = [name for row in News.select().where(News.image.is_null(False))
                    for name in ImageSet.from_dict(row.image).names()]
        assert pictures and all(documents(app).exists(image_key(name)) for name in pictures)
    page = client_on(app, HOST_C).post("/verifikasi", content_type="multipart/form-data",
                                       data={"berkas": (io.BytesIO(pdf), "surat.pdf")})
    assert "ASLI" in page.get_data(as_text=True) and letter.number in page.get_data(as_text=True)

    budi = login_on(app, HOST_C, BUDI)  # the password hash came along
    scan = budi.get(f"/surat/{attachment.request_id}/lampiran/{attachment.id}")
    assert scan.status_code == 200 and scan.data.startswith(b"%PDF")
    with village_context(3):
        letter = make_request(status="diperiksa")
        assert approve(login_on(app, HOST_C, "kades"), letter).status_code == 303
        entry = RegisterEntry.get(RegisterEntry.request == letter.id)
        issued = LetterRequest.get_by_id(letter.id)
        assert entry.seq == seq + 1 and f"/{seq + 1:03}/" in issued.number and issued.pdf_file
    with village_context(1):  # village 1's register is further on
        assert RegisterEntry.select().order_by(RegisterEntry.seq.desc()).get().seq > seq + 1

    again = join(data_dir, installation, "--host", HOST_C)  # the village has changed since
    assert again.exit_code != 0 and f"Host {HOST_C} sudah dipakai" in again.output


def every_id_names_a_row_of_the_village():
    """Every foreign key and every id kept without one names a row the village (3) sees."""
    def names_a_row(model, id):
        assert model.get_or_none(model._meta.primary_key == id) is not None, (model, id)
    for model in MODELS:
        for field in model._meta.sorted_fields if issubclass(model, VillageModel) else ():
            if hasattr(field, "rel_model") and field.name != "village":
                seen = {key for (key,) in field.rel_model.select(field.rel_model.id).tuples()}
                named = {key for (key,) in model.select(field).tuples() if key is not None}
                assert named <= seen, (model, field.name)
    for entry in AccessLogEntry.select():
        names_a_row(LOGGED[entry.kind], entry.object_id)
    for reminder in StepReminder.select():
        assert LetterEvent.get_by_id(reminder.since_event).request_id == reminder.request_id
    for active in ActiveResident.select():
        names_a_row(User, active.account)
    for notification in Notification.select():
        for pattern, tables, text in ((KEY, KEYED, notification.key),
                                      (LINK, LINKED, notification.link)):
            found = pattern.fullmatch(text)
            if found and found["name"] in tables:
                names_a_row(tables[found["name"]], int(found["id"]))
    with across_villages():
        news = {row.id for row in News.select().where(News.village == 3)}
        assert news and {row.rowid for row in NewsIndex.select()} >= news


def test_the_app_role_joins_through_the_wall_and_sees_the_joined_rows_alone(
        source, installation):
    data_dir, _ = source
    app = installation()
    assert f"//{postgres.APP_ROLE}@" in app.config["DATABASE_URL"]  # walled, owns nothing
    joined = join(data_dir, installation, "--host", HOST_C, url=app.config["DATABASE_URL"])
    assert joined.exit_code == 0, joined.output
    app = installation()
    with app.app_context(), village_context(3):  # the app's role: the wall keeps it there
        seen = database.db.execute_sql("SELECT DISTINCT village_id FROM person").fetchall()
        letters = database.db.execute_sql("SELECT count(*) FROM letterrequest").fetchone()
    assert seen == [(3,)] and letters == (2,)
    assert client_on(app, HOST_C).get("/").status_code == 200


def test_running_it_again_copies_nothing(source, installation):
    data_dir, _ = source
    assert join(data_dir, installation, "--host", HOST_C).exit_code == 0
    app = installation()
    with app.app_context():
        before = rows_by_village()
    database.db.close_all()
    for host in (HOST_C, "lain.desa.test"):  # found by its host, or by its name and rows
        again = join(data_dir, installation, "--host", host)
        assert again.exit_code == 0, again.output
        assert "sudah bergabung sebagai desa nomor 3" in again.output
    app = installation()
    with app.app_context():
        assert rows_by_village() == before


def test_refusals(source, installation):
    data_dir, _ = source
    taken = join(data_dir, installation, "--host", HOST_A)
    assert taken.exit_code != 0 and f"Host {HOST_A} sudah dipakai" in taken.output

    app = installation()
    with app.app_context():
        SchemaVersion.update(version=LATEST - 1).execute()
    database.db.close_all()
    older = join(data_dir, installation, "--host", HOST_C)
    assert older.exit_code != 0 and f"tujuan versi {LATEST - 1}" in older.output

    source_app = sqlite_app(data_dir)
    with source_app.app_context(), database.db.connection_context():
        Village.create(name="Desa Lain", host="lain.desa.test")
    database.db.close()
    several = join(data_dir, installation, "--host", HOST_C)
    assert several.exit_code != 0 and "Sumber melayani 2 desa" in several.output
    app = installation()
    with app.app_context():
        assert Village.select().count() == 2
