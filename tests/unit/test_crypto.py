import pytest

from core.crypto import SecretBox
from core.errors import InvalidInput


def test_seal_hides_and_open_restores():
    box = SecretBox("a" * 40)
    token = box.seal("AKIA-secret-value")
    assert "AKIA" not in token and box.open(token) == "AKIA-secret-value"


def test_another_key_cannot_open():
    token = SecretBox("a" * 40).seal("value")
    with pytest.raises(InvalidInput) as err:
        SecretBox("b" * 40).open(token)
    assert err.value.code == "secret_undecryptable"
