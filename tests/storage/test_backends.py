"""Both document stores, the data dir's folder and an S3 bucket behind a real S3 API server,
keep the same promises: put, get, exists, delete and list by key, a write seen whole or not at
all, documents streamed through the app."""
import os
import threading
import time
import uuid

import pytest
from flask import Flask
from werkzeug.exceptions import NotFound

from balai import storage
from tests.support.s3 import BUCKET, object_keys


@pytest.fixture(params=["folder", "s3"])
def store(request, tmp_path):
    if request.param == "folder":
        return storage.from_url(str(tmp_path))
    request.getfixturevalue("s3")
    return storage.from_url(f"s3://{BUCKET}/unit-{uuid.uuid4().hex}")


def test_a_url_names_its_store(tmp_path):
    assert isinstance(storage.from_url(str(tmp_path)), storage.Folder)
    assert storage.from_url(f"file://{tmp_path}").root == tmp_path
    bucket = storage.from_url("s3://arsip-desa/sukamaju/dokumen/")
    assert (bucket.bucket, bucket.prefix) == ("arsip-desa", "sukamaju/dokumen/")
    assert storage.from_url("s3://arsip-desa").prefix == ""
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        storage.from_url("ftp://arsip-desa/dokumen")


def test_put_get_exists_delete(store):
    store.put("uploads/ktp.jpg", b"foto ktp")
    store.put("uploads/ktp.jpg", b"foto ktp baru")  # replaced whole
    assert store.get("uploads/ktp.jpg") == b"foto ktp baru"
    assert store.exists("uploads/ktp.jpg") and not store.exists("uploads/kk.jpg")
    with pytest.raises(FileNotFoundError):
        store.get("uploads/kk.jpg")
    store.delete("uploads/ktp.jpg")
    store.delete("uploads/ktp.jpg")  # twice is fine
    assert not store.exists("uploads/ktp.jpg")


@pytest.mark.parametrize("key", ["../secret_key", "/etc/passwd", "uploads/../balai.db",
                                 "uploads//a.jpg", "uploads/.partial-x", "", "uploads/"])
def test_a_key_that_is_not_plain_is_refused(store, key):
    with pytest.raises(ValueError):
        store.put(key, b"x")
    with pytest.raises(ValueError):
        store.get(key)


def test_listing_names_every_document_under_a_prefix_with_its_time(store):
    before = time.time() - 5
    for key in ("uploads/a.jpg", "uploads/images/b-thumb.webp", "letters/c.pdf"):
        store.put(key, key.encode())
    uploads = dict(store.listing("uploads/"))
    assert set(uploads) == {"uploads/a.jpg", "uploads/images/b-thumb.webp"}
    assert all(before < modified < time.time() + 5 for modified in uploads.values())
    assert [key for key, _ in store.listing("letters/")] == ["letters/c.pdf"]
    assert list(store.listing("keys/")) == []


def test_a_reader_sees_a_document_whole_while_it_is_replaced(store):
    versions = [bytes([65 + n]) * 300_000 for n in range(2)]
    store.put("letters/surat.pdf", versions[0])
    seen, stop = [], threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            n += 1
            store.put("letters/surat.pdf", versions[n % 2])

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(40):
            seen.append(store.get("letters/surat.pdf"))
    finally:
        stop.set()
        thread.join()
    assert all(data in versions for data in seen)


def test_a_write_cut_short_leaves_the_old_folder_document_and_no_partial_file(tmp_path,
                                                                              monkeypatch):
    store = storage.Folder(tmp_path)
    store.put("uploads/ktp.jpg", b"lama")

    def killed(*args):
        raise SystemExit(1)  # what a web server's timeout raises
    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(SystemExit):
        store.put("uploads/ktp.jpg", b"baru")
    assert store.get("uploads/ktp.jpg") == b"lama"
    assert os.listdir(tmp_path / "uploads") == ["ktp.jpg"]


def test_folder_documents_are_readable_by_their_owner_only(tmp_path):
    storage.Folder(tmp_path).put("keys/signer.p12", b"kunci")
    assert (tmp_path / "keys" / "signer.p12").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "keys").stat().st_mode & 0o777 == 0o700


def test_a_document_is_streamed_through_the_app(store):
    data = os.urandom(200_000)
    store.put("letters/surat.pdf", data)
    with Flask(__name__).test_request_context():
        response = store.response("letters/surat.pdf", "application/pdf", as_attachment=True,
                                  download_name="surat-1.pdf")
        response.direct_passthrough = False
        assert response.get_data() == data and response.content_length == len(data)
        assert response.headers["Content-Disposition"] == "attachment; filename=surat-1.pdf"
        assert response.mimetype == "application/pdf"
        with pytest.raises(NotFound):
            store.response("letters/tidak-ada.pdf", "application/pdf")


def test_an_s3_store_writes_under_its_prefix_only(s3):
    store = storage.from_url(f"s3://{BUCKET}/desa-a")
    store.put("uploads/ktp.jpg", b"x")
    assert object_keys(s3, "desa-a/") == {"desa-a/uploads/ktp.jpg"}
    assert list(storage.from_url(f"s3://{BUCKET}/desa-b").listing("uploads/")) == []
    store.delete("uploads/ktp.jpg")
    assert object_keys(s3, "desa-a/") == set()
