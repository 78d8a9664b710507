"""The operator designates a signer certificate's title and period, and deactivates old keys."""
import datetime

import pytest

from balai.demo import seed
from balai.letters.models import LetterRequest
from balai.people.models import User
from balai.signing import keys as signing
from balai.signing.models import SignerCertificate, kades_signers, signs_as_kades
from balai.storage import documents
from tests.support.signing import approve, check_upload, reloaded
from tests.support.stored import letter_bytes
from tests.support.village import make_request

TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def sekdes_cert(app, db):
    """A certificate for the sekdes whose designated period ended yesterday."""
    ca_key, ca_cert, _ = signing.open_p12(seed.demo_signing_material()[0],
                                          seed.DEMO_SIGNING_PASSPHRASE)
    signing.enroll(documents(app), (ca_key, ca_cert), User.by_login("sekdes"),
                   "Plt. Kepala Desa", "sandi-plt-123", period=(TODAY - 30 * DAY, TODAY - DAY))
    return SignerCertificate.get(SignerCertificate.user == User.by_login("sekdes"))


def designate(client, cert, position="Plt. Kepala Desa", period_from="", period_to=""):
    return client.post(f"/operator/penanda-tangan/{cert.id}", data={
        "position": position, "period_from": period_from, "period_to": period_to})


def sees_in_inbox(client, letter):
    return f"/kotak-masuk/{letter.id}" in client.get("/kotak-masuk").get_data(as_text=True)


def test_a_period_including_today_lets_the_sekdes_act_for_the_kades(
        operator, sekdes, sekdes_cert):
    letter = make_request(status="diperiksa")
    assert not sees_in_inbox(sekdes, letter)
    page = operator.get("/operator/penanda-tangan").get_data(as_text=True)
    assert f"/operator/penanda-tangan/{sekdes_cert.id}" in page and "Ubah masa tugas" in page
    response = designate(operator, sekdes_cert, "a.n. Kepala Desa, Sekretaris Desa",
                         (TODAY - DAY).isoformat(), (TODAY + 5 * DAY).strftime("%d-%m-%Y"))
    assert response.status_code == 303
    after = SignerCertificate.get_by_id(sekdes_cert.id)
    assert (after.position, after.period_from, after.period_to) == (
        "a.n. Kepala Desa, Sekretaris Desa", TODAY - DAY, TODAY + 5 * DAY)
    assert signs_as_kades(User.by_login("sekdes")) and sees_in_inbox(sekdes, letter)
    assert "sekdes" in [user.username for user in kades_signers()]


def test_a_period_in_the_past_does_not(operator, sekdes, sekdes_cert):
    letter = make_request(status="diperiksa")
    response = designate(operator, sekdes_cert, period_from=(TODAY - 10 * DAY).isoformat(),
                         period_to=(TODAY - 2 * DAY).isoformat())
    assert response.status_code == 303
    assert SignerCertificate.get_by_id(sekdes_cert.id).period_to == TODAY - 2 * DAY
    assert not signs_as_kades(User.by_login("sekdes")) and not sees_in_inbox(sekdes, letter)


@pytest.mark.parametrize("fields, field, message", [
    ({"period_from": "kemarin"}, "period_from", "Tanggal mulai tidak dikenali"),
    ({"period_from": "2026-01-10", "period_to": "31-02-2026"}, "period_to",
     "Tanggal selesai tidak dikenali"),
    ({"period_from": "2026-01-10", "period_to": "2026-01-09"}, "period_to",
     "tidak boleh sebelum tanggal mulai"),
    ({"period_from": ""}, "period_from", "wajib selain untuk Kepala Desa"),
    ({"position": "Camat", "period_from": "2026-01-10"}, "position", "Pilih jabatan"),
])
def test_bad_input_is_422_and_changes_nothing(operator, sekdes_cert, fields, field, message):
    response = designate(operator, sekdes_cert, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page and f'href="#{field}"' in page
    after = SignerCertificate.get_by_id(sekdes_cert.id)
    assert (after.position, after.period_from, after.period_to) == (
        "Plt. Kepala Desa", TODAY - 30 * DAY, TODAY - DAY)


def test_the_kades_needs_no_period(operator, db):
    cert = SignerCertificate.get()
    assert designate(operator, cert, "Kepala Desa").status_code == 303
    after = SignerCertificate.get_by_id(cert.id)
    assert after.period_from is None and signs_as_kades(User.by_login("kades"))
    assert cert.positions() == ["Kepala Desa", "Plt. Kepala Desa"]  # no "a.n." for the Kades


def test_an_official_may_sign_on_behalf_with_their_own_title(sekdes_cert):
    assert sekdes_cert.positions()[-1] == "a.n. Kepala Desa, Sekretaris Desa"


@pytest.mark.parametrize("who", ["kades", "sekdes", "kasipem"])
def test_other_roles_are_refused(request, who, db):
    client = request.getfixturevalue(who)
    cert = SignerCertificate.get()
    assert client.get(f"/operator/penanda-tangan/{cert.id}").status_code == 403
    assert designate(client, cert, "Plt. Kepala Desa", "2026-01-01").status_code == 403
    assert client.post(f"/operator/penanda-tangan/{cert.id}/nonaktifkan").status_code == 403
    after = SignerCertificate.get_by_id(cert.id)
    assert after.active and after.position == "Kepala Desa" and after.period_from is None


def test_a_deactivated_certificate_cannot_sign_but_its_letters_stay_asli(
        app, operator, kades, client, issued):
    cert = SignerCertificate.get()
    assert "Ya, nonaktifkan" in operator.get(
        f"/operator/penanda-tangan/{cert.id}").get_data(as_text=True)
    assert operator.post(f"/operator/penanda-tangan/{cert.id}/nonaktifkan").status_code == 303
    assert not SignerCertificate.get_by_id(cert.id).active
    assert "Nonaktif" in operator.get("/operator/penanda-tangan").get_data(as_text=True)
    waiting = make_request(status="diperiksa")
    assert approve(kades, waiting).status_code != 303
    assert reloaded(waiting).status == "diperiksa" and reloaded(waiting).number is None
    pdf = letter_bytes(app, issued.pdf_file)
    page = check_upload(client, pdf).get_data(as_text=True)
    assert "ASLI" in page and issued.number in page
    assert LetterRequest.get_by_id(issued.id).status == "selesai"
