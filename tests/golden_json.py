"""Golden JSON files: normalise what differs between runs, keep everything else verbatim, compare readably.

Only three things vary from run to run, and only they are replaced:
- generated UUIDs become "<id:NAME>" for the objects the test created by name (e.g. "<id:asa>") and "<id:N>" for
  the rest, numbered by first appearance in the document (the same UUID gets the same placeholder everywhere,
  also inside strings such as a link's query);
- lists the API orders by id (e.g. `adjuster_ids`) are checked to be in id order, then written in placeholder
  order, since random ids put them in a random order;
- a link's `cursor=` value (base64 JSON of ids and times) becomes `<cursor>`; following it is asserted apart;
- server times (`created_at`, `updated_at`, `deleted_at`, token expiry and use) become "<time>", and secrets
  (tokens, client secrets) become "<secret>".
Key order, list order, nulls, number formats and Swedish text stay as the API sent them.
"""

import difflib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("SAMVERKAN_UPDATE_GOLDEN") == "1"

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_CURSOR = re.compile(r"cursor=[^&]*")
SERVER_TIMES = frozenset({"created_at", "updated_at", "deleted_at", "expires_at", "last_used_at", "revoked_at"})
SECRETS = frozenset({"token", "client_secret", "access_token", "password"})
ID_ORDERED = frozenset({"adjuster_ids", "strategy_ids", "case_ids", "member_ids", "overdue_principal_ids"})


def normalise(document: Any, names: Mapping[str, str]) -> Any:
    """A copy of the decoded JSON with run-dependent values replaced by placeholders; `names` maps the ids of
    the objects the test created to their names."""
    placeholders = {ident.lower(): f"<id:{name}>" for name, ident in names.items()}
    numbered = [0]

    def placeholder(ident: str) -> str:
        if ident not in placeholders:
            numbered[0] += 1
            placeholders[ident] = f"<id:{numbered[0]}>"
        return placeholders[ident]

    def ids_in(text: str) -> str:
        return _UUID.sub(lambda m: placeholder(m[0].lower()), text)

    def walk(value: Any, key: str | None) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            if key in ID_ORDERED:
                assert value == sorted(value, key=str), f"{key} is not in id order: {value}"
                return sorted(walk(v, key) for v in value)
            return [walk(v, key) for v in value]
        if value is None or not isinstance(value, str):
            return value
        if key in SERVER_TIMES:
            return "<time>"
        if key in SECRETS:
            return "<secret>"
        return ids_in(_CURSOR.sub("cursor=<cursor>", value))

    return walk(document, None)


def render(document: Any, names: Mapping[str, str]) -> str:
    return json.dumps(normalise(document, names), indent=2, ensure_ascii=False) + "\n"


def check(name: str, document: Any, names: Mapping[str, str]) -> None:
    """Compare the normalised document with tests/golden/<name>.json; SAMVERKAN_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / f"{name}.json"
    actual = render(document, names)
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run with SAMVERKAN_UPDATE_GOLDEN=1 to write it"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"golden/{name}.json", "answer now", lineterm=""
        )
        raise AssertionError(f"the answer differs from golden/{name}.json:\n" + "\n".join(diff))
