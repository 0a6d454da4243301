"""An upgraded database searches as a new one: entries written before stemming are re-indexed by the migration."""

import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

import app.tables  # noqa: F401 - every table known to the ORM
from app.core.db import create_engine
from app.core.migrations import downgrade, upgrade
from app.core.text import swedish_sort_key
from app.meetings.models import Meeting, MeetingKind, MeetingStatus
from app.organisations.models import Organisation, OrganisationKind
from app.search import service
from app.search.models import SearchEntry, SearchKind
from tests.test_migrations import scratch_url  # noqa: F401 - the fixture

BEFORE_STEMMING = "0004_imports"


def _old_database(url: str) -> dict[str, uuid.UUID]:
    """What a database held before: a case's entry, and a document's entry with the label twice and the year
    it was filed, although its meeting was in 2024."""
    upgrade("head", url)
    engine = create_engine(url)
    ids = {"case": uuid.uuid4(), "document": uuid.uuid4()}
    with Session(engine) as session:
        body = Organisation(
            kind=OrganisationKind.joint_body, name="Samrådet", name_sort=swedish_sort_key("Samrådet"), search_text=""
        )
        session.add(body)
        session.flush()
        meeting = Meeting(
            kind=MeetingKind.ordinary,
            status=MeetingStatus.held,
            lead_body_id=body.id,
            starts_at=datetime(2024, 12, 31, 23, 30, tzinfo=UTC),  # 1 January 2025 in Stockholm
        )
        session.add(meeting)
        session.flush()
        session.add_all(
            [
                SearchEntry(
                    kind=SearchKind.case, object_id=ids["case"], year=2024, title="SAM 2024/001 Avtalet om boendet"
                ),
                SearchEntry(
                    kind=SearchKind.document,
                    object_id=ids["document"],
                    year=2026,
                    title="Bilaga 23 Bilaga 23 Primärvård",
                    body_text="Primärvårdens avtal.",
                ),
            ]
        )
        session.commit()
        meeting_id = meeting.id
    engine.dispose()
    downgrade(BEFORE_STEMMING, url)
    # The document as it was stored then (its table had no sort keys yet).
    engine = create_engine(url)
    with Session(engine) as session:
        session.execute(
            sa.text(
                "INSERT INTO documents (id, created_at, updated_at, version, sha256, filename, media_type, size, "
                "label, role) VALUES (:id, :now, :now, 1, :sha, 'Bilaga 23 Primärvård.pdf', 'application/pdf', 1, "
                "'Bilaga 23', 'other')"
            ).bindparams(sa.bindparam("id", type_=sa.Uuid()), sa.bindparam("now", type_=sa.DateTime())),
            {"id": ids["document"], "now": datetime(2026, 3, 1), "sha": "0" * 64},
        )
        session.execute(
            sa.text(
                "INSERT INTO document_links (document_id, target_type, target_id) VALUES (:doc, 'meeting', :meeting)"
            ).bindparams(sa.bindparam("doc", type_=sa.Uuid()), sa.bindparam("meeting", type_=sa.Uuid())),
            {"doc": ids["document"], "meeting": meeting_id},
        )
        session.commit()
    engine.dispose()
    return ids


def test_an_upgrade_reindexes_what_was_there(scratch_url: str, tmp_path: Path) -> None:  # noqa: F811
    ids = _old_database(scratch_url)
    upgrade("head", scratch_url)
    engine = create_engine(scratch_url)
    with Session(engine) as session:

        def found(q: str) -> set[uuid.UUID]:
            return {hit["id"] for hit in service.search(session, service.SearchFilter(q), 10)}

        assert found("boenden") == {ids["case"]}
        assert found("avtal") == {ids["case"], ids["document"]}
        assert found("primärvården") == {ids["document"]}
        (document,) = service.search(session, service.SearchFilter("primärvård", [SearchKind.document]), 10)
        assert document["title"] == "Bilaga 23 Primärvård"
        assert document["year"] == 2025
        assert document["snippet"] == "«Primärvårdens» avtal."
        # the sort keys the lists sort by are there for the rows that were
        name_sort, title_sort = session.execute(sa.text("SELECT name_sort, title_sort FROM documents")).one()
        assert name_sort == swedish_sort_key("Bilaga 23 Primärvård.pdf")
        assert title_sort == swedish_sort_key("Bilaga 23 Primärvård")
        assert session.execute(sa.text("SELECT title_sort FROM meetings")).scalar_one() == swedish_sort_key("")
    engine.dispose()
