"""Syarat scans are kept no longer than SYARAT_RETENTION_DAYS after a request is finished: the
sweep deletes them, while the issued letter, the register and the timeline stay."""
import datetime

from balai.db import now
from balai.letters.models import Attachment, LetterEvent, LetterRequest
from balai.letters.register import RegisterEntry
from balai.letters.uploads import upload_key
from balai.storage import documents
from tests.support.routes import with_attachment
from tests.support.village import make_request


def finished_days_ago(letter, days):
    (LetterRequest.update(updated_at=now() - datetime.timedelta(days=days))
     .where(LetterRequest.id == letter.id).execute())
    return letter


def sweep(app):
    app.extensions["queue"].recover()  # what the worker does at start and every few minutes


def scans_of(letter):
    return list(Attachment.select().where(Attachment.request == letter.id))


def test_the_sweep_deletes_old_scans_of_finished_requests_only(app, objects, budi):  # noqa: F811
    _, (issued, issued_scan) = objects["letters"]
    with app.app_context():
        refused = with_attachment(make_request(status="ditolak"))
        recent = with_attachment(make_request(status="dibatalkan"))
        draft = with_attachment(make_request(status="draf"))
    LetterEvent.create(request=refused.request, role="kasi_pem", action="tolak",
                       from_status="diajukan", to_status="ditolak", note="KK bukan milik Anda")
    finished_days_ago(issued, 400)
    finished_days_ago(refused.request, 366)
    finished_days_ago(recent.request, 300)
    finished_days_ago(draft.request, 900)  # still the resident's to finish
    sweep(app)
    with app.app_context():
        for gone in (issued_scan, refused):
            assert not documents().exists(upload_key(gone.stored_name))
        for kept in (recent, draft):
            assert documents().exists(upload_key(kept.stored_name))
    assert not scans_of(issued) and not scans_of(refused.request)
    assert scans_of(recent.request) and scans_of(draft.request)
    assert budi.get(f"/surat/{issued.id}/unduh").status_code == 200  # the letter stays
    assert RegisterEntry.get(RegisterEntry.request == issued.id).number == issued.number
    page = budi.get(f"/surat/{refused.request.id}").get_data(as_text=True)
    assert "berkas dihapus setelah masa simpan" in page
    assert "Berkas syarat dihapus setelah masa simpan oleh sistem" in page  # on the timeline
    assert "Catatan petugas:</strong> KK bukan milik Anda" in page  # the refusal still says why
    assert "berkas dihapus" not in budi.get(f"/surat/{recent.request.id}").get_data(as_text=True)


def test_the_time_kept_is_a_setting_and_a_second_sweep_changes_nothing(app, db):
    app.config["SYARAT_RETENTION_DAYS"] = 30
    with app.app_context():
        scan = with_attachment(make_request(status="dibatalkan"))
    finished_days_ago(scan.request, 29)
    sweep(app)
    assert scans_of(scan.request)
    finished_days_ago(scan.request, 31)
    sweep(app)
    sweep(app)
    assert not scans_of(scan.request)
    assert LetterEvent.select().where(LetterEvent.request == scan.request,
                                      LetterEvent.action == "hapus_syarat").count() == 1


def test_the_queue_knows_the_task_and_the_default_is_a_year(app):
    queue = app.extensions["queue"]
    assert "forget_syarat" in queue.tasks and "forget_syarat" in queue.unfinished
    assert app.config["SYARAT_RETENTION_DAYS"] == 365
