"""Rules for documents: what may be uploaded, where it is kept, what it is linked to, and its text."""

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from sqlalchemy import Boolean, Label, and_, delete, null, type_coerce
from sqlalchemy import select as sql_select
from sqlalchemy.sql import Select
from sqlmodel import Session, col, select

from app.core import crud
from app.core.errors import Forbidden, UnsupportedMediaType, ValidationFailed, not_found
from app.core.file_limits import FileLimits, run_budgeted
from app.core.pagination import ListParams, PageResult, SortColumns, read_page
from app.core.principal import Actor, Role
from app.core.reads import RELATED_TO, attach, execute, shape
from app.core.settings import get_settings
from app.core.text import clean
from app.core.textsearch import TextFields, matching
from app.core.time import local_date
from app.documents import extract, storage
from app.documents.models import (
    Document,
    DocumentLink,
    DocumentOut,
    DocumentRole,
    DocumentUpdate,
    LinkIn,
    LinkTarget,
    document_title,
)
from app.search import service as search
from app.search.models import SearchKind

KIND = "document"
# Control characters have no place in a file name (PostgreSQL cannot even store NUL).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SORT_COLUMNS: SortColumns = {
    "title": col(Document.title_sort),
    "name": col(Document.name_sort),
    "created_at": col(Document.created_at),
    "updated_at": col(Document.updated_at),
}
TEXT_FIELDS: TextFields = (col(Document.filename), col(Document.label))
# A document as it is shown: whether it has text, not the text itself; its links (objects, not ids) come from one
# query for all the rows read (`with_links`).
SHAPE = shape(
    Document,
    DocumentOut,
    computed={
        "links": null(),
        "has_text": type_coerce(and_(col(Document.text).is_not(None), col(Document.text) != ""), Boolean),
    },
)


@dataclass(frozen=True)
class DocumentFilter:
    target_type: LinkTarget | None = None
    target_id: uuid.UUID | None = None
    role: DocumentRole | None = None
    sha256: str | None = None
    q: str | None = None


def get(session: Session, ident: uuid.UUID, actor: Actor | None = None) -> Document:
    """A live document; with `actor`, only one this caller may see (404 otherwise): see `visible_to`."""
    doc = crud.get_live(session, Document, ident, KIND)
    hidden = _hidden(actor) if actor is not None else None
    if hidden is not None and session.execute(hidden.where(col(DocumentLink.document_id) == ident)).first():
        raise not_found(KIND, ident)
    return doc


def _hidden(actor: Actor) -> Select[Any] | None:
    """The documents this caller may not see: attachments of applications it may not see (None: it sees all)."""
    from app.funds.applications.visibility import hidden_documents

    return hidden_documents(actor)


def list_page(session: Session, actor: Actor, flt: DocumentFilter, params: ListParams) -> PageResult:
    stmt = matching(SHAPE.select(), TEXT_FIELDS, flt.q)
    hidden = _hidden(actor)
    if hidden is not None:
        stmt = stmt.where(col(Document.id).not_in(hidden))
    if flt.target_id or flt.target_type:
        linked = select(DocumentLink.document_id)
        if flt.target_id:
            linked = linked.where(DocumentLink.target_id == flt.target_id)
        if flt.target_type:
            linked = linked.where(DocumentLink.target_type == flt.target_type)
        stmt = stmt.where(col(Document.id).in_(linked))
    if flt.role:
        stmt = stmt.where(col(Document.role) == flt.role)
    if flt.sha256:
        stmt = stmt.where(col(Document.sha256) == flt.sha256.lower())
    return read_page(session, SHAPE, stmt, params, SORT_COLUMNS)


# Built once: the links of the documents given as the `document_ids` parameter, each one's by target type and id.
_LINK_COLUMNS: list[Label[Any]] = [
    col(DocumentLink.document_id).label("document_id"),
    col(DocumentLink.target_type).label("target_type"),
    col(DocumentLink.target_id).label("target_id"),
]
_LINKS = (
    sql_select(*_LINK_COLUMNS)
    .where(col(DocumentLink.document_id).in_(RELATED_TO))
    .order_by(col(DocumentLink.target_type), col(DocumentLink.target_id))
)


def links_of(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[LinkIn]]:
    docs = attach(session, [{"id": i} for i in ids], "links", _LINKS, "document_id")
    return {d["id"]: [LinkIn.model_validate(link) for link in d["links"]] for d in docs}


def with_links(session: Session, docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fill in the documents' links from one query for them all."""
    return attach(session, list(docs), "links", _LINKS, "document_id")


def render(session: Session, doc: Document) -> dict[str, Any]:
    return with_links(session, [SHAPE.one(session, doc.id)])[0]


def linked_to(targets: Any) -> Select[Any]:
    """The statement of the live documents linked to any of `targets` (a subquery of ids, which may take
    parameters), as they are shown, oldest first."""
    linked = sql_select(col(DocumentLink.document_id)).where(col(DocumentLink.target_id).in_(targets))
    stmt = SHAPE.select().where(col(Document.id).in_(linked), col(Document.deleted_at).is_(None))
    return stmt.order_by(col(Document.created_at), col(Document.id))


def for_targets(session: Session, stmt: Select[Any], params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The documents a `linked_to` statement reads, with their links."""
    return with_links(session, [SHAPE.render(row) for row in execute(session, stmt, params)])


# Filed by the applicant principal's editors and by fund managers, not by a body's secretaries.
FUND_TARGETS = frozenset({LinkTarget.fund_application, LinkTarget.fund_report})


def _target_model(target: LinkTarget) -> type:
    from app.cases.models import Case
    from app.decisions.models import Decision
    from app.funds.applications.models import Application
    from app.funds.grants.models import Report
    from app.meetings.models import AgendaItem, Meeting

    return {
        LinkTarget.meeting: Meeting,
        LinkTarget.agenda_item: AgendaItem,
        LinkTarget.case: Case,
        LinkTarget.decision: Decision,
        LinkTarget.fund_application: Application,
        LinkTarget.fund_report: Report,
    }[target]


def _check_links(session: Session, links: list[LinkIn]) -> None:
    for i, link in enumerate(links):
        crud.live_or_invalid(
            session,
            _target_model(link.target_type),
            link.target_id,
            ("body", "links", i, "target_id"),
            link.target_type.value,
        )


def _bodies_of(session: Session, links: list[LinkIn]) -> list[list[uuid.UUID]]:
    """For each link, the bodies whose secretaries keep its target (none for a case without a body)."""
    from app.meetings.service import body_ids_of

    out: list[list[uuid.UUID]] = []
    for link in links:
        obj = session.get(_target_model(link.target_type), link.target_id)
        if obj is None or link.target_type in FUND_TARGETS:
            out.append([])
        elif link.target_type is LinkTarget.meeting:
            out.append(body_ids_of(session, [obj.id])[obj.id])
        elif link.target_type is LinkTarget.agenda_item:
            out.append(body_ids_of(session, [obj.meeting_id])[obj.meeting_id])
        elif link.target_type is LinkTarget.case:
            out.append([obj.responsible_body_id] if obj.responsible_body_id else [])
        else:
            out.append([obj.body_id])
    return out


def _require_secretary(session: Session, actor: Actor, links: list[LinkIn]) -> None:
    """Secretaries file documents for their own bodies' meetings, items, cases and decisions only. An
    application's attachments are filed by its applicant's editors and by fund managers instead."""
    applications = [lk for lk in links if lk.target_type in FUND_TARGETS]
    if applications:
        _require_application_filer(session, actor, applications)
        links = [lk for lk in links if lk.target_type not in FUND_TARGETS]
        if not links:
            return
    _may_upload(actor)
    if actor.is_admin:
        return
    for bodies in _bodies_of(session, links):
        if bodies and not any(actor.holds(Role.secretary, b) for b in bodies):
            raise Forbidden(
                "Only a secretary of the body that keeps a linked object may file documents for it.",
                code="missing_role",
            )


def _require_application_filer(session: Session, actor: Actor, links: list[LinkIn]) -> None:
    from app.funds.applications.models import Application
    from app.funds.grants.models import FundGrant, Report

    for link in links:
        target_id = link.target_id
        if link.target_type is LinkTarget.fund_report:
            report = session.get(Report, link.target_id)
            grant = session.get(FundGrant, report.grant_id) if report else None
            target_id = grant.application_id if grant else target_id
        application = session.get(Application, target_id)
        applicant = application.applicant_id if application else None
        if not (actor.has_role(Role.fund_manager) or (applicant and actor.holds(Role.editor, applicant))):
            raise Forbidden(
                "Only the applicant principal's editors and fund managers may file documents for an application.",
                code="missing_role",
            )


def _store_links(session: Session, doc: Document, links: list[LinkIn]) -> None:
    session.execute(delete(DocumentLink).where(col(DocumentLink.document_id) == doc.id))
    for link in {(lk.target_type, lk.target_id) for lk in links}:
        session.add(DocumentLink(document_id=doc.id, target_type=link[0], target_id=link[1]))


def _dump(links: list[LinkIn]) -> list[dict[str, str]]:
    return [lk.model_dump(mode="json") for lk in links]


def _may_upload(actor: Actor) -> None:
    if not actor.has_role(Role.secretary):
        raise Forbidden("Only admins and secretaries may upload documents.", code="missing_role")


def _safe_filename(name: str) -> str:
    base = clean(_CONTROL.sub(" ", PurePosixPath(name.replace("\\", "/")).name))
    if not base or base in {".", ".."}:
        raise ValidationFailed("file", "has no file name")
    return base[:255]


def _meeting_year(session: Session, links: list[LinkIn]) -> int | None:
    """The year of the meeting the document belongs to: the first linked meeting, or that of a linked item or
    decision (a case has no meeting)."""
    from app.meetings.models import Meeting

    for link in links:
        if link.target_type is LinkTarget.case or link.target_type in FUND_TARGETS:
            continue
        obj = session.get(_target_model(link.target_type), link.target_id)
        if obj is None:
            continue
        meeting = obj if link.target_type is LinkTarget.meeting else session.get(Meeting, obj.meeting_id)
        if meeting is not None:
            return local_date(meeting.starts_at).year
    return None


def _index(session: Session, doc: Document, links: list[LinkIn]) -> None:
    if any(lk.target_type is LinkTarget.fund_application for lk in links):
        # An application's attachments are seen only by those who see the application: search shows them to none.
        search.unindex(session, SearchKind.document, doc.id)
        return
    # Found under the body of what it is filed with (the first link that has one), so a body filter finds it;
    # in its meeting's year, else the year it came.
    body_id = next((b for bodies in _bodies_of(session, links) for b in bodies), None)
    year = _meeting_year(session, links) or local_date(doc.created_at).year
    search.index(session, SearchKind.document, doc.id, document_title(doc.label, doc.filename), doc.text, body_id, year)


def _inspect(tmp: Path, name: str, size: int) -> tuple[str, extract.Inspection]:
    """What the stored upload is, and its text: read in the parsing child, within the file limits."""
    if size == 0:
        raise ValidationFailed("file", "is empty")
    suffix = Path(name).suffix.lower()
    try:
        found = run_budgeted(extract.inspect, tmp, suffix, limits=FileLimits.current())
    except extract.UnreadableFile as exc:
        raise ValidationFailed("file", str(exc)) from exc
    media = found.media_type
    if media is None or media not in extract.ALLOWED:
        raise UnsupportedMediaType(f"{name} is not a PDF, Word, Excel, PowerPoint, text, PNG or JPEG file.")
    if suffix not in extract.EXTENSIONS[media]:
        raise UnsupportedMediaType(f"{name} is named {suffix or 'with no extension'} but its content is {media}.")
    return media, found


def upload(
    session: Session,
    actor: Actor,
    stream: BinaryIO,
    filename: str,
    role: DocumentRole,
    label: str | None,
    links: list[LinkIn],
) -> Document:
    """Store a file: its media type is read from the content and must agree with its name."""
    if not any(lk.target_type in FUND_TARGETS for lk in links):
        _may_upload(actor)  # refused before anything is read; an application's filers are checked with its links
    name = _safe_filename(filename)
    _check_links(session, links)
    _require_secretary(session, actor, links)
    sha, size, tmp = storage.store(stream, get_settings().max_upload_bytes)
    try:
        media, found = _inspect(tmp, name, size)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    storage.keep_on_commit(session, tmp, sha)
    doc = Document(
        sha256=sha,
        filename=name,
        media_type=media,
        size=size,
        label=label,
        role=role,
        text=found.text,
        text_truncated=found.truncated,
    )
    fields = {
        "filename": name,
        "sha256": sha,
        "size": size,
        "role": role,
        "label": label,
        "links": _dump(links),
    }
    crud.create(session, actor, doc, KIND, fields)
    _store_links(session, doc, links)
    _index(session, doc, links)
    session.flush()
    return doc


def update(session: Session, actor: Actor, doc: Document, data: DocumentUpdate) -> Document:
    links = links_of(session, [doc.id])[doc.id]
    _require_secretary(session, actor, links)
    changes = data.model_dump(exclude_unset=True, exclude={"links"})
    if changes.get("filename"):
        changes["filename"] = _safe_filename(changes["filename"])
    diff = crud.apply_changes(doc, changes, required={"filename", "role"})
    if data.links is not None:
        _check_links(session, data.links)
        _require_secretary(session, actor, data.links)
        _store_links(session, doc, data.links)
        diff["links"] = [_dump(links), _dump(data.links)]
        links = data.links
    _index(session, doc, links)
    crud.save_update(session, actor, doc, KIND, diff)
    return doc


def remove(session: Session, actor: Actor, doc: Document) -> None:
    _require_secretary(session, actor, links_of(session, [doc.id])[doc.id])
    search.unindex(session, SearchKind.document, doc.id)
    crud.soft_delete(session, actor, doc, KIND)


@dataclass(frozen=True)
class Content:
    """A document's stored file: its size and time, and how to open it for reading (as a seekable file)."""

    open: Callable[[], BinaryIO]
    size: int
    modified: float


def content(doc: Document) -> Content:
    """The stored file, looked up before a response starts, so content missing from the store is an error then,
    not a download cut short. The file itself is opened only when it is read."""
    store, sha = storage.current(), doc.sha256
    info = store.stat(sha)
    return Content(lambda: store.open(sha), info.size, info.modified)


def already_linked(session: Session, sha256: str, target_id: uuid.UUID) -> bool:
    """Whether a live document with this content is already linked to the object (re-imports)."""
    linked = select(DocumentLink.document_id).where(DocumentLink.target_id == target_id)
    stmt = select(Document.id).where(
        Document.sha256 == sha256, col(Document.id).in_(linked), col(Document.deleted_at).is_(None)
    )
    return session.exec(stmt).first() is not None
