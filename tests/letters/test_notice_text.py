"""The messages the workflow sends read as one sentence, whatever the official typed."""
import pytest

from balai.letters.models import LetterRequest
from balai.notify.models import Notification
from balai.people.models import User
from tests.support.village import make_request


@pytest.mark.parametrize("typed", ["Foto KTP buram.", "Foto KTP buram", "Foto KTP buram. "])
def test_a_reason_ending_with_a_full_stop_prints_one(app, db, typed):
    letter = make_request(status="diverifikasi")
    letter.apply("kembalikan", User.by_login("sekdes"), note=typed, category="lainnya")
    message = Notification.get().message
    assert "Alasan: Foto KTP buram. Perbaiki" in message and ".." not in message


def test_a_revocation_reason_ending_with_a_full_stop_prints_one(app, db):
    letter = make_request(status="selesai")
    letter.number = "470/1/2026"
    letter.save()
    LetterRequest.get_by_id(letter.id).revoke(User.by_login("kades"), "Data keliru.")
    message = Notification.get().message
    assert "Alasan: Data keliru. Hubungi" in message and ".." not in message
