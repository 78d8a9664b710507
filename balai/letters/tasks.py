"""The letters area's tasks, each re-queued by the worker from what the database says: syarat
files past their retention, and the numbers a process killed outright (no cleanup ran) left
provisional: one older than the register's bound is issued if its letter carries it, else
voided with the reason. Files that no row names are balai.sweep's. Uploads sent in
pieces are dropped a day after they began (partial_uploads.ABANDONED_AFTER). Every sweep
scans the waiting requests for steps past their target (reminders.remind_overdue). The draft
letter's images are made when an official's page asks for them, one render at a time
(preview.py)."""
from balai.letters import preview, reminders, retention
from balai.letters.partial_uploads import PartialUpload
from balai.letters.register import RegisterEntry
from balai.queue import once_if


def register(queue):
    @queue.task()
    def forget_syarat(request_id):
        """Delete one finished request's syarat files when they are due."""
        retention.forget(request_id)

    @queue.task()
    def settle_numbers():
        """Settle the provisional numbers whose process was killed."""
        RegisterEntry.settle_abandoned()

    @queue.task()
    def remove_abandoned_uploads():
        """Drop the uploads sent in pieces that began over a day ago, with their bytes."""
        PartialUpload.remove_abandoned()

    @queue.task()
    def remind_overdue():
        """Remind the officials of the steps past their target, each reminder once."""
        reminders.remind_overdue()

    @queue.task()
    def render_preview(request_id, version):
        """Make the images of a request's draft letter for the officials who decide it."""
        preview.render(request_id, version)

    queue.add("forget_syarat", forget_syarat, retention.due)
    queue.add("render_preview", render_preview, preview.LetterPreview.unfinished)
    queue.add("settle_numbers", settle_numbers, lambda horizon: once_if(
        RegisterEntry.select().where(RegisterEntry.abandoned()).exists()))
    queue.add("remove_abandoned_uploads", remove_abandoned_uploads,
              lambda horizon: once_if(PartialUpload.abandoned().exists()))
    queue.add("remind_overdue", remind_overdue,
              lambda horizon: once_if(reminders.waiting().exists()))
