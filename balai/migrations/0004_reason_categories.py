"""The kind of reason of a return or rejection: a column `reason_category` on letterevent

Returning or rejecting a request now asks for one of a short list of reason kinds beside the
free text, so the figures can count reasons without reading the text (which may name people).
Existing rows keep NULL: their kind was never recorded, and the pages say so."""
from peewee import CharField


def upgrade(migrator):
    migrator.add_column("letterevent", "reason_category", CharField(null=True)).run()
