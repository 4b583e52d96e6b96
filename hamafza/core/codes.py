"""One-time codes: drawn at random, kept only as a hash keyed with SECRET_KEY (a plain hash
of six digits is read back by trying all million of them, by anyone who can read the
table or the session)."""

import hashlib
import hmac
import secrets

from django.conf import settings


def new_code(digits: int = 6) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def keyed_hash(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def matches(stored_hash: str, code: str) -> bool:
    return bool(stored_hash) and secrets.compare_digest(stored_hash, keyed_hash(code.strip()))
