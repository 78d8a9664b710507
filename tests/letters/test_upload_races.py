"""Syarat uploads against sending (two tabs, a slow htmx request): the check and the change
happen in one transaction, so a request is never sent without its mandatory syarat and never
changed once sent; a file is kept only when its row committed, and a sweep removes strays."""
import os
import random
import secrets
import threading
import time

import pytest

from balai.letters.models import Attachment, LetterRequest
from balai.media import process_image
from balai.news.models import News
from balai.storage import documents
from balai.villages.models import Village
from tests.support.files import image_bytes, upload
from tests.support.stored import folder_only, put_upload, stored_keys, stored_names
from tests.support.village import BUDI, make_request

ROUNDS = 40


@pytest.fixture
def tabs(login):
    """The same resident in two tabs."""
    return login.as_(BUDI), login.as_(BUDI)


@pytest.fixture
def slow(monkeypatch):
    """A busy server: a little time passes between reading the request and acting on it."""
    real_missing = LetterRequest.missing_requirements
    real_editable = LetterRequest.is_editable.fget

    def missing_then_wait(self):
        missing = real_missing(self)
        time.sleep(0.02)
        return missing

    def editable_then_wait(self):
        editable = real_editable(self)
        time.sleep(0.02)
        return editable

    monkeypatch.setattr(LetterRequest, "missing_requirements", missing_then_wait)
    monkeypatch.setattr(LetterRequest, "is_editable", property(editable_then_wait))


def ready_draft(app):
    """A draft with its answers and both mandatory syarat, their files on disk."""
    req = make_request()
    for key in ("ktp", "kk"):
        name = secrets.token_urlsafe(24) + ".png"
        put_upload(app, name, image_bytes("PNG"))
        Attachment.create(request=req, requirement_key=key, original_name=f"{key}.png",
                          stored_name=name, content_type="image/png", size=1)
    return req


def race(first, second):
    """Run both at once, the second after a random short delay; exceptions are re-raised."""
    errors = []

    def run(job, delay):
        try:
            time.sleep(delay)
            job()
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(first, 0)),
               threading.Thread(target=run, args=(second, random.uniform(0, 0.04)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors


def test_removing_a_syarat_while_sending_never_sends_it_without(app, db, tabs, slow):
    """Before: most rounds ended as a request sent without its KTP."""
    sending, removing = tabs
    broken = 0
    for _ in range(ROUNDS):
        req = ready_draft(app)
        race(lambda req=req: sending.post(f"/surat/{req.id}/ajukan"),
             lambda req=req: removing.post(f"/surat/{req.id}/syarat/ktp/hapus"))
        after = LetterRequest.get_by_id(req.id)
        broken += after.status == "diajukan" and after.attachment_for("ktp") is None
    assert broken == 0, f"{broken} of {ROUNDS} requests were sent without their KTP"


def test_uploading_while_sending_never_changes_a_sent_request(app, db, tabs, slow):
    """Before: a new KTP could replace the one sent, after the request had been sent."""
    sending, uploading = tabs
    changed = 0
    for _ in range(ROUNDS // 2):
        req = ready_draft(app)
        race(lambda req=req: sending.post(f"/surat/{req.id}/ajukan"),
             lambda req=req: uploading.post(
                 f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                 data={"syarat-ktp": upload(image_bytes("PNG"), "baru.png")}))
        after = LetterRequest.get_by_id(req.id)
        changed += after.status == "diajukan" and any(
            a.uploaded_at > after.submitted_at for a in after.attachments)
    assert changed == 0, f"{changed} of {ROUNDS // 2} sent requests had a syarat changed after"
    names = {a.stored_name for a in Attachment.select()}
    assert stored_names(app, "uploads") == names  # a refused upload left no file behind


@pytest.mark.parametrize("failure", [SystemExit(1), RuntimeError("disk full")])
def test_an_upload_whose_row_does_not_commit_leaves_no_file(app, db, budi, monkeypatch, failure):
    """Before: the file stayed in data/uploads with no row naming it."""
    req = make_request()

    def fail(*args, **kwargs):
        raise failure

    monkeypatch.setattr(Attachment, "create", fail)
    with pytest.raises(type(failure)):
        budi.post(f"/surat/{req.id}/syarat", content_type="multipart/form-data",
                  data={"syarat-ktp": upload(image_bytes("PNG"), "ktp.png")})
    assert stored_names(app, "uploads") == set()
    assert not Attachment.select().exists()


def written(app, key, hours_ago, data=b"x"):
    """A document in the app's folder, last written hours_ago."""
    path = documents(app).path(key)
    if not path.exists():
        documents(app).put(key, data)
    then = time.time() - hours_ago * 3600
    os.utime(path, (then, then))
    return key


@folder_only
def test_the_sweep_removes_old_files_that_no_row_names(app, db, budi):
    """Before: no sweep was registered; stray identity documents stayed for ever. Then: the
    photos' folder and the keys were left out."""
    req = ready_draft(app)
    kept = [written(app, f"uploads/{a.stored_name}", 3) for a in req.attachments]
    logo = written(app, "uploads/logo-lama.png", 3)
    Village.update(logo="logo-lama.png").execute()
    letter = written(app, "letters/abc.pdf", 3)
    issued = make_request(status="selesai")
    LetterRequest.update(pdf_file="abc.pdf").where(LetterRequest.id == issued.id).execute()
    news = News.select().where(News.image.is_null(False)).first() or News.select().first()
    with app.app_context():
        photo = process_image(image_bytes(size=(400, 300)))
    News.update(image=photo.as_dict(), image_key=photo.key).where(News.id == news.id).execute()
    photos = [written(app, f"uploads/images/{name}", 3) for name in photo.names()]
    keys = [written(app, key, 3) for key in stored_keys(app, "keys/")]  # the CA and the Kades's
    strays = [written(app, "uploads/ktp-tanpa-baris.jpg", 2),
              written(app, "letters/tanpa-baris.pdf", 2),
              written(app, "uploads/images/abcdefghijklmnop-thumb.webp", 2),
              written(app, "keys/signer-tanpa-baris.p12", 2)]
    fresh = written(app, "uploads/baru-diunggah.jpg", 0)  # its row may be committing right now
    queue = app.extensions["queue"]
    queue.recover()
    assert [key for key in strays if documents(app).exists(key)] == []
    assert all(documents(app).exists(key) for key in [*kept, logo, letter, *photos, *keys, fresh])
