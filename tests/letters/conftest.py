"""Fixtures the letters tests share: the demo Kades and their key, unlocked."""
import pytest

from balai.demo import seed
from balai.people.models import User
from balai.signing import keys as signing
from balai.signing.models import SignerCertificate
from balai.storage import documents


@pytest.fixture
def kades_user(db):
    return User.by_login("kades")


@pytest.fixture
def signer(app, kades_user):
    row = SignerCertificate.current_for(kades_user)
    return signing.unlock(row, seed.DEMO_SIGNING_PASSPHRASE, documents(app))
