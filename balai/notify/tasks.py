"""The notification worker's task: deliver one row; failed attempts are scheduled again."""
from balai.notify import outbox


def register(queue):
    @queue.task()
    def deliver(notification_id):
        """Deliver one notification; after a failure, the next attempt is scheduled at its time."""
        if outbox.deliver(notification_id) == "retry":
            for args, due_at in outbox.pending(notification_id):
                queue.schedule("deliver", args, due_at)

    queue.add("deliver", deliver, outbox.due_soon)
