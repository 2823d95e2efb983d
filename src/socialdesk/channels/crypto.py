"""Channel credentials at rest: Fernet (AES-128-CBC + HMAC-SHA256) with a key from settings.

``key = new_key()`` once, keep it in ``SOCIALDESK_SECRET_KEY`` (or the lead's setting of that name);
store ``encrypt(token, key)``; ``decrypt(stored, key)`` when a client starts. Keys never appear in
logs or error messages: :class:`Secret` wraps a plain value so ``repr``/``str`` show ``'***'``.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken


class CredentialError(Exception):
    """A stored credential cannot be decrypted (wrong key or damaged value)."""


class Secret:
    """A credential that never prints itself; call :meth:`reveal` where the value is needed."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def new_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _fernet(key: str | Secret) -> Fernet:
    raw = key.reveal() if isinstance(key, Secret) else key
    try:
        return Fernet(raw.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise CredentialError("the credentials key is not a Fernet key (32 url-safe base64 bytes)") from None


def encrypt(secret: str | Secret, key: str | Secret) -> str:
    plain = secret.reveal() if isinstance(secret, Secret) else secret
    return _fernet(key).encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(token: str, key: str | Secret) -> Secret:
    try:
        plain = _fernet(key).decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        raise CredentialError("stored credential cannot be decrypted with this key") from None
    return Secret(plain.decode("utf-8"))
