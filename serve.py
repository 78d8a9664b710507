"""The web server `run.sh` starts: Balai under waitress (HOST, PORT and THREADS from the
environment). `python serve.py module:factory` serves another app the same way (the benchmarks'
baseline).

Why waitress: residents upload photos over weak prepaid data, at a few hundred kbit/s. Its
channels read each request whole (a big body spooled to disk) before a thread runs the app, and
write responses out on their own, so a slow phone holds a socket, never an app thread; and it
keeps connections alive, so a page's files come over the connection the page came on."""
import importlib
import logging
import os
import signal
import sys
from io import BytesIO

from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import WSGITask
from waitress.utilities import RequestEntityTooLarge

from balai.web.errors import ERROR_MESSAGES

log = logging.getLogger("balai.serve")

# The app's own 500 page, for when even that page cannot be made.
LAST_RESORT = (f'<!doctype html><html lang="id"><meta charset="utf-8"><title>Gangguan</title>'
               f"<p>{ERROR_MESSAGES[500]}</p></html>").encode()


def settings(app):
    """waitress's settings, every one sized for slow phones."""
    return {
        # One over the app's limit: a body declared bigger is refused from its Content-Length,
        # before a byte of it is read, and the app answers (see AppErrorTask).
        "max_request_body_size": app.config["MAX_CONTENT_LENGTH"] + 1,
        # Idle time only, but a phone that loses signal mid-upload may pause for minutes.
        "channel_timeout": 300,
        "connection_limit": 500,  # sockets are cheap; each waiting phone holds one
        "asyncore_use_poll": True,  # select() cannot watch a socket numbered over 1024
        # The app trusts X-Forwarded-* itself (BALAI_PROXY_COUNT); waitress must not drop them.
        "clear_untrusted_proxy_headers": False,
    }


class AppErrorTask(WSGITask):
    """A body too big is answered by the app, in Indonesian, from the headers alone (waitress's
    own answer is English plain text); any other malformed request keeps waitress's answer."""

    def execute(self):
        if not isinstance(self.request.error, RequestEntityTooLarge):
            return super().execute()
        environ = self.get_environment()
        # No body: the declared size alone makes the app refuse, however the body was sent.
        environ.update({"wsgi.input": BytesIO(),
                        "CONTENT_LENGTH": str(self.channel.adj.max_request_body_size)})
        self.set_close_on_finish()
        return super().execute()


class Channel(HTTPChannel):
    error_task_class = AppErrorTask


def last_resort(wsgi_app):
    """The app's errors are its own pages; should making one fail too, still an Indonesian one
    rather than waitress's English."""
    def app(environ, start_response):
        try:
            return wsgi_app(environ, start_response)
        except Exception:
            log.exception("error page failed")
            start_response("500 Internal Server Error",
                           [("Content-Type", "text/html; charset=utf-8")], sys.exc_info())
            return [LAST_RESORT]
    return app


def main(factory="app:create_app"):
    logging.basicConfig(level=logging.INFO)
    module, name = factory.split(":")
    app = getattr(importlib.import_module(module), name)()
    server = create_server(last_resort(app.wsgi_app), host=os.environ.get("HOST", "127.0.0.1"),
                           port=int(os.environ.get("PORT", "5000")),
                           threads=int(os.environ.get("THREADS", "8")), **settings(app))
    server.channel_class = Channel
    # SIGTERM (systemd, run.sh) ends the loop like Ctrl-C: exit handlers run, so an inline
    # worker (BALAI_WORKER=inline) finishes the task in hand.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.print_listen("Serving on http://{}:{}")
    server.run()


if __name__ == "__main__":
    main(*sys.argv[1:])
