"""schemathesis against the committed contract: every operation, as an admin and as a reader-only service client,
with valid and invalid input (its examples, coverage and fuzzing phases) and stateful sequences over the links it
infers from the contract (POST → GET/PATCH/DELETE by id, ids passed on as filters).

Every response must: not be a 5xx, carry a documented status code and content type, conform to its schema, and,
when it is an error, be application/problem+json. Each test starts from a small seeded world (tests/seeded.py);
path ids and `*_id` fields mostly name its objects, so requests reach the rules behind the lookups. A last walk
sends every operation a valid request with one unknown query parameter (and form field), which must be a 422.
The summary line "schemathesis requests: N" counts what was sent.

The default depth fits CI on two cores. The full-depth run:

    SAMVERKAN_FUZZ_EXAMPLES=200 ./scripts/test tests/test_fuzz.py
"""

import json
import os
import re
import shutil
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis import Case, CheckContext, checks
from schemathesis.python.asgi import ASGIClient, get_client

from app.core import db as core_db
from tests.conftest import DatabaseInfo
from tests.seeded import World, object_for, seed
from tests.snapshot import fresh_world

CONTRACT = Path(__file__).parent.parent / "openapi" / "openapi.json"
EXAMPLES = int(os.environ.get("SAMVERKAN_FUZZ_EXAMPLES", "8"))
ROLES = ("admin", "reader_service")
PROBLEM = "application/problem+json"

schema = schemathesis.openapi.from_path(
    CONTRACT, config=schemathesis.Config.from_dict({"generation": {"mode": "all", "max-examples": EXAMPLES}})
)


@schemathesis.check
def errors_are_problems(ctx: CheckContext, response: schemathesis.Response, case: Case) -> bool | None:
    """Every 4xx/5xx is a problem document with the status it was sent with."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])[0]
    assert content_type == PROBLEM, f"{response.status_code} answered as {content_type!r}: {response.text[:200]}"
    body = response.json()
    assert body.get("status") == response.status_code and body.get("code"), body
    return None


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.negative_data_rejection,
    errors_are_problems,
]


def checks_for(case: Case) -> list[Any]:
    """A form carries text only: a number where the contract says string (a file's content) is no negative case."""
    if (case.media_type or "").startswith("multipart/"):
        return [c for c in CHECKS if c is not checks.negative_data_rejection]
    return CHECKS


# --- requests aimed at the seeded world ------------------------------------------------------------------------

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def _pick(text: str) -> int:
    """A stable choice from what was generated, so a replayed example sends the same request."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def _aim(world: World, name: str, value: Any) -> Any:
    """A generated UUID for an `*_id` field becomes, three times in four, the id of a seeded object of that kind."""
    if isinstance(value, list):
        return [_aim(world, name, v) for v in value]
    if not isinstance(value, str) or not _UUID.match(value) or _pick(value) % 4 == 0:
        return value
    pool = world.pool(name)
    return pool[_pick(value) % len(pool)] if pool else value


def _aim_mapping(world: World, data: Any) -> Any:
    if isinstance(data, dict):
        return {
            k: _aim(world, k, v) if k.endswith(("_id", "_ids")) else _aim_mapping(world, v) for k, v in data.items()
        }
    if isinstance(data, list):
        return [_aim_mapping(world, v) for v in data]
    return data


def aim(world: World, case: Case) -> None:
    """Path ids, query filters and body references mostly hit real objects; the rest stay as generated."""
    obj = object_for(case.operation.path)
    ident = (case.path_parameters or {}).get("id")
    if obj and isinstance(ident, str) and _UUID.match(ident) and _pick(ident) % 4:
        case.path_parameters = {**(case.path_parameters or {}), "id": world.ids[obj]}
    if case.query:
        case.query = _aim_mapping(world, case.query)
    if isinstance(case.body, dict | list):
        case.body = _aim_mapping(world, case.body)


def role_for(case: Case) -> str:
    """Half of the requests as an admin, half as a reader-only service client; stable for a given case."""
    key = json.dumps([case.path_parameters, case.query, repr(case.body)], sort_keys=True, default=str)
    return ROLES[_pick(key) % len(ROLES)]


# --- fixtures ----------------------------------------------------------------------------------------------------


class Counter:
    def __init__(self) -> None:
        self.requests = 0


@pytest.fixture
def fuzz_world(client: Any, make_principal: Callable[..., dict[str, str]]) -> World:
    return seed(client, make_principal)


@pytest.fixture
def asgi(app: Any, fuzz_world: World) -> Iterator[ASGIClient]:
    with get_client(app) as c:
        yield c


@pytest.fixture
def counted(record_property: Callable[[str, Any], None]) -> Iterator[Counter]:
    counter = Counter()
    yield counter
    record_property("fuzz_requests", counter.requests)


def send(world: World, client: ASGIClient, counter: Counter, case: Case) -> None:
    aim(world, case)
    headers = world.roles[role_for(case)]
    counter.requests += 1
    response = case.call(session=client, base_url="http://localhost", headers=headers)
    case.validate_response(response, checks=checks_for(case), headers=headers)


# --- the tests ---------------------------------------------------------------------------------------------------

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_every_operation(case: Case, fuzz_world: World, asgi: ASGIClient, counted: Counter) -> None:
    send(fuzz_world, asgi, counted, case)


def reseed(world: World, db: DatabaseInfo, make_principal: Callable[..., dict[str, str]]) -> None:
    """The seeded world again, in an otherwise empty database. Hypothesis replays a scenario's choices and needs
    the same answers to them; a database that earlier scenarios changed (deleted the council, took a name) gives
    other answers, and the run fails as flaky instead of reporting what it found (seen at full depth)."""
    engine = core_db.get_engine()
    if db.kind == "sqlite":
        assert db.template is not None and engine.url.database
        path = Path(engine.url.database)
        engine.dispose()
        for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(db.template, path)
    else:
        with engine.begin() as conn:
            conn.execute(sa.text(f"TRUNCATE {', '.join(db.tables)} CASCADE"))
    fresh = fresh_world(world.client, make_principal, db.kind, db.url)
    vars(world).update(vars(fresh))


@pytest.mark.parametrize("role", ROLES)
def test_stateful_sequences(
    role: str,
    fuzz_world: World,
    asgi: ASGIClient,
    counted: Counter,
    db: DatabaseInfo,
    make_principal: Callable[..., dict[str, str]],
) -> None:
    """Create, then read, change and delete what was created, following the links the contract implies; each
    scenario from the same seeded world."""
    scenarios = 0

    class Sequences(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            nonlocal scenarios
            if scenarios:
                reseed(fuzz_world, db, make_principal)
            scenarios += 1

        def call(self, case: Case, **kwargs: Any) -> Any:
            aim(fuzz_world, case)
            counted.requests += 1
            return case.call(session=asgi, base_url="http://localhost", headers=fuzz_world.roles[role])

        def validate_response(self, response: Any, case: Case, **kwargs: Any) -> None:
            case.validate_response(response, checks=checks_for(case))

    run_state_machine_as_test(
        Sequences,
        settings=settings(
            max_examples=max(2, EXAMPLES // 2),
            stateful_step_count=10,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        ),
    )


def test_the_run_covers_every_operation() -> None:
    """The contract is the committed file; tests/test_openapi.py keeps it equal to the app's route table."""
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) == sum(
        1 for item in json.loads(CONTRACT.read_text(encoding="utf-8"))["paths"].values() for _ in item
    )


def test_unknown_parameters_are_refused(app: Any, fuzz_world: World) -> None:
    """A misspelt filter (`bodyid=`) or form field must not be ignored: every operation, sent a request that is
    otherwise valid (the matrix's), answers 422 naming the unknown parameter."""
    from tests.test_authz_matrix import MATRIX, concrete, route_table

    # The matrix sends the imports files that are no report or protocol, refused with a 422 of their own; the
    # multipart rule is checked on POST /documents, whose request is valid.
    not_valid_requests = {"imports_attendance", "imports_folder", "imports_protocol"}
    wrong = []
    for name, (method, path, _) in sorted(route_table(app).items()):
        if name in not_valid_requests:
            continue
        request = MATRIX[name][1](fuzz_world)
        places = [("query", "bodyid", {"params": {**request.get("params", {}), "bodyid": fuzz_world.ids["council"]}})]
        if "files" in request:
            places.append(("body", "etikett", {"data": {**request.get("data", {}), "etikett": "Bilaga 1"}}))
        for where, unknown, extra in places:
            headers = fuzz_world.roles["admin"] if name != "auth_token" else {}
            r = fuzz_world.client.request(
                method, concrete(path, fuzz_world.ids), headers=headers, **{**request, **extra}
            )
            problem = r.json() if r.headers.get("content-type") == PROBLEM else {}
            if r.status_code != 422 or [where, unknown] not in [e["loc"] for e in problem.get("errors", [])]:
                wrong.append(f"{method} {path} with {where} {unknown}: {r.status_code} {r.text[:120]}")
    assert not wrong, "\n".join(wrong)
