"""Encryption of stored secrets (cloud keys, tokens) with a key derived from the process secret."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken

from core.errors import InvalidInput


class SecretBox:
    """Fernet (AES-128-CBC + HMAC-SHA256) keyed by SHA-256 of the process secret key."""

    def __init__(self, secret_key: str) -> None:
        digest = hashlib.sha256(("cloudtuner-secrets:" + secret_key).encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(digest))
        self._mac_key = hashlib.sha256(("cloudtuner-digests:" + secret_key).encode()).digest()

    def digest(self, value: str) -> str:
        """HMAC-SHA256 of a value under the process secret: kept instead of a one-time code, so a copy of the
        database alone cannot be searched for the codes it holds."""
        return hmac.new(self._mac_key, value.encode(), hashlib.sha256).hexdigest()

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, token: str) -> str:
        """Raises: InvalidInput (secret_undecryptable) when the key changed or the value was tampered with."""
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise InvalidInput("secret_undecryptable") from None
