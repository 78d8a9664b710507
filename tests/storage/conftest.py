"""An S3 API server for the storage tests (tests/support/s3.py), and the AWS variables that
point the app at it."""
import pytest

from tests.support.s3 import BUCKET, s3_environment, s3_server


@pytest.fixture(scope="session")
def s3_endpoint():
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3(s3_endpoint, monkeypatch, tmp_path):
    """The endpoint, with the environment set as an operator would; no AWS config files."""
    for name, value in s3_environment(s3_endpoint).items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "tidak-ada"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "tidak-ada"))
    return s3_endpoint


@pytest.fixture
def on_s3(s3):
    """Settings of an app whose documents go to the bucket (a prefix of its own per village,
    see tests/conftest.py)."""
    return {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1", "STORAGE_URL": f"s3://{BUCKET}/desa"}
