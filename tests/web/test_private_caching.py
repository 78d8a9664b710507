"""Nothing private stays in a (shared) phone's cache: every page and file a logged-in visitor
gets, and every page carrying a form's token, is `no-store`; public pages keep their ETag."""
import pytest

from tests.support.routes import ROLES, urls

UNREAD_COUNT = "notifications.count"  # a bare number, revalidated every minute (ETag)
PRIVATE_FILES = {"letters.attachment", "documents.letter_pdf", "operator.register_csv",
                 "privacy.download", "kept_documents.file"}


@pytest.mark.parametrize("role", ROLES)
def test_private_pages_and_files_are_never_stored(request, app, objects, role):  # noqa: F811
    client = request.getfixturevalue(role) if role else app.test_client()
    stored, files = [], set()
    for endpoint, url in urls(app, objects):
        response = client.get(url)
        cache = response.headers.get("Cache-Control", "")
        if response.cache_control.public or endpoint == UNREAD_COUNT:
            continue  # static files and photos, the same for everyone
        private = role or 'name="csrf_token"' in response.get_data(as_text=True)
        if private and "no-store" not in cache:
            stored.append(f"{url}: {response.status_code} {cache!r}")
        if response.status_code == 200 and endpoint in PRIVATE_FILES:
            files.add(endpoint)
        if not private and response.status_code == 200 and response.mimetype == "text/html":
            assert cache == "no-cache" and response.headers.get("ETag"), url
    assert not stored, "\n".join(stored)
    if role == "operator":  # residents' scans and letters only with a typed reason (need to know)
        assert files == {"operator.register_csv"}
    if role == "budi":
        assert files == {"letters.attachment", "documents.letter_pdf", "privacy.download",
                         "kept_documents.file"}


def test_a_scan_and_a_letter_leave_nothing_to_keep(budi, objects):  # noqa: F811
    letter, attachment = objects["letters"][1]
    for url in (f"/surat/{letter.id}/lampiran/{attachment.id}", f"/surat/{letter.id}/unduh",
                "/akun/data-saya.zip", "/akun/dokumen/ktp/berkas",
                "/akun/dokumen/ktp/berkas?ukuran=kecil"):
        response = budi.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "private, no-store", url
        assert "Expires" not in response.headers, url
