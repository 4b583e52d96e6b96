"""Bot tokens at rest: encrypted with a key derived from SECRET_KEY (Fernet), so a copy
of the database alone does not give away the agencies' bots."""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    digest = hashlib.sha256(f"hamafza.publishing.tokens:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_token(token: str) -> str:
    return _fernet().encrypt(token.encode()).decode()


def decrypt_token(stored: str) -> str:
    """The token, or "" when it cannot be read (SECRET_KEY changed): the connection then
    shows as broken and asks for the token again."""
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        return ""
