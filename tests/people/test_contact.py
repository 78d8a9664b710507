"""The one WhatsApp number rule and the one e-mail check, shared by the market, notifications
and the village profile."""
import pytest

from balai.notify.models import ContactPoint
from balai.people.contact import WHATSAPP_RULE, is_email, whatsapp_number


@pytest.mark.parametrize("typed, stored", [
    ("081234567890", "6281234567890"),
    ("0812-3456-7890", "6281234567890"),
    ("0812 3456 7890", "6281234567890"),
    ("0812.3456.7890", "6281234567890"),
    ("(0812) 3456-7890", "6281234567890"),
    ("6281234567890", "6281234567890"),
    ("+62 812 3456 7890", "6281234567890"),
    (" 081234567 ", "6281234567"),  # the shortest: 628 and seven digits
    ("0812345678901", "62812345678901"),  # the longest: 628 and eleven digits
])
def test_indonesian_mobile_numbers_are_stored_as_628(typed, stored):
    assert whatsapp_number(typed) == stored


@pytest.mark.parametrize("typed", [
    "", None, "abc",
    "0212345678",  # a Jakarta landline: WhatsApp needs a mobile number
    "08123456",  # too short
    "08123456789012345",  # too long
    "+1 812 3456 7890",  # not Indonesian
    "0812-3456-789O",  # a letter O for a zero
    "０８１２３４５６７８９０",  # full-width digits
    "62８１２３４５６７８９０",
])
def test_anything_else_is_refused(typed):
    assert whatsapp_number(typed) is None


@pytest.mark.parametrize("channel, typed, stored", [
    ("whatsapp", "+62 812-3456-7890", "6281234567890"),
    ("email", " Budi@Contoh.ID ", "budi@contoh.id"),
])
def test_a_contact_point_stores_the_cleaned_address(channel, typed, stored):
    assert ContactPoint.clean_address(channel, typed) == (stored, None)


def test_a_wrong_whatsapp_number_gets_the_same_message_as_in_the_market():
    assert ContactPoint.clean_address("whatsapp", "0212345678") == (None, WHATSAPP_RULE)


@pytest.mark.parametrize("typed, valid", [
    ("nama@contoh.id", True),
    ("pemdes@desa.sukamaju.id", True),
    ("budi+lapak@contoh.co.id", True),
    ("", False),
    (None, False),
    ("bukan-email", False),
    ("nama@contoh", False),
    ("nama@@contoh.id", False),
    ("nama @contoh.id", False),
    ("@contoh.id", False),
])
def test_email_check(typed, valid):
    assert is_email(typed) is valid
