import pytest

from tests.support.signing import approve, reloaded
from tests.support.village import make_request


@pytest.fixture
def issued(db, kades):
    """A letter approved and signed through the Kades's inbox."""
    letter = make_request(status="diperiksa")
    assert approve(kades, letter).status_code == 303
    return reloaded(letter)
