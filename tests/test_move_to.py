"""`flask move-to`: a SQLite village after some use (a signed letter, a syarat scan, news and the
lapak with their pictures, an order) moves to a PostgreSQL schema and a bucket, every row
compared; the app on the target checks the old letter as ASLI and signs a new one. The source is
not changed, a rerun is safe, a target holding other rows is replaced only when told."""
import hashlib
import sqlite3
from contextlib import closing

import pytest

from balai import create_app, schema
from balai import db as database
from balai.demo import seed
from balai.letters.models import Attachment, LetterRequest
from balai.market.models import ProductPhoto
from balai.media import ImageSet, image_key
from balai.news.models import News
from balai.people.models import Person
from balai.storage import Folder, documents
from tests.support import postgres
from tests.support.backups import checks_as_asli, issue_letter, run_command
from tests.support.files import pdf_bytes, upload
from tests.support.migrations import village_at_work
from tests.support.s3 import BUCKET
from tests.support.village import BUDI, Login, make_request

pytestmark = postgres.needs_postgres

CONFIG = {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
          "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"}


def sqlite_app(data_dir):
    return create_app({**CONFIG, "DATA_DIR": str(data_dir), "STORAGE_URL": "",
                       "DATABASE_URL": f"sqlite:///{data_dir}/balai.db"})


def target_app(data_dir, url):
    return create_app({**CONFIG, "DATA_DIR": str(data_dir), "DATABASE_URL": url,
                       "STORAGE_URL": f"s3://{BUCKET}/pindahan"})


def fingerprint(data_dir):
    """The SQLite database's whole content, as SQL text's digest."""
    with closing(sqlite3.connect(data_dir / "balai.db")) as connection:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()


@pytest.fixture
def village(tmp_path_factory):
    """The demo village on SQLite, its documents in its data dir, after some use."""
    data_dir = tmp_path_factory.mktemp("desa-sqlite")
    app = sqlite_app(data_dir)
    schema.create_tables()
    with app.app_context(), database.db.connection_context():
        seed.seed_demo(Folder(data_dir), CONFIG["PASSWORD_HASH_METHOD"])
    village_at_work(app)
    letter = LetterRequest.select().where(LetterRequest.pdf_file.is_null(False)).get()
    draft = make_request()
    Login(app).as_(BUDI).post(f"/surat/{draft.id}/syarat", content_type="multipart/form-data",
                              data={"syarat-ktp": upload(pdf_bytes(), "ktp.pdf")})
    assert Attachment.select().count() == 1 and News.select().where(News.image_key.is_null(False)).count()
    database.db.close()
    return data_dir, letter


@pytest.fixture
def target(tmp_path_factory):
    """An empty PostgreSQL schema, and the data dir of the node that will serve it."""
    name, url = postgres.empty_schema()
    yield url, tmp_path_factory.mktemp("node")
    postgres.drop_schema(name)


def move(data_dir, url, store, *options):
    result = run_command(sqlite_app(data_dir), "move-to", url, "--storage", store, *options)
    database.db.close()
    return result


def test_a_village_moves_to_postgresql_and_a_bucket_and_signs_there(village, target):
    data_dir, letter = village
    url, node = target
    bucket = documents(target_app(node, url))  # its prefix: the test's own (tests/conftest.py)
    store = f"s3://{bucket.bucket}/{bucket.prefix.rstrip('/')}"
    before = fingerprint(data_dir)
    moved = move(data_dir, url, store)
    assert moved.exit_code == 0, moved.output
    assert "Semua baris disalin dan dibandingkan" in moved.output
    assert "letterrequest: 2 baris" in moved.output and "attachment: 1 baris" in moved.output
    assert "diperiksa (ukuran dan SHA-256)" in moved.output
    assert fingerprint(data_dir) == before

    again = move(data_dir, url, store)
    assert again.exit_code == 0, again.output
    assert "sudah memuat salinan yang sama" in again.output and " 0 disalin" in again.output

    app = target_app(node, url)
    assert checks_as_asli(app, LetterRequest.get_by_id(letter.id))
    assert documents(app).exists(f"uploads/{Attachment.get().stored_name}")
    photos = [ImageSet.from_dict(photo.image) for photo in ProductPhoto.select()]
    assert photos and all(documents(app).exists(image_key(name))
                          for photo in photos for name in photo.names())
    first = News.select().order_by(News.id).first()
    assert first in News.search(first.title.split()[0])  # the search table works there
    new = issue_letter(app)  # the sequences are past the copied ids
    assert new.id > letter.id and new.number != letter.number and checks_as_asli(app, new)
    Person.update(name="Nama Lain").where(Person.nik == BUDI).execute()
    budi = Person.get(Person.nik == BUDI).id
    database.db.close()

    refused = move(data_dir, url, store)
    assert refused.exit_code != 0 and "--replace" in refused.output
    assert f"tabel person, baris id={budi}: kolom name berbeda" in refused.output
    replaced = move(data_dir, url, store, "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert "dihapus (--replace)" in replaced.output
    target_app(node, url)
    assert LetterRequest.get_or_none(LetterRequest.id == new.id) is None
    assert fingerprint(data_dir) == before
