"""A request filed at the counter for a resident without an account, from search to print."""
import io
import re

from pypdf import PdfReader

from balai.demo import seed
from balai.letters.models import LetterRequest, LetterType
from balai.people.models import Person, User
from tests.support.files import image_bytes, pdf_bytes, upload


def page(response):
    return response.get_data(as_text=True)


def decide(client, letter_id, action, note=""):
    client.get(f"/kotak-masuk/{letter_id}")  # an official decides on the page they opened
    version = LetterRequest.get_by_id(letter_id).version
    return client.post(f"/kotak-masuk/{letter_id}", data={
        "action": action, "note": note, "version": version, "category": "lainnya",
        "passphrase": seed.DEMO_SIGNING_PASSPHRASE})  # the Kades signs; others ignore it


def test_the_counter_files_follows_the_same_route_and_prints(operator, kasipem, sekdes, kades,
                                                             budi, db):
    ahmad = Person.get(Person.nik == "3213050101850003")
    User.delete().where(User.person == ahmad).execute()  # no account, no phone
    found = page(operator.post("/loket", data={"q": "Ahmad"}))
    assert f"/surat/baru?penduduk={ahmad.id}" in found
    chooser = page(operator.get(f"/surat/baru?penduduk={ahmad.id}"))
    form_key = re.search(r'name="form_key" value="([^"]+)"', chooser).group(1)
    domisili = LetterType.get(LetterType.slug == "domisili")
    created = operator.post("/surat/baru", data={"letter_type": domisili.id, "form_key": form_key,
                                                 "penduduk": ahmad.id})
    letter = LetterRequest.get(LetterRequest.form_key == form_key)
    assert created.location.endswith(f"/surat/{letter.id}/isian") and letter.person == ahmad
    operator.post(f"/surat/{letter.id}/isian", data={"keperluan": "Pindah kerja"})
    operator.post(f"/surat/{letter.id}/syarat", content_type="multipart/form-data", data={
        "syarat-ktp": upload(image_bytes(), "ktp.jpg"), "syarat-kk": upload(pdf_bytes(), "kk.pdf")})
    assert operator.post(f"/surat/{letter.id}/ajukan", data={"version": 0}).status_code == 303

    assert decide(kasipem, letter.id, "kembalikan", "Foto KTP buram").status_code == 303
    assert "Foto KTP buram" in page(operator.get(f"/surat/{letter.id}"))
    fixed = operator.post(f"/surat/{letter.id}/syarat", content_type="multipart/form-data",
                          data={"syarat-ktp": upload(image_bytes(color=(9, 9, 9)), "ktp2.jpg")})
    assert fixed.status_code == 303
    assert operator.post(f"/surat/{letter.id}/ajukan", data={"version": 2}).status_code == 303
    for official in (kasipem, sekdes, kades):
        assert decide(official, letter.id, "setujui").status_code == 303

    letter = LetterRequest.get_by_id(letter.id)
    assert letter.status == "selesai" and letter.number.startswith("470/001/")
    assert "Selesai" in page(operator.get("/loket"))
    pdf = operator.get(f"/surat/{letter.id}/unduh")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Ahmad Hidayat" in text and letter.number in text
    assert budi.get(f"/surat/{letter.id}/unduh").status_code == 404
    assert [e.action for e in letter.timeline()] == [
        "ajukan", "kembalikan", "ajukan", "setujui", "setujui", "setujui", "terbit"]
