"""Residents see who looked: every opening of a resident's request, file, letter or population
record by an official is written; the resident reads theirs on their account page, newest
first, in the village's time; the operator reads the whole log."""
import datetime

import pytest

from balai.db import now
from balai.letters.models import Attachment
from balai.people.audit import AccessLogEntry
from balai.people.models import Person, User
from balai.villages.models import Village
from balai.web.filters import indonesian_date
from tests.support.files import image_bytes
from tests.support.stored import put_upload
from tests.support.village import BUDI, make_request

KASI_DUTY = "Memeriksa permohonan sebagai Kasi Pemerintahan"


def page(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


def entries():
    return [(e.viewer.username, e.person.nik, e.kind, e.object_id, e.reason)
            for e in AccessLogEntry.select().order_by(AccessLogEntry.id)]


@pytest.fixture
def waiting(app, db):
    """Budi's Domisili, sent and waiting at the Kasi Pemerintahan, with his KTP."""
    req = make_request(status="diajukan")
    scan = Attachment.create(request=req, requirement_key="ktp", original_name="ktp.jpg",
                             stored_name=f"log-{req.id}.jpg", content_type="image/jpeg", size=9)
    put_upload(app, scan.stored_name, image_bytes())
    return req, scan


def test_every_opening_by_an_official_is_written_and_the_residents_own_are_not(
        waiting, budi, kasipem):
    req, scan = waiting
    for client in (budi, kasipem):
        page(client.get(f"/surat/{req.id}"))
        assert client.get(f"/surat/{req.id}/lampiran/{scan.id}").status_code == 200
    page(kasipem.get(f"/kotak-masuk/{req.id}"))
    assert entries() == [("kasipem", BUDI, "permohonan", req.id, KASI_DUTY),
                         ("kasipem", BUDI, "lampiran", scan.id, KASI_DUTY),
                         ("kasipem", BUDI, "permohonan", req.id, KASI_DUTY)]


def test_a_refused_look_writes_nothing(waiting, sekdes, siti):
    req, scan = waiting
    assert sekdes.get(f"/surat/{req.id}").status_code == 403
    assert siti.get(f"/surat/{req.id}/lampiran/{scan.id}").status_code == 404
    assert entries() == []


def test_the_official_who_filed_it_at_the_counter_is_written_as_such(db, operator):
    req = make_request()
    req.created_by = User.by_login("operator")
    req.save()
    page(operator.get(f"/surat/{req.id}"))
    assert entries() == [("operator", BUDI, "permohonan", req.id,
                          "Mengajukan permohonan ini di loket")]


def test_the_operator_opening_and_changing_a_population_record_is_written(db, operator):
    budi = Person.get(Person.nik == BUDI)
    page(operator.get(f"/operator/penduduk/{budi.id}"))
    operator.post(f"/operator/penduduk/{budi.id}", data={"nik": "x"})
    assert entries() == [("operator", BUDI, "penduduk", budi.id, "Mengelola data penduduk"),
                         ("operator", BUDI, "penduduk", budi.id, "Mengubah data penduduk")]


def test_the_resident_reads_who_looked_on_their_account_page(waiting, budi, siti, kasipem):
    req, _ = waiting
    page(kasipem.get(f"/surat/{req.id}"))
    looked = AccessLogEntry.get()
    local = Village.current().localtime(looked.at)
    mine = page(budi.get("/akun"))
    assert 'href="/akun"' in mine and "Siapa yang melihat data saya" in mine
    for text in ("Dedi Kurniawan", "(Kasi Pemerintahan)", "membuka permohonan surat", KASI_DUTY,
                 f"{indonesian_date(local)} pukul {local:%H.%M}"):
        assert text in mine, text
    theirs = page(siti.get("/akun"))
    assert "Dedi Kurniawan" not in theirs and "Belum ada petugas yang membuka data Anda" in theirs


def test_the_account_page_is_paged_newest_first(db, budi):
    kasipem, person = User.by_login("kasipem"), Person.get(Person.nik == BUDI)
    for minutes in range(25):
        AccessLogEntry.create(viewer=kasipem, person=person, kind="permohonan", object_id=1,
                              reason=f"alasan-{minutes:02}",
                              at=now() - datetime.timedelta(minutes=minutes))
    first = page(budi.get("/akun"))
    assert first.count("alasan-") == 20 and first.index("alasan-00") < first.index("alasan-19")
    assert "alasan-20" not in first and "/akun?halaman=2" in first
    second = page(budi.get("/akun?halaman=2"))
    assert second.count("alasan-") == 5 and "alasan-24" in second


def test_officials_have_no_account_page(db, kasipem):
    assert kasipem.get("/akun").status_code == 403


def test_the_operator_reads_the_whole_log(waiting, operator, kasipem, budi):
    req, _ = waiting
    page(kasipem.get(f"/surat/{req.id}"))
    assert "/operator/log-akses" in page(operator.get("/operator/"))
    log = page(operator.get("/operator/log-akses"))
    for text in ("Dedi Kurniawan", "milik Budi Santoso", KASI_DUTY):
        assert text in log, text
    for other in (kasipem, budi):
        assert other.get("/operator/log-akses").status_code == 403
