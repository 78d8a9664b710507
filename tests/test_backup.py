"""`flask backup` and `flask restore`: a backup taken while residents upload restores into a
village that still signs letters; a damaged backup, or a data dir that holds data, is refused."""
import json
import os
import stat
import time
from pathlib import Path

import pytest

from balai import backup, create_app
from balai.letters.issuance import letter_key
from balai.letters.models import Attachment, LetterRequest
from balai.letters.uploads import upload_key
from balai.storage import documents
from tests.support.backups import (
    Writer,
    backup_under_a_writer,
    checks_as_asli,
    issue_letter,
    run_command,
)
from tests.support.files import pdf_bytes
from tests.support.postgres import sqlite_only
from tests.support.village import make_request

pytestmark = sqlite_only("these backups copy its files (PostgreSQL's: tests/db)")

CONFIG = {"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False}


def private(folder):
    """Whether the folder and everything in it is readable by its owner only."""
    modes = [(folder, 0o700)] + [(Path(parent) / name, 0o700 if name in dirs else 0o600)
                                 for parent, dirs, files in os.walk(folder)
                                 for name in dirs + files]
    return all(stat.S_IMODE(path.stat().st_mode) == mode for path, mode in modes)


@pytest.fixture
def folders(tmp_path_factory):
    """A folder for the backup and one for a fresh data dir, both outside the test's data dir."""
    return tmp_path_factory.mktemp("cadangan") / "malam-ini", tmp_path_factory.mktemp("pulih")


def test_a_backup_taken_while_residents_upload_restores_a_village_that_still_signs(
        app, db, folders):
    target, fresh = folders
    old = issue_letter(app)
    result = backup_under_a_writer(app, target)
    assert result.exit_code == 0, result.output
    assert "Cadangan selesai" in result.output and private(target)

    db.close()
    restored = run_command(create_app({**CONFIG, "DATA_DIR": str(fresh)}), "restore", str(target))
    assert restored.exit_code == 0, restored.output
    assert private(fresh)

    village = create_app({**CONFIG, "DATA_DIR": str(fresh)})
    assert Attachment.select().count() >= 1
    assert all(documents(village).exists(upload_key(a.stored_name)) for a in Attachment.select())
    issued = LetterRequest.select().where(LetterRequest.pdf_file.is_null(False))
    assert issued.count() >= 2
    assert all(documents(village).exists(letter_key(letter.pdf_file)) for letter in issued)
    assert checks_as_asli(village, LetterRequest.get_by_id(old.id))
    new = issue_letter(village)
    assert new.pdf_file and new.number != old.number and checks_as_asli(village, new)


def test_a_scan_replaced_once_the_database_is_copied_is_deleted_only_after_the_backup(
        app, db, folders, monkeypatch):
    """A resident sends a new scan after the backup copied the files but before it copies the
    database, then replaces it again at once. The copy of the database names the scan in
    between, which nothing had copied yet: deleting it waits until the backup has."""
    target, _ = folders
    request = make_request()
    copy_database = backup.copy_database

    def scan_of(request):
        return getattr(Attachment.get_or_none(Attachment.request == request), "stored_name", None)

    def replaced(before):
        resident = Writer(app, request, times=1)
        resident.start()
        while scan_of(request) == before:  # its row is in; deleting the old file may wait
            time.sleep(0.01)
        return resident

    def replaced_around(live, path):
        residents.append(replaced(None))
        copy_database(live, path)
        named.append(scan_of(request))
        residents.append(replaced(named[0]))
        time.sleep(0.3)  # time enough to delete the file the copy names, were it not held
    residents, named = [], []
    monkeypatch.setattr(backup, "copy_database", replaced_around)
    result = run_command(app, "backup", str(target))
    for resident in residents:
        resident.join(10)
        assert resident.error is None and resident.done == 1
    assert result.exit_code == 0, result.output
    assert (target / "uploads" / named[0]).is_file()
    assert not documents(app).exists(upload_key(named[0]))
    listed = {entry["path"] for entry in json.loads((target / "manifest.json").read_text())["files"]}
    assert backup.files_named_in(target / "balai.db") <= listed


@pytest.fixture
def backed_up(app, db, folders):
    target, fresh = folders
    issue_letter(app)
    assert run_command(app, "backup", str(target)).exit_code == 0
    db.close()
    return target, fresh


def flip_a_byte(target):
    data = bytearray((target / "balai.db").read_bytes())
    data[len(data) // 2] ^= 1
    (target / "balai.db").write_bytes(bytes(data))


def remove_a_key(target):
    next((target / "keys").glob("*.p12")).unlink()


def add_a_file(target):
    (target / "letters" / "sisipan.pdf").write_bytes(pdf_bytes())


def climb_out(target):
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["files"].append({"path": "../luar.txt", "size": 0, "sha256": ""})
    (target / "manifest.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize("tamper, says", [
    (flip_a_byte, "balai.db: isinya berubah"),
    (remove_a_key, ".p12: tidak ada"),
    (add_a_file, "letters/sisipan.pdf: tidak tercatat"),
    (climb_out, "../luar.txt: nama berkas tidak sah"),
])
def test_a_damaged_backup_is_refused_before_anything_is_written(backed_up, tamper, says):
    target, fresh = backed_up
    tamper(target)
    result = run_command(create_app({**CONFIG, "DATA_DIR": str(fresh)}), "restore", str(target))
    assert result.exit_code != 0 and "rusak atau diubah" in result.output and says in result.output
    assert all(path.is_dir() and not any(path.iterdir()) for path in fresh.iterdir())


def test_a_data_dir_that_holds_data_is_replaced_only_with_force(backed_up):
    target, fresh = backed_up
    app = create_app({**CONFIG, "DATA_DIR": str(fresh)})
    assert run_command(app, "restore", str(target)).exit_code == 0
    (fresh / "uploads").mkdir(exist_ok=True)
    (fresh / "uploads" / "sesudahnya.pdf").write_bytes(pdf_bytes())
    (fresh / "balai.db-wal").write_bytes(b"a stale log must not be replayed")
    (fresh / "worker.log").write_text("kept")
    refused = run_command(app, "restore", str(target))
    assert refused.exit_code != 0 and "--force" in refused.output
    assert (fresh / "uploads" / "sesudahnya.pdf").exists()
    assert run_command(app, "restore", "--force", str(target)).exit_code == 0
    assert not (fresh / "uploads" / "sesudahnya.pdf").exists()
    assert not (fresh / "balai.db-wal").exists() and (fresh / "worker.log").read_text() == "kept"
    assert LetterRequest.select().where(LetterRequest.pdf_file.is_null(False)).count() == 1


def test_a_backup_goes_to_a_new_or_empty_folder_outside_the_data_dir(app, folders):
    target, _ = folders
    inside = run_command(app, "backup", str(Path(app.config["DATA_DIR"]) / "cadangan"))
    assert inside.exit_code != 0 and "di dalam folder data" in inside.output
    target.mkdir()
    (target / "lain.txt").write_text("milik orang lain")
    taken = run_command(app, "backup", str(target))
    assert taken.exit_code != 0 and "sudah berisi" in taken.output
    assert os.listdir(target) == ["lain.txt"]
