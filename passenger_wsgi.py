"""The entry for shared hosting on Phusion Passenger (cPanel's "Setup Python App"): Passenger
imports this file and serves `application`.

Such a host runs no daemon of ours, so the task worker runs as a thread inside each web process
(BALAI_WORKER=inline), and a cron job runs `flask --app app run-pending` every minute for the
times Passenger has stopped every idle process. Passenger sits behind the host's Apache or
nginx: one proxy (BALAI_PROXY_COUNT=1), so the login limits see the visitor's address.

Settings come from the app's environment variables in cPanel or, on a host without that form,
from a `.env` file beside this one (KEY=value lines, mode 600, never committed); the `flask`
command of the cron job reads the same file. A variable the host sets wins over the file."""
import os
import sys
from pathlib import Path

from dotenv import load_dotenv

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
load_dotenv(HERE / ".env", override=False)
os.environ.setdefault("BALAI_WORKER", "inline")
os.environ.setdefault("BALAI_PROXY_COUNT", "1")

from balai import create_app  # noqa: E402

application = create_app()
