"""`flask backup` and `restore` of a village whose documents live in a bucket: the backup
folder holds the objects under the same names as a folder village's files; a restore puts them
into the bucket of the village it restores, which then still signs and checks its letters."""
import io
import json

import pytest

from balai import create_app
from balai.db import db as database
from balai.demo import seed
from balai.letters.models import Attachment, LetterRequest
from balai.storage import Bucket, documents
from tests.support.backups import other_database
from tests.support.files import pdf_bytes, upload
from tests.support.s3 import BUCKET, client, object_keys
from tests.support.village import Login, make_request


@pytest.fixture
def app_settings(on_s3):
    return on_s3


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def issue_letter(app):
    letter = make_request(status="diperiksa")
    kades = Login(app).as_("kades")
    assert kades.post(f"/kotak-masuk/{letter.id}", data={
        "action": "setujui", "version": letter.version,
        "passphrase": seed.DEMO_SIGNING_PASSPHRASE}).status_code == 303
    return LetterRequest.get_by_id(letter.id)


def checks_as_asli(app, letter):
    pdf = documents(app).get(f"letters/{letter.pdf_file}")
    page = app.test_client().post("/verifikasi", data={"berkas": (io.BytesIO(pdf), "surat.pdf")},
                                  content_type="multipart/form-data").get_data(as_text=True)
    return "ASLI" in page and letter.number in page


def test_a_bucket_village_is_backed_up_into_a_folder_and_restored_into_a_bucket(
        app, s3, db, tmp_path_factory, budi):
    with other_database() as elsewhere:
        backed_up_and_restored(app, s3, tmp_path_factory, budi, elsewhere)


def backed_up_and_restored(app, s3, tmp_path_factory, budi, database_settings):
    """database_settings: the restored village's own database (a new one on PostgreSQL)."""
    letter = issue_letter(app)
    draft = make_request()
    budi.post(f"/surat/{draft.id}/syarat", content_type="multipart/form-data",
              data={"syarat-ktp": upload(pdf_bytes(), "ktp.pdf")})
    source = documents(app).prefix
    objects = {key.removeprefix(source) for key in object_keys(s3, source)}
    target = tmp_path_factory.mktemp("cadangan") / "malam-ini"
    result = run(app, "backup", str(target))
    assert result.exit_code == 0, result.output

    listed = {entry["path"] for entry in json.loads((target / "manifest.json").read_text())["files"]}
    assert objects <= listed and ("balai.pgdump" if database_settings else "balai.db") in listed
    for key in objects:
        assert (target / key).read_bytes() == client(s3).get_object(
            Bucket=BUCKET, Key=source + key)["Body"].read()

    database.close()
    fresh = tmp_path_factory.mktemp("pulih")
    village = create_app({"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                          "DATA_DIR": str(fresh), "STORAGE_URL": f"s3://{BUCKET}/desa",
                          **database_settings})
    store = documents(village)
    assert isinstance(store, Bucket) and store.prefix != source
    restored = run(village, "restore", str(target))
    assert restored.exit_code == 0, restored.output
    assert {key.removeprefix(store.prefix) for key in object_keys(s3, store.prefix)} == objects
    assert not (fresh / "uploads").exists() and not (fresh / "keys").exists()

    village = create_app({"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                          "DATA_DIR": str(fresh), "STORAGE_URL": f"s3://{BUCKET}/desa",
                          **database_settings})
    assert Attachment.select().count() == 1
    assert checks_as_asli(village, LetterRequest.get_by_id(letter.id))
    new = issue_letter(village)
    assert new.number != letter.number and checks_as_asli(village, new)

    client(s3).put_object(Bucket=BUCKET, Key=f"{store.prefix}uploads/sesudahnya.pdf", Body=b"x")
    refused = run(village, "restore", str(target))
    assert refused.exit_code != 0 and "--force" in refused.output
    assert run(village, "restore", "--force", str(target)).exit_code == 0
    assert {key.removeprefix(store.prefix) for key in object_keys(s3, store.prefix)} == objects
