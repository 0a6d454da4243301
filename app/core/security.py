"""Tokens and secrets. The only module that imports python-jose; HS256 is pinned both ways."""

import hashlib
import hmac
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from jose import jwt
from jose.exceptions import JOSEError

from app.core.errors import Unauthorized
from app.core.settings import get_settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ("exp", "iat", "sub", "aud", "iss", "jti")
MAX_TOKEN_LENGTH = 4096
API_TOKEN_PREFIX = "svk_"  # noqa: S105 - a marker so leaked tokens are recognisable, not a secret

_hasher = PasswordHasher()
# Verifying against this when the user is unknown makes a failed login take as long either way.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(stored_hash: str | None, secret: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, secret) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def digest(token: str) -> str:
    """API tokens are stored as this digest only; they are long random strings, so no slow hash is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


def create_token(subject: str, *, kind: str, scopes: list[str], lifetime: timedelta, jti: str | None = None) -> str:
    settings = get_settings()
    now = datetime.now(UTC)
    claims = {
        "sub": subject,
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "jti": jti or str(uuid.uuid4()),
        "typ": kind,
        "scope": " ".join(scopes),
    }
    return str(jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM))


# Verifying a token (python-jose parses it twice and checks the signature) costs as much as the database lookup
# that follows it, and a client sends the same token with request after request. So the claims of a verified
# token are kept, keyed by the token itself and the key, audience and issuer it was verified under; a later use
# checks only the expiry again, as python-jose does (whole seconds, no leeway). Bounded: emptied when full.
_VERIFIED_MAX = 1024
_verified: dict[str, tuple[tuple[str, str, str], dict[str, Any]]] = {}


def decode_token(token: str) -> dict[str, Any]:
    """Claims of a token we issued, or Unauthorized. Never trusts the token's own header for the algorithm."""
    if len(token) > MAX_TOKEN_LENGTH:
        raise Unauthorized("The token is too long.", code="invalid_token")
    settings = get_settings()
    under = (settings.secret_key, settings.token_audience, settings.token_issuer)
    known = _verified.get(token)
    if known is not None and known[0] == under:
        claims = known[1]
        if claims["exp"] < int(time.time()):
            raise Unauthorized("The token is invalid or has expired.", code="invalid_token")
        return dict(claims)
    claims = _verify(token, *under)
    if "nbf" not in claims:  # never in ours; a "not before" would need checking again at each use
        if len(_verified) >= _VERIFIED_MAX:
            _verified.clear()
        _verified[token] = (under, dict(claims))
    return claims


def _verify(token: str, key: str, audience: str, issuer: str) -> dict[str, Any]:
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != ALGORITHM:
            raise Unauthorized("The token is not signed with the expected algorithm.", code="invalid_token")
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            audience=audience,
            issuer=issuer,
            options={f"require_{c}": True for c in REQUIRED_CLAIMS},
        )
    except Unauthorized:
        raise
    except JOSEError as exc:
        raise Unauthorized("The token is invalid or has expired.", code="invalid_token") from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise Unauthorized("The token is malformed.", code="invalid_token") from exc
    if not all(claims.get(c) for c in REQUIRED_CLAIMS):
        raise Unauthorized("The token lacks a required claim.", code="invalid_token")
    return claims


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)
