"""`flask --app app` and gunicorn's `app:create_app()` find the factory here."""
from balai import create_app

__all__ = ["create_app"]
