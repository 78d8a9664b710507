"""Officials' inbox, the detail page, decisions (plain and htmx), PDF download, verification."""
import datetime
import gzip
import logging

import pytest

from balai.db import now
from balai.demo import seed
from balai.letters import issuance
from balai.letters.models import NOTE_MAX, Attachment, LetterEvent, LetterRequest
from balai.letters.register import RegisterEntry
from balai.people.models import User
from balai.villages.models import Village
from balai.web.filters import indonesian_date
from tests.support.village import AHMAD, waiting

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def attachment_route(app):
    """The resident side owns letters.attachment; until it is merged, a stand-in URL."""
    if "letters.attachment" not in app.view_functions:
        app.add_url_rule("/stub/<int:request_id>/<int:attachment_id>", "letters.attachment",
                         lambda request_id, attachment_id: "")


def decide(client, letter, action, note="", version=None, headers=None,
           passphrase=seed.DEMO_SIGNING_PASSPHRASE):
    if action == "setujui":
        client.get(f"/kotak-masuk/{letter.id}")  # a Kasi approves what they opened
    data = {"action": action, "note": note, "passphrase": passphrase,
            "version": letter.version if version is None else version, "category": "lainnya"}
    return client.post(f"/kotak-masuk/{letter.id}", data=data, headers=headers or {})


def status_of(letter):
    return LetterRequest.get_by_id(letter.id).status


def test_each_official_sees_only_their_step_oldest_first(db, kasipem, kasikesra, sekdes):
    newer = waiting(days=1)
    older = waiting(days=3, nik=AHMAD)
    kesra = waiting(slug="tidak-mampu", days=5)
    waiting(status="diverifikasi")
    page = kasipem.get("/kotak-masuk").get_data(as_text=True)
    assert page.index("Ahmad Hidayat") < page.index("Budi Santoso")
    assert "Menunggu 3 hari" in page and "Menunggu 1 hari" in page
    assert "Surat Keterangan Tidak Mampu" not in page
    assert f"/kotak-masuk/{kesra.id}" in kasikesra.get("/kotak-masuk").get_data(as_text=True)
    assert f"/kotak-masuk/{newer.id}" not in sekdes.get("/kotak-masuk").get_data(as_text=True)
    assert older.id and 'id="inbox-count" class="count">2<' in page


def test_a_request_filed_at_the_counter_is_marked(db, kasipem):
    letter = waiting()
    letter.created_by = User.by_login("operator")
    letter.save()
    assert "diajukan di loket" in kasipem.get("/kotak-masuk").get_data(as_text=True)


@pytest.mark.parametrize("who", ["budi", "operator"])
def test_the_inbox_is_for_deciding_officials_only(db, request, who):
    client = request.getfixturevalue(who)
    letter = waiting()
    assert client.get("/kotak-masuk").status_code == 403
    assert client.get(f"/kotak-masuk/{letter.id}").status_code == 403
    assert decide(client, letter, "setujui").status_code == 403
    assert status_of(letter) == "diajukan"


def test_the_inbox_is_small_and_costs_the_same_queries_for_50(db, kasipem, caplog):
    def queries_for_inbox():
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="peewee"):
            response = kasipem.get("/kotak-masuk", headers={"Accept-Encoding": "gzip"})
        return response, len(caplog.records)

    waiting()
    _, few = queries_for_inbox()
    for _ in range(49):
        waiting(nik=AHMAD)
    response, many = queries_for_inbox()
    assert many == few
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data).count(b'class="row"') == 50
    assert len(response.data) <= 10 * 1024


def test_the_detail_page_shows_the_data_attachments_and_timeline(db, kasipem):
    letter = waiting(slug="usaha")
    letter.fields = {"nama_usaha": "Warung Berkah", "jenis_usaha": "Warung kelontong"}
    letter.save()
    photo = Attachment.create(request=letter, requirement_key="ktp", original_name="ktp.jpg",
                              stored_name="a1.jpg", content_type="image/jpeg", size=10)
    scan = Attachment.create(request=letter, requirement_key="kk", original_name="kk.pdf",
                             stored_name="a2.pdf", content_type="application/pdf", size=10)
    LetterEvent.create(request=letter, actor=User.by_login("3213051508900001"), role="warga",
                       action="ajukan", from_status="draf", to_status="diajukan")
    page = kasipem.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True)
    for text in ("3213051508900001", "Warung Berkah", "Nama usaha", "Melamar pekerjaan",
                 "Diajukan", 'name="version" value="0"', 'value="kembalikan"'):
        assert text in page
    from flask import url_for
    with kasipem.application.test_request_context():
        photo_url = url_for("letters.attachment", request_id=letter.id, attachment_id=photo.id,
                            v=photo.stored_name[:8])
        scan_url = url_for("letters.attachment", request_id=letter.id, attachment_id=scan.id,
                           v=scan.stored_name[:8])
    assert f'<a href="{photo_url}" target="_blank"' in page  # the whole picture on a tap
    assert f'<img class="thumb" src="{photo_url}&amp;ukuran=kecil"' in page
    assert f'href="{scan_url}" target="_blank"' in page


def test_forms_are_shown_only_to_the_official_whose_turn_it_is(db, sekdes):
    letter = waiting(status="diperiksa")  # past the Sekdes's step (before it, they see nothing)
    page = sekdes.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True)
    assert 'value="setujui"' not in page and "tidak menunggu keputusan Anda" in page


def test_kasi_kesra_cannot_act_on_a_pemerintahan_letter(db, kasikesra):
    letter = waiting()
    response = decide(kasikesra, letter, "setujui")
    assert response.status_code == 403
    detail = kasikesra.get(f"/kotak-masuk/{letter.id}")
    assert detail.status_code == 403 and "Kasi lain" in detail.get_data(as_text=True)
    assert status_of(letter) == "diajukan"


def test_sekdes_cannot_act_on_a_request_still_at_the_kasi(db, sekdes):
    letter = waiting()
    response = decide(sekdes, letter, "setujui")
    assert response.status_code == 403
    assert "belum sampai ke langkah Anda" in response.get_data(as_text=True)
    assert status_of(letter) == "diajukan"


def test_approve_without_javascript_redirects_to_the_inbox_with_a_message(db, kasipem):
    letter = waiting()
    response = decide(kasipem, letter, "setujui", note="Lengkap")
    assert response.status_code == 303 and response.location.endswith("/kotak-masuk")
    assert "disetujui" in kasipem.get("/kotak-masuk").get_data(as_text=True)
    assert status_of(letter) == "diverifikasi"
    assert LetterEvent.get(LetterEvent.request == letter).note == "Lengkap"


def test_a_double_posted_approval_is_one_transition(db, kasipem):
    letter = waiting()
    assert decide(kasipem, letter, "setujui").status_code == 303
    again = decide(kasipem, letter, "setujui")
    assert again.status_code == 409
    assert "sudah diproses" in again.get_data(as_text=True)
    assert status_of(letter) == "diverifikasi"
    assert letter.events.count() == 1


def test_a_stale_page_changes_nothing(db, kasipem):
    letter = waiting()
    response = decide(kasipem, letter, "tolak", note="Data tidak cocok", version=letter.version + 1)
    assert response.status_code == 409
    assert status_of(letter) == "diajukan" and not letter.events.count()


@pytest.mark.parametrize("action, note", [("kembalikan", ""), ("tolak", "   "),
                                          ("setujui", "x" * (NOTE_MAX + 1))])
def test_a_missing_reason_or_too_long_note_is_422_and_changes_nothing(db, kasipem, action, note):
    letter = waiting()
    response = decide(kasipem, letter, action, note=note)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tuliskan alasannya" in page or "terlalu panjang" in page
    assert 'class="error-summary"' in page
    assert status_of(letter) == "diajukan" and not letter.events.count()


def test_htmx_approval_removes_the_row_and_updates_the_count(db, kasipem):
    letter, other = waiting(), waiting(nik=AHMAD)
    response = decide(kasipem, letter, "kembalikan", note="Foto KTP buram", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and len(response.data) <= 2048
    assert '<hx-partial data-hx-target="#inbox-count" data-hx-swap="outerHTML">' in html
    assert 'id="inbox-count" class="count">1<' in html
    assert 'hx-target="#pesan"' in html and "dikembalikan kepada pemohon" in html
    assert status_of(letter) == "dikembalikan" and status_of(other) == "diajukan"


def test_htmx_refusals_are_small_messages(db, kasipem):
    letter = waiting()
    response = decide(kasipem, letter, "tolak", note="", headers=HTMX)
    assert response.status_code == 422 and "<html" not in response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#pesan" and len(response.data) <= 2048
    stale = decide(kasipem, letter, "setujui", version=7, headers=HTMX)
    assert stale.status_code == 409 and "<html" not in stale.get_data(as_text=True)


def test_the_whole_journey_issues_a_letter(db, kasipem, sekdes, kades, budi, siti, client):
    letter = waiting()
    for official in (kasipem, sekdes, kades):
        letter = LetterRequest.get_by_id(letter.id)
        assert decide(official, letter, "setujui").status_code == 303
    letter = LetterRequest.get_by_id(letter.id)
    assert letter.status == "selesai" and letter.number.startswith("470/001/")
    assert RegisterEntry.get().status == "terbit"
    url = f"/surat/{letter.id}/unduh"
    for allowed in (budi, kades, kasipem):
        response = allowed.get(url)
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
        assert response.mimetype == "application/pdf"
    assert siti.get(url).status_code == 404
    assert client.get(url).status_code == 302  # to the login page


def test_a_letter_not_issued_has_no_pdf(db, budi):
    letter = waiting(status="diperiksa")
    assert budi.get(f"/surat/{letter.id}/unduh").status_code == 404
    assert budi.get("/surat/9999/unduh").status_code == 404


def issued(days_ago=0):
    letter = waiting(status="selesai")
    letter.number, letter.verify_token = "470/001/3213052001/XI/2026", "tok-" + "a" * 30
    letter.issued_at = now() - datetime.timedelta(days=days_ago)
    letter.save()
    return letter


def test_verification_shows_the_letter_without_personal_data(db, client):
    letter = issued()
    page = client.get(f"/verifikasi/{letter.verify_token}").get_data(as_text=True)
    assert "470/001/3213052001/XI/2026" in page and "Surat Keterangan Domisili" in page
    assert "Bu** Sa****" in page and "Budi" not in page and "Santoso" not in page
    assert "3213051508900001" not in page and "Sukamaju No. 12" not in page
    assert "Berlaku" in page
    assert indonesian_date(Village.current().localtime(letter.issued_at)) in page


def test_an_expired_letter_says_kedaluwarsa(db, client):
    letter = issued(days_ago=31)
    assert "Kedaluwarsa" in client.get(f"/verifikasi/{letter.verify_token}").get_data(as_text=True)


@pytest.mark.parametrize("token", ["nope", "tok-" + "a" * 29, "a/b/c", "%27%20OR%201=1", "x" * 500])
def test_unknown_tokens_get_the_same_not_found_page(db, client, token):
    issued()
    response = client.get(f"/verifikasi/{token}")
    assert response.status_code == 404
    assert "Surat tidak ditemukan" in response.get_data(as_text=True)
    assert token not in response.get_data(as_text=True)


def test_a_failed_issue_says_so_and_the_request_stays_with_the_kades(db, kades, monkeypatch):

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(issuance, "store_pdf", broken)
    letter = waiting(status="diperiksa")
    response = decide(kades, letter, "setujui", headers=HTMX)
    assert response.status_code == 500 and "dicatat batal" in response.get_data(as_text=True)
    assert status_of(letter) == "diperiksa"
    assert RegisterEntry.get().status == "batal"
