"""The letters area's tasks, each re-queued by the worker from what the database says: syarat
files past their retention, and what a process killed outright (no cleanup ran) left behind.

Numbers: a provisional number older than the register's bound is issued if its letter carries
it, else voided with the reason. Files: a syarat, logo or letter file that no row names, older
than STRAY_GRACE (a file is written just before its row commits), is removed. Uploads sent in
pieces are dropped a day after they began (partial_uploads.ABANDONED_AFTER)."""
import datetime
import time
from pathlib import Path

from flask import current_app

from balai.letters import retention
from balai.letters.models import Attachment, LetterRequest
from balai.letters.partial_uploads import PartialUpload
from balai.letters.register import RegisterEntry
from balai.letters.uploads import small_name
from balai.people.models import Village

STRAY_GRACE = datetime.timedelta(hours=1)


def kept_files():
    """{config folder key: names that rows name there}; only the files directly in it count
    (uploads/images/ is the photos', not ours)."""
    uploads = {name for (name,) in Attachment.select(Attachment.stored_name).tuples()}
    uploads |= {small_name(name) for name in uploads}  # a picture's thumbnail goes with it
    logo = Village.current().logo
    letters = {name for (name,) in LetterRequest.select(LetterRequest.pdf_file)
               .where(LetterRequest.pdf_file.is_null(False)).tuples()}
    return {"UPLOAD_DIR": uploads | ({logo} if logo else set()), "LETTER_DIR": letters}


def stray_files():
    """Files older than STRAY_GRACE that no row names."""
    before = time.time() - STRAY_GRACE.total_seconds()
    strays = []
    for key, names in kept_files().items():
        for path in Path(current_app.config[key]).iterdir():
            try:
                if path.name not in names and path.is_file() and path.stat().st_mtime < before:
                    strays.append(path)
            except FileNotFoundError:  # removed meanwhile: a replaced upload
                pass
    return strays


def register(queue):
    @queue.huey.task()
    def forget_syarat(request_id):
        """Delete one finished request's syarat files when they are due."""
        with queue.context():
            retention.forget(request_id)

    @queue.huey.task()
    def settle_numbers():
        """Settle the provisional numbers whose process was killed."""
        with queue.context():
            RegisterEntry.settle_abandoned()

    @queue.huey.task()
    def remove_stray_files():
        """Remove the files no row names; the rows are read again, so it is safe to repeat."""
        with queue.context():
            for path in stray_files():
                path.unlink(missing_ok=True)

    @queue.huey.task()
    def remove_abandoned_uploads():
        """Drop the uploads sent in pieces that began over a day ago, with their bytes."""
        with queue.context():
            PartialUpload.remove_abandoned()

    queue.add("forget_syarat", forget_syarat, retention.due)
    queue.add("settle_numbers", settle_numbers, lambda horizon: once_if(
        RegisterEntry.select().where(RegisterEntry.abandoned()).exists()))
    queue.add("remove_stray_files", remove_stray_files,
              lambda horizon: once_if(stray_files()))
    queue.add("remove_abandoned_uploads", remove_abandoned_uploads,
              lambda horizon: once_if(PartialUpload.abandoned().exists()))


def once_if(found):
    """A sweep's unfinished work for the queue: one run, now, when there is something to do."""
    return [((), None)] if found else []
