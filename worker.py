"""The task worker's entry: `huey_consumer worker.huey` builds the app, its queue and tasks."""
from balai import create_app

app = create_app()
huey = app.extensions["queue"].huey
