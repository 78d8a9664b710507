"""The letters area's task: deleting syarat files once their retention has passed."""
from balai.letters import retention


def register(queue):
    @queue.huey.task()
    def forget_syarat(request_id):
        """Delete one finished request's syarat files when they are due."""
        with queue.context():
            retention.forget(request_id)

    queue.add("forget_syarat", forget_syarat, retention.due)
