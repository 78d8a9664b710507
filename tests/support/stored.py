"""The documents a test's app stored (balai.storage), in its folder or its bucket alike."""
import os

import pytest

from balai.letters.issuance import letter_key
from balai.letters.uploads import upload_key
from balai.storage import documents

ON_S3 = os.environ.get("BALAI_STORAGE_URL", "").startswith("s3://")
# For a test that ages files by their modification time, which only a folder lets it set.
folder_only = pytest.mark.skipif(ON_S3, reason="sets files' modification times in the folder")


def stored_keys(app, prefix):
    """The keys of the documents under prefix ("uploads/", "letters/", "keys/"...)."""
    return {key for key, _ in documents(app).listing(prefix)}


def stored_names(app, folder):
    """The names of the documents directly in a folder ("uploads", "letters"), not below it."""
    return {key.removeprefix(f"{folder}/") for key in stored_keys(app, f"{folder}/")
            if "/" not in key.removeprefix(f"{folder}/")}


def upload_bytes(app, stored_name):
    return documents(app).get(upload_key(stored_name))


def put_upload(app, stored_name, data):
    documents(app).put(upload_key(stored_name), data)


def letter_bytes(app, pdf_file):
    return documents(app).get(letter_key(pdf_file))
