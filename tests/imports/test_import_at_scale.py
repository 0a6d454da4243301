"""Imports at scale: the apply is set-based (its SQL statements do not grow with the protocol), and protocols and
folders are parsed before the import's writing transaction begins (so no other writer waits on a parse).
The time it takes is measured in bench/import_apply.py."""

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.core import db as core_db
from tests.fixtures.big_protocol import protocol
from tests.imports.conftest import Upload


def audit_counts() -> dict[str, int]:
    with Session(core_db.get_engine()) as s:
        rows = s.execute(sa.text("SELECT resource_type, count(*) FROM audit_log GROUP BY resource_type"))
        return {kind: n for kind, n in rows}


def imported(upload: Upload, headers: dict[str, str], count: Callable[[], Any], data: bytes) -> tuple[int, int]:
    """The SQL statements of the dry run and of the apply (each one request)."""
    with count() as dry_run:
        dry = upload("protocol", data, "protokoll.txt", headers)
    assert dry.status_code == 200, dry.text
    assert dry.json()["plan"]["problems"] == [] and dry.json()["plan"]["conflicts"] == []
    with count() as applying:
        r = upload(
            "protocol", data, "protokoll.txt", headers, dry_run=False, expected_plan=dry.json()["plan"]["plan_hash"]
        )
    assert r.status_code == 200, r.text
    assert r.json()["applied"] is True
    return dry_run(), applying()


def test_applying_a_protocol_takes_as_many_statements_for_60_items_as_for_10(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str], count_queries: Callable[[], Any]
) -> None:
    before = audit_counts()
    small = imported(upload, admin, count_queries, protocol(10, 20, day="20240503"))
    middle = audit_counts()
    big = imported(upload, admin, count_queries, protocol(60, 200, day="20240510", first_name=20))
    after = audit_counts()
    assert big == small
    # Every object created still has its audit entry, as when written one by one.
    grown = {k: after.get(k, 0) - middle.get(k, 0) for k in after}
    assert {k: grown[k] for k in ("person", "membership", "agenda_item", "decision", "meeting", "import")} == {
        "person": 200,
        "membership": 200,
        "agenda_item": 60,
        "decision": 60,
        "meeting": 2,  # created, then its attendance recorded
        "import": 1,
    }
    assert middle.get("person", 0) - before.get("person", 0) == 20


@contextmanager
def writing_begins() -> Iterator[list[str]]:
    """The transactions begun in writing mode (the import's session, which takes SQLite's write lock), in order,
    each with the statement that began it."""
    engine = core_db.get_engine()
    begun: list[str] = []

    def on_begin(conn: sa.Connection) -> None:
        if conn.get_execution_options().get(core_db.WRITE_LOCK):
            begun.append("begin")

    sa.event.listen(engine, "begin", on_begin)
    try:
        yield begun
    finally:
        sa.event.remove(engine, "begin", on_begin)


def test_a_protocol_that_cannot_be_parsed_never_begins_the_writing_transaction(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    with writing_begins() as begun:
        r = upload("protocol", bytes(range(256)) * 8, "protokoll.txt", admin, dry_run=False)
    assert r.status_code == 422, r.text
    assert begun == []
    # A protocol that parses is planned in one writing transaction, begun after the parse.
    with writing_begins() as begun:
        r = upload("protocol", protocol(3, 4), "protokoll.txt", admin)
    assert r.status_code == 200, r.text
    assert begun == ["begin"]


def test_a_folder_is_unpacked_and_its_protocols_parsed_before_the_writing_transaction(
    upload: Upload, admin: dict[str, str], orgs: dict[str, str]
) -> None:
    with writing_begins() as begun:
        r = upload("folder", b"PK\x03\x04 not really a zip", "Samråd.zip", admin)
    assert r.status_code == 422, r.text
    assert begun == []
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("Samråd/2024-05-03/Protokoll 2024-05-03.txt", protocol(3, 4))
        z.writestr("Samråd/2024-05-10/Protokoll 2024-05-10.txt", bytes(range(256)) * 8)  # listed as skipped
    with writing_begins() as begun:
        r = upload("folder", out.getvalue(), "Samråd.zip", admin, dry_run=False)
    assert r.status_code == 200, r.text
    assert begun == ["begin"]
    actions = {e["path"]: e["action"] for e in r.json()["plan"]["entries"]}
    assert actions == {
        "Samråd/2024-05-03/Protokoll 2024-05-03.txt": "protocol",
        "Samråd/2024-05-10/Protokoll 2024-05-10.txt": "skipped",
    }
