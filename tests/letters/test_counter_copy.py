"""The pages speak to whoever is in front of them: at the counter, an official filing for a
resident is not told "your request"."""
from balai.people.models import User
from tests.support.files import image_bytes, pdf_bytes, upload
from tests.support.village import BUDI, make_request


def filed_and_sent(client, letter):
    client.post(f"/surat/{letter.id}/isian", data={"keperluan": "Pindah kerja"})
    client.post(f"/surat/{letter.id}/syarat", content_type="multipart/form-data", data={
        "syarat-ktp": upload(image_bytes(), "ktp.jpg"), "syarat-kk": upload(pdf_bytes(), "kk.pdf")})
    sent = client.post(f"/surat/{letter.id}/ajukan", data={"version": 0})
    assert sent.status_code == 303
    return client.get(sent.location).get_data(as_text=True)


def test_an_official_filing_at_the_counter_reads_whose_request_it_is(db, login):
    operator = login.as_("operator")
    letter = make_request(nik=BUDI)
    letter.created_by = User.by_login("operator")  # filed at the counter
    letter.save()
    page = filed_and_sent(operator, letter)
    assert "Permohonan atas nama Budi Santoso diajukan." in page
    assert "Permohonan Anda" not in page


def test_a_resident_reads_that_their_request_was_sent(db, budi):
    page = filed_and_sent(budi, make_request(nik=BUDI))
    assert "Permohonan Anda sudah diajukan." in page
