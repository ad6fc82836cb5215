import pytest


@pytest.fixture(autouse=True)
def _credential_keys(credential_keys):
    """Every checkpoint test signs and verifies with a key pair of its own (the root conftest's credential_keys)."""
    return credential_keys
