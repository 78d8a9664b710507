"""The inbox's rows can be told apart, and a Kasi approves only what they opened.

Two requests of one type from one resident used to read the same ("Surat Keterangan Domisili ·
Budi Santoso / Menunggu baru saja"): each row now names its reference, purpose, the date it was
sent, "diajukan ulang" after a return, and the syarat attached. At the Kasi step the list offers
no approval, and the server refuses one from an official who never opened the request's page
since it was (last) sent: the access log holds who opened what."""
from balai.letters.models import LetterRequest
from balai.people.audit import AccessLogEntry
from balai.people.models import User
from tests.support.routes import with_attachment
from tests.support.village import waiting

HTMX = {"HX-Request": "true"}


def approve(client, letter, headers=None):
    return client.post(f"/kotak-masuk/{letter.id}", headers=headers or {}, data={
        "action": "setujui", "note": "", "version": LetterRequest.get_by_id(letter.id).version})


def status_of(letter):
    return LetterRequest.get_by_id(letter.id).status


def test_rows_name_reference_purpose_date_syarat_and_a_resubmission(app, db, kasipem):
    job = waiting(days=2, purpose="Melamar pekerjaan")
    with app.app_context():
        with_attachment(job)
    school = waiting(status="dikembalikan", purpose="Mendaftar sekolah anak")
    school.apply("ajukan", school.created_by)
    page = kasipem.get("/kotak-masuk").get_data(as_text=True)
    job_row, school_row = page.split('<form class="row"')[1:3]
    assert "P-%05d" % job.id in job_row and "P-%05d" % school.id in school_row
    assert "Keperluan: Melamar pekerjaan" in job_row
    assert "Keperluan: Mendaftar sekolah anak" in school_row
    assert "Syarat: Foto KTP" in job_row and "Syarat: belum ada berkas" in school_row
    assert "diajukan ulang" in school_row and "diajukan ulang" not in job_row
    assert "Menunggu 2 hari, diajukan " in job_row and " pukul " in job_row


def test_the_kasi_list_has_no_approval_but_the_sekdes_list_has(db, kasipem, sekdes):
    at_kasi, at_sekdes = waiting(), waiting(status="diverifikasi")
    kasi_page = kasipem.get("/kotak-masuk").get_data(as_text=True)
    assert 'value="setujui"' not in kasi_page and 'value="kembalikan"' in kasi_page
    assert f'href="/kotak-masuk/{at_kasi.id}">Periksa berkas &amp; setujui' in kasi_page
    assert 'value="setujui"' in sekdes.get("/kotak-masuk").get_data(as_text=True)
    assert at_sekdes.id


def test_a_kasi_who_never_opened_the_request_cannot_approve_it(db, kasipem):
    letter = waiting()
    refused = approve(kasipem, letter)
    assert refused.status_code == 303 and refused.location.endswith(f"/kotak-masuk/{letter.id}")
    assert status_of(letter) == "diajukan" and not letter.events.count()
    shown = kasipem.get(refused.location).get_data(as_text=True)  # opening it, at last
    assert "Buka dan periksa dulu permohonan ini beserta berkas syaratnya" in shown
    assert approve(kasipem, letter).status_code == 303
    assert status_of(letter) == "diverifikasi"


def test_from_the_list_htmx_gets_the_reason_in_the_message_area(db, kasipem):
    letter = waiting()
    refused = approve(kasipem, letter, headers=HTMX)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409 and refused.headers["HX-Retarget"] == "#pesan"
    assert "Buka dan periksa dulu" in html and "<html" not in html
    assert status_of(letter) == "diajukan"


def test_an_opening_before_a_return_does_not_count_for_the_resubmission(db, kasipem):
    letter = waiting()
    assert kasipem.get(f"/kotak-masuk/{letter.id}").status_code == 200
    letter.apply("kembalikan", User.by_login("kasipem"), note="Foto KTP buram",
                 category="berkas_tidak_jelas")
    letter = LetterRequest.get_by_id(letter.id)
    letter.apply("ajukan", letter.created_by)
    assert approve(kasipem, letter).status_code == 303
    assert status_of(letter) == "diajukan"
    kasipem.get(f"/kotak-masuk/{letter.id}")
    assert approve(kasipem, letter).status_code == 303
    assert status_of(letter) == "diverifikasi"


def test_another_officials_opening_does_not_count(db, kasipem):
    letter = waiting()
    AccessLogEntry.record(User.by_login("kasikesra"), letter.person_id, "permohonan", letter.id,
                          "Memeriksa permohonan sebagai Kasi Kesra")
    assert approve(kasipem, letter).status_code == 303
    assert status_of(letter) == "diajukan"
