"""Returning or rejecting a request asks for the kind of reason beside the note: required, in
the decision form without JavaScript, kept on the event, shown on the request's timeline."""
import pytest

from balai.letters.models import LetterEvent, LetterRequest
from balai.letters.workflow import REASON_CATEGORIES
from tests.support.village import error_page_html, waiting

HTMX = {"HX-Request": "true"}
NO_CATEGORY = "Pilih jenis alasan"


def decide(client, letter, action, category, note="Foto KTP buram", headers=None):
    return client.post(f"/kotak-masuk/{letter.id}", headers=headers or {}, data={
        "action": action, "note": note, "version": letter.version, "category": category})


def test_the_decision_form_offers_the_categories_as_a_plain_select(kasipem, db):
    letter = waiting()
    for html in (kasipem.get(f"/kotak-masuk/{letter.id}").get_data(as_text=True),
                 kasipem.get("/kotak-masuk").get_data(as_text=True)):
        assert f'<label for="category-{letter.id}">Jenis alasan' in html
        assert f'<select id="category-{letter.id}" name="category">' in html
        for key, label in REASON_CATEGORIES.items():
            assert f'<option value="{key}">{label}</option>' in html


@pytest.mark.parametrize("action", ["kembalikan", "tolak"])
@pytest.mark.parametrize("category", ["", "rahasia"])
def test_a_return_or_rejection_without_a_category_is_refused_and_keeps_the_note(
        kasipem, db, action, category):
    letter = waiting()
    response = decide(kasipem, letter, action, category, note="Foto KTP buram sekali")
    html = error_page_html(response, f"category-{letter.id}", NO_CATEGORY)
    assert 'value="Foto KTP buram sekali"' in html  # nothing typed is lost
    assert LetterRequest.get_by_id(letter.id).status == "diajukan" and not letter.events.count()


def test_the_chosen_category_is_kept_when_the_note_is_missing(kasipem, db):
    letter = waiting()
    response = decide(kasipem, letter, "tolak", "data_tidak_sesuai", note="")
    html = error_page_html(response, f"note-{letter.id}", "Tuliskan alasannya")
    assert '<option value="data_tidak_sesuai" selected>' in html


def test_an_htmx_refusal_is_a_small_message(kasipem, db):
    letter = waiting()
    response = decide(kasipem, letter, "kembalikan", "", headers=HTMX)
    assert response.status_code == 422 and NO_CATEGORY in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)


@pytest.mark.parametrize("action, status", [("kembalikan", "dikembalikan"), ("tolak", "ditolak")])
def test_the_category_is_kept_on_the_event_and_shown_on_the_timeline(kasipem, budi, db, action,
                                                                      status):
    letter = waiting()
    assert decide(kasipem, letter, action, "berkas_kurang").status_code == 303
    event = LetterEvent.get(LetterEvent.request == letter.id)
    assert (event.to_status, event.reason_category, event.note) == (
        status, "berkas_kurang", "Foto KTP buram")
    for page in (kasipem.get(f"/kotak-masuk/{letter.id}"), budi.get(f"/surat/{letter.id}")):
        assert "Jenis alasan: Berkas syarat kurang" in page.get_data(as_text=True)


def test_an_approval_keeps_no_category(kasipem, db):
    letter = waiting()
    kasipem.get(f"/kotak-masuk/{letter.id}")  # the Kasi approves what they opened
    assert decide(kasipem, letter, "setujui", "berkas_kurang", note="").status_code == 303
    assert LetterEvent.get(LetterEvent.request == letter.id).reason_category is None


def test_a_return_from_before_categories_reads_not_recorded(budi, db):
    letter = waiting(status="dikembalikan")
    LetterEvent.create(request=letter, role="kasi_pem", action="kembalikan",
                       from_status="diajukan", to_status="dikembalikan", note="Foto buram")
    html = budi.get(f"/surat/{letter.id}").get_data(as_text=True)
    assert "Jenis alasan: Tidak dicatat" in html


@pytest.mark.parametrize("category", [None, "", "Berkas syarat kurang"])
def test_the_model_refuses_a_return_without_a_known_category(db, category):
    from balai.letters.workflow import InvalidCategory
    from balai.people.models import User
    letter = waiting()
    with pytest.raises(InvalidCategory):
        letter.apply("kembalikan", User.by_login("kasipem"), "Foto buram", category=category)
    assert not letter.events.count()
