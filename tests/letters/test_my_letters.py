"""'Surat saya' tells a resident's requests apart: purpose, date and number, not one title
repeated."""
from balai.letters.models import LetterRequest
from tests.support.village import make_request


def test_each_request_shows_its_purpose_date_and_number(db, objects, budi):
    draft = make_request(purpose="Mendaftar sekolah anak")
    issued = LetterRequest.get_by_id(objects["letters"][1][0].id)
    page = budi.get("/surat").get_data(as_text=True)
    rows = page.split("<li>")[1:]
    draft_row = next(row for row in rows if f"/surat/{draft.id}\"" in row)
    issued_row = next(row for row in rows if f"/surat/{issued.id}\"" in row)
    assert "Keperluan: Mendaftar sekolah anak" in draft_row and "dibuat " in draft_row
    assert draft.reference in draft_row and "Nomor surat" not in draft_row
    assert f"Nomor surat: <strong>{issued.number}</strong>" in issued_row
    assert "Keperluan: Melamar pekerjaan" in issued_row and "diajukan " in issued_row


def test_a_requests_page_names_its_reference_and_when_it_was_sent(db, objects, budi):
    issued = LetterRequest.get_by_id(objects["letters"][1][0].id)
    page = budi.get(f"/surat/{issued.id}").get_data(as_text=True)
    assert f"{issued.reference}, diajukan " in page
