"""Bearer tokens against a protected route: every forged, damaged or stale token is a 401, a missing right a 403.

The bad tokens are built here, by python-jose or by hand, from a good one that a control test shows is accepted:
each bad token differs from it in one way only, so a 200 where a 401 is expected means that one check is missing.
The principal they name holds admin, so a token that slipped through would be answered, not refused for its role.
"""

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient
from jose import jwt

from app.core.principal import PrincipalKind
from app.core.settings import get_settings
from tests.auth.conftest import ME, PRINCIPALS, assert_problem, assert_unauthorized, principal_id
from tests.conftest import bearer

URL = "/api/v1/organisations"
DROP = object()
REQUIRED = ("exp", "iat", "sub", "aud", "iss", "jti")


def claims_for(subject: str, /, **changes: Any) -> dict[str, Any]:
    """The claims of a good access token; a change set to DROP leaves that claim out."""
    settings = get_settings()
    now = int(time.time())
    claims = {
        "sub": subject,
        "iss": settings.token_issuer,
        "aud": settings.token_audience,
        "iat": now,
        "exp": now + 600,
        "jti": str(uuid.uuid4()),
        "typ": "access",
        "scope": "admin",
        **changes,
    }
    return {k: v for k, v in claims.items() if v is not DROP}


def sign(claims: dict[str, Any], key: str | None = None, algorithm: str = "HS256") -> str:
    return str(jwt.encode(claims, key if key is not None else get_settings().secret_key, algorithm=algorithm))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_signed(header: dict[str, Any], claims: dict[str, Any], key: bytes | None) -> str:
    """A JWS put together without python-jose, which refuses to build some of these (PEM as HMAC secret, none)."""
    signing_input = f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest() if key is not None else b""
    return f"{signing_input}.{b64url(signature)}"


@cache
def rsa_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def rsa_pem(private: bool) -> str:
    key = rsa_private_key()
    if private:
        return key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def tampered(sub: str) -> str:
    """A reader-scoped token of an admin whose payload is swapped for one that says admin; the signature is kept."""
    header, _, signature = sign(claims_for(sub, scope="reader")).split(".")
    payload = b64url(json.dumps(claims_for(sub, scope="admin")).encode())
    return f"{header}.{payload}.{signature}"


GOOD: dict[str, Callable[[str], str]] = {
    "jose_hs256": lambda sub: sign(claims_for(sub)),
    "hand_hs256": lambda sub: hand_signed(
        {"alg": "HS256", "typ": "JWT"}, claims_for(sub), get_settings().secret_key.encode()
    ),
}

BAD: dict[str, Callable[[str], str]] = {
    "alg_none": lambda sub: hand_signed({"alg": "none", "typ": "JWT"}, claims_for(sub), None),
    "alg_None_with_signature": lambda sub: hand_signed(
        {"alg": "None", "typ": "JWT"}, claims_for(sub), get_settings().secret_key.encode()
    ),
    "hs384_right_key": lambda sub: sign(claims_for(sub), algorithm="HS384"),
    "hs512_right_key": lambda sub: sign(claims_for(sub), algorithm="HS512"),
    "wrong_key": lambda sub: sign(claims_for(sub), key="another-secret-key-that-is-long-enough-0123456789"),
    "hs256_with_public_pem_as_secret": lambda sub: hand_signed(
        {"alg": "HS256", "typ": "JWT"}, claims_for(sub), rsa_pem(private=False).encode()
    ),
    "rs256_generated_key": lambda sub: sign(claims_for(sub), key=rsa_pem(private=True), algorithm="RS256"),
    "tampered_scope": tampered,
    "expired": lambda sub: sign(claims_for(sub, iat=int(time.time()) - 3600, exp=int(time.time()) - 60)),
    "wrong_audience": lambda sub: sign(claims_for(sub, aud="another-api")),
    "wrong_issuer": lambda sub: sign(claims_for(sub, iss="https://idp.example")),
    **{f"missing_{claim}": (lambda sub, c=claim: sign(claims_for(sub, **{c: DROP}))) for claim in REQUIRED},
    "empty_jti": lambda sub: sign(claims_for(sub, jti="")),
    "unknown_principal": lambda sub: sign(claims_for(str(uuid.uuid4()))),
    "sub_not_a_uuid": lambda sub: sign(claims_for("admin")),
    "unknown_role_in_scope": lambda sub: sign(claims_for(sub, scope="admin superuser")),
    "missing_typ": lambda sub: sign(claims_for(sub, typ=DROP)),
    "refresh_typ": lambda sub: sign(claims_for(sub, typ="refresh")),
    "api_typ_without_prefix": lambda sub: sign(claims_for(sub, typ="api")),
    "access_token_with_api_prefix": lambda sub: "svk_" + sign(claims_for(sub)),
    "signed_but_over_long": lambda sub: sign(claims_for(sub, padding="x" * 10_000)),
    "garbage": lambda sub: "this-is-not-a-jwt",
    "three_garbage_segments": lambda sub: "a.b.c",
    "empty_segments": lambda sub: "..",
    "api_prefix_garbage": lambda sub: "svk_garbage",
    "header_not_an_object": lambda sub: f"{b64url(b'[1]')}.{b64url(b'{}')}.",
    "header_nested_deep": lambda sub: f"{b64url(b'[' * 2500)}.{b64url(b'{}')}.",
    "payload_not_an_object": lambda sub: hand_signed(
        {"alg": "HS256"},
        ["not", "claims"],
        get_settings().secret_key.encode(),  # type: ignore[arg-type]
    ),
}


@pytest.fixture
def admin_sub(make_principal: Callable[..., dict[str, str]]) -> str:
    return principal_id(make_principal("admin"))


@pytest.mark.parametrize("make_token", GOOD.values(), ids=GOOD.keys())
def test_the_token_the_bad_ones_are_made_from_is_accepted(
    client: TestClient, admin_sub: str, make_token: Callable[[str], str]
) -> None:
    r = client.get(URL, headers=bearer(make_token(admin_sub)))
    assert r.status_code == 200, r.text
    r = client.post(URL, json={"kind": "joint_body", "name": "Samråd"}, headers=bearer(make_token(admin_sub)))
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("make_token", BAD.values(), ids=BAD.keys())
def test_bad_tokens_are_401(client: TestClient, admin_sub: str, make_token: Callable[[str], str]) -> None:
    problem = assert_unauthorized(client.get(URL, headers=bearer(make_token(admin_sub))))
    assert problem["instance"] == URL


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer " + "a" * 10_000},
        {"Authorization": "a" * 10_000},
        {"Authorization": b"Bearer \xc3\xa5\xc3\xa4\xc3\xb6.\xff.\x00"},  # type: ignore[dict-item]
    ],
    ids=["none", "empty", "scheme_only", "scheme_and_space", "basic", "long_bearer", "long_header", "non_ascii"],
)
def test_missing_or_unusable_authorization_header_is_401(client: TestClient, headers: dict[str, str]) -> None:
    assert_unauthorized(client.get(URL, headers=headers))


def test_no_token_on_every_kind_of_request(client: TestClient) -> None:
    for method, path in [("GET", URL), ("POST", URL), ("GET", ME), ("GET", PRINCIPALS), ("POST", "/api/v1/api-tokens")]:
        assert_unauthorized(client.request(method, path, json={}), code="unauthorized")


def test_token_of_a_deactivated_principal_is_refused_at_once(
    client: TestClient, admin: dict[str, str], make_principal: Callable[..., dict[str, str]]
) -> None:
    headers = make_principal("reader")
    assert client.get(URL, headers=headers).status_code == 200
    r = client.patch(f"{PRINCIPALS}/{principal_id(headers)}", json={"is_active": False}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["is_active"] is False
    assert_unauthorized(client.get(URL, headers=headers), code="invalid_token")
    client.patch(f"{PRINCIPALS}/{principal_id(headers)}", json={"is_active": True}, headers=admin)
    assert client.get(URL, headers=headers).status_code == 200


def test_revoked_api_token_is_refused_at_once(
    client: TestClient, admin: dict[str, str], make_principal: Callable[..., dict[str, str]]
) -> None:
    service = principal_id(make_principal("reader", kind=PrincipalKind.service))
    created = client.post("/api/v1/api-tokens", json={"principal_id": service, "name": "Intranät"}, headers=admin)
    assert created.status_code == 201, created.text
    api = bearer(created.json()["token"])
    assert client.get(URL, headers=api).status_code == 200
    assert client.delete(f"/api/v1/api-tokens/{created.json()['id']}", headers=admin).status_code == 204
    assert_unauthorized(client.get(URL, headers=api), code="invalid_token")


def test_a_right_the_token_lacks_is_403_not_401(client: TestClient, reader: dict[str, str]) -> None:
    assert client.get(URL, headers=reader).status_code == 200
    problem = assert_problem(client.post(URL, json={"kind": "joint_body", "name": "Samråd"}, headers=reader), 403)
    assert problem["code"] == "missing_role"
    assert_problem(client.get(PRINCIPALS, headers=reader), 403, "missing_role")


@pytest.mark.parametrize("held, scopes", [((), None), (("admin",), []), (("reader",), [])], ids=str)
def test_a_token_with_no_role_may_not_read(
    client: TestClient, make_principal: Callable[..., dict[str, str]], held: tuple[str, ...], scopes: list[str] | None
) -> None:
    headers = make_principal(*held, scopes=scopes)
    assert_problem(client.get(URL, headers=headers), 403, "missing_role")
    me = client.get(ME, headers=headers)
    assert me.status_code == 200
    assert me.json()["grants"] == []


def test_a_token_narrower_than_its_principal_carries_only_its_scopes(
    client: TestClient, make_principal: Callable[..., dict[str, str]]
) -> None:
    full = make_principal("admin")
    narrowed = make_principal("admin", scopes=["reader"])
    body = {"kind": "joint_body", "name": "Samråd"}
    assert client.post(URL, json=body, headers=full).status_code == 201
    assert client.get(URL, headers=narrowed).status_code == 200
    assert_problem(client.post(URL, json={**body, "name": "AU"}, headers=narrowed), 403, "missing_role")
    assert [g["role"] for g in client.get(ME, headers=narrowed).json()["grants"]] == ["reader"]


def test_a_token_never_carries_more_than_its_principal_holds(
    client: TestClient, make_principal: Callable[..., dict[str, str]]
) -> None:
    inflated = make_principal("reader", scopes=["reader", "admin"])
    assert client.get(URL, headers=inflated).status_code == 200
    assert_problem(client.post(URL, json={"kind": "joint_body", "name": "Samråd"}, headers=inflated), 403)
    assert [g["role"] for g in client.get(ME, headers=inflated).json()["grants"]] == ["reader"]


def test_a_removed_role_is_lost_at_once(
    client: TestClient, admin: dict[str, str], make_principal: Callable[..., dict[str, str]]
) -> None:
    headers = make_principal("reader")
    assert client.get(URL, headers=headers).status_code == 200
    r = client.patch(f"{PRINCIPALS}/{principal_id(headers)}", json={"grants": []}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["grants"] == []
    assert_problem(client.get(URL, headers=headers), 403, "missing_role")


def test_an_admin_demoted_to_reader_loses_writes_at_once(
    client: TestClient, admin: dict[str, str], make_principal: Callable[..., dict[str, str]]
) -> None:
    headers = make_principal("admin")
    assert client.post(URL, json={"kind": "joint_body", "name": "Samråd"}, headers=headers).status_code == 201
    r = client.patch(f"{PRINCIPALS}/{principal_id(headers)}", json={"grants": [{"role": "reader"}]}, headers=admin)
    assert r.status_code == 200, r.text
    assert_problem(client.post(URL, json={"kind": "joint_body", "name": "AU"}, headers=headers), 403, "missing_role")
    # The token said admin, the principal now holds reader: the token carries neither right.
    assert_problem(client.get(URL, headers=headers), 403, "missing_role")


# A verified token's claims are kept for its later uses (app.core.security): what was checked once must still hold.


def test_a_token_accepted_before_is_refused_once_it_has_expired(client: TestClient, admin_sub: str) -> None:
    expires = int(time.time()) + 1
    token = sign(claims_for(admin_sub, exp=expires))
    assert client.get(URL, headers=bearer(token)).status_code == 200
    time.sleep(max(0.0, expires + 1 - time.time()))  # python-jose's rule: expired once a whole second has passed
    assert_unauthorized(client.get(URL, headers=bearer(token)), code="invalid_token")


def test_a_token_accepted_before_is_refused_under_another_key(
    client: TestClient, admin_sub: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = sign(claims_for(admin_sub))
    assert client.get(URL, headers=bearer(token)).status_code == 200
    monkeypatch.setattr(get_settings(), "secret_key", "another-secret-key-that-is-long-enough-9876543210")
    assert_unauthorized(client.get(URL, headers=bearer(token)), code="invalid_token")
    monkeypatch.undo()
    assert client.get(URL, headers=bearer(token)).status_code == 200
