import pytest

from cordon.status import credentials


@pytest.fixture(autouse=True)
def _credential_keys(settings, tmp_path):
    settings.CORDON_CREDENTIAL_KEY_DIR = str(tmp_path / "keys")
    credentials.clear_cache()
    yield
    credentials.clear_cache()
