"""search stemming: Swedish stems indexed on both databases; sort keys for titles, references and file names

Revision ID: 0008_search_stemming
Revises: 0007_inferred_memberships
Create Date: 2026-11-28 20:50:00

Every existing search entry gets its stems here, and the full-text structures are rebuilt over them, so an
upgraded database finds inflected forms at once.
"""
from collections.abc import Callable, Sequence
from datetime import datetime

import sqlalchemy as sa

import app.core.db
from alembic import op
from app.core.text import swedish_sort_key
from app.core.time import local_date
from app.documents.models import document_title
from app.search.swedish import stemmed_text

revision: str = '0008_search_stemming'
down_revision: str | None = '0007_inferred_memberships'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500

# SQLite: FTS5 keeps its own copy of each entry's stems, kept by triggers (see 0002 for why by entry id).
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(entry_id UNINDEXED, title, body, "
    "tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(entry_id, title, body) VALUES (new.id, new.title_stems, new.text_stems); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "DELETE FROM search_fts WHERE entry_id = old.id; END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
    "DELETE FROM search_fts WHERE entry_id = old.id; "
    "INSERT INTO search_fts(entry_id, title, body) VALUES (new.id, new.title_stems, new.text_stems); END",
    "INSERT INTO search_fts(entry_id, title, body) SELECT id, title_stems, text_stems FROM search_entries",
]
# PostgreSQL: the stems are made in Python, so the `simple` configuration (no stemming of its own).
POSTGRESQL_FTS = (
    "CREATE INDEX ix_search_entries_fulltext ON search_entries "
    "USING gin (to_tsvector('simple', title_stems || ' ' || text_stems))"
)
# As 0002 made them, for the way down.
SQLITE_FTS_0002 = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(entry_id UNINDEXED, title, body_text, "
    "tokenize = 'unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(entry_id, title, body_text) VALUES (new.id, new.title, new.body_text); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "DELETE FROM search_fts WHERE entry_id = old.id; END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
    "DELETE FROM search_fts WHERE entry_id = old.id; "
    "INSERT INTO search_fts(entry_id, title, body_text) VALUES (new.id, new.title, new.body_text); END",
    "INSERT INTO search_fts(entry_id, title, body_text) SELECT id, title, body_text FROM search_entries",
]
POSTGRESQL_FTS_0002 = (
    "CREATE INDEX ix_search_entries_fulltext ON search_entries "
    "USING gin (to_tsvector('swedish', title || ' ' || body_text))"
)


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _drop_full_text() -> None:
    if _is_postgresql():
        op.execute("DROP INDEX IF EXISTS ix_search_entries_fulltext")
        return
    for trigger in ("search_entries_ai", "search_entries_ad", "search_entries_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS search_fts")


def _fill(table: str, sources: Sequence[str], targets: dict[str, Callable[..., str]]) -> None:
    """Compute columns in Python, a batch at a time: `targets` maps each new column to a function of `sources`."""
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(sa.text(f"SELECT id FROM {table} ORDER BY id"))]  # noqa: S608
    columns = ", ".join(sources)
    assignments = ", ".join(f"{t} = :{t}" for t in targets)
    update = sa.text(f"UPDATE {table} SET {assignments} WHERE id = :id")  # noqa: S608
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        select = sa.text(f"SELECT id, {columns} FROM {table} WHERE id IN :ids").bindparams(  # noqa: S608
            sa.bindparam("ids", expanding=True)
        )
        rows = conn.execute(select, {"ids": chunk}).all()
        values = [{"id": r[0], **{t: make(*r[1:]) for t, make in targets.items()}} for r in rows]
        if values:
            conn.execute(update, values)


# A document's meeting: linked directly, or through an item or a decision (as app.documents.service finds it).
DOCUMENT_MEETINGS = (
    "SELECT l.document_id, l.target_type, m.starts_at FROM document_links l "
    "LEFT JOIN agenda_items i ON l.target_type = 'agenda_item' AND i.id = l.target_id "
    "LEFT JOIN decisions d ON l.target_type = 'decision' AND d.id = l.target_id "
    "JOIN meetings m ON m.id = COALESCE(CASE WHEN l.target_type = 'meeting' THEN l.target_id END, "
    "i.meeting_id, d.meeting_id)"
)
PREFERRED_LINK = {"meeting": 0, "agenda_item": 1, "decision": 2}


def _retitle_documents() -> None:
    """Documents' entries as the service now makes them: the label once, and the meeting's year."""
    conn = op.get_bind()
    # Ids are compared as each database returns them (hex text on SQLite), never converted.
    starts: dict[object, tuple[int, datetime]] = {}
    meetings = sa.text(DOCUMENT_MEETINGS).columns(starts_at=app.core.db.UTCDateTime())
    for document_id, target_type, starts_at in conn.execute(meetings):
        rank = PREFERRED_LINK[target_type]
        if document_id not in starts or rank < starts[document_id][0]:
            starts[document_id] = (rank, starts_at)
    update = sa.text("UPDATE search_entries SET title = :title, year = COALESCE(:year, year) WHERE id = :id")
    entries = sa.text(
        "SELECT e.id, d.id, d.label, d.filename FROM search_entries e JOIN documents d ON d.id = e.object_id "
        "WHERE e.kind = 'document'"
    )
    values = []
    for entry_id, document_id, label, filename in conn.execute(entries).all():
        meeting = starts.get(document_id)
        year = local_date(meeting[1]).year if meeting else None
        values.append({"id": entry_id, "title": document_title(label, filename)[:500], "year": year})
    if values:
        conn.execute(update, values)


# Sort keys for the sorts lists offer: (table, column, source columns, how the key's text is made).
SORT_KEYS: list[tuple[str, str, list[str], Callable[..., str | None]]] = [
    ("meetings", "title_sort", ["title"], lambda title: title),
    ("agenda_items", "title_sort", ["title"], lambda title: title),
    ("cases", "title_sort", ["title"], lambda title: title),
    ("cases", "reference_sort", ["reference"], lambda reference: reference),
    ("documents", "title_sort", ["label", "filename"], document_title),
    ("documents", "name_sort", ["filename"], lambda filename: filename),
    ("principals", "name_sort", ["display_name"], lambda name: name),
    ("api_tokens", "name_sort", ["name"], lambda name: name),
]


def _add_sort_keys() -> None:
    for table, column, sources, text_of in SORT_KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, app.core.db.SortKey, nullable=True))
        _fill(table, sources, {column: lambda *values, text_of=text_of: swedish_sort_key(text_of(*values) or "")})
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=app.core.db.SortKey, nullable=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def _drop_sort_keys() -> None:
    for table, column, _sources, _text_of in reversed(SORT_KEYS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
            batch_op.drop_column(column)


def upgrade() -> None:
    _add_sort_keys()
    _drop_full_text()
    _retitle_documents()
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_stems', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('text_stems', sa.Text(), server_default='', nullable=False))
    _fill(
        "search_entries",
        ["title", "body_text"],
        {"title_stems": lambda title, _text: stemmed_text(title), "text_stems": lambda _title, text: stemmed_text(text)},
    )
    if _is_postgresql():
        op.execute(POSTGRESQL_FTS)
    else:
        for statement in SQLITE_FTS:
            op.execute(statement)


def downgrade() -> None:
    _drop_sort_keys()
    _drop_full_text()
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.drop_column('text_stems')
        batch_op.drop_column('title_stems')
    if _is_postgresql():
        op.execute(POSTGRESQL_FTS_0002)
    else:
        for statement in SQLITE_FTS_0002:
            op.execute(statement)
