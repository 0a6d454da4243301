"""HTTP for documents: multipart upload, metadata, download with ranges."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import FileResponse, PlainTextResponse

from app.core.deps import DbSession, Reader
from app.core.errors import ValidationFailed
from app.core.http import (
    CSV_LIST,
    IfMatch,
    OpenedFileResponse,
    answer,
    check_if_match,
    check_range,
    created,
    list_response,
    with_etag,
)
from app.core.openapi import form_examples, problems
from app.core.pagination import ListParams, Page, list_params, page_of
from app.core.textsearch import text_query
from app.documents import extract, service
from app.documents.models import DocumentOut, DocumentRole, DocumentUpdate, LinkIn, LinkTarget

router = APIRouter(prefix="/documents", tags=["documents"])
Params = Annotated[ListParams, Depends(list_params("Document", list(service.SORT_COLUMNS), "-created_at"))]
# A file is served as the media type read from its content at upload: one of the types uploads accept.
FILE_CONTENT = {media: {"schema": {"type": "string", "format": "binary"}} for media in sorted(extract.ALLOWED)}
RANGE_PROBLEMS = problems({400: ["range_malformed"], 416: ["range_not_satisfiable"]})
UPLOAD_ERRORS = problems(
    {
        413: ["xml_too_large", "unzipped_too_large", "parse_out_of_memory"],
        422: ["too_many_zip_entries", "xml_too_deep", "too_many_pdf_pages", "parse_timeout"],
        415: ["unsupported_media_type"],
    },
    {
        413: "The file is over the upload limit, or expands past a limit on its size (`code` and `limit` name it). "
        "Past a limit on its structure or the parse time it is 422.",
        415: "The content is not an allowed type, or does not match the file name.",
    },
)


def _parse_links(values: list[str]) -> list[LinkIn]:
    links = []
    for i, value in enumerate(values):
        kind, _, ident = value.partition(":")
        try:
            links.append(LinkIn(target_type=LinkTarget(kind), target_id=uuid.UUID(ident)))
        except ValueError as exc:
            raise ValidationFailed(
                ("body", "link", i), "must be `meeting|agenda_item|case|decision|fund_application|fund_report:<id>`"
            ) from exc
    return links


@router.get("", name="documents_list", summary="List documents", response_model=Page[DocumentOut], responses=CSV_LIST)
def list_documents(
    request: Request,
    session: DbSession,
    actor: Reader,
    params: Params,
    target_type: LinkTarget | None = None,
    target_id: Annotated[
        uuid.UUID | None, Query(description="Documents linked to this meeting, item, case or decision.")
    ] = None,
    role: DocumentRole | None = None,
    sha256: Annotated[str | None, Query(pattern="^[0-9a-fA-F]{64}$")] = None,
    q: Annotated[str | None, text_query("file name or label")] = None,
) -> Response:
    """Documents (protocols, attachments, presentations) with their links to meetings, items, cases and
    decisions. Any reader; also as CSV."""
    flt = service.DocumentFilter(target_type, target_id, role, sha256, q)
    result = service.list_page(session, actor, flt, params)
    page = page_of(request, result, service.SHAPE.render)
    service.with_links(session, (d for d in page["data"] if "links" in d))
    return list_response(request, page, "documents")


@router.post(
    "",
    name="documents_upload",
    summary="Upload a document (multipart)",
    status_code=201,
    responses=UPLOAD_ERRORS,
    openapi_extra=form_examples(
        "multipart/form-data",
        attachment={
            "file": "(the bytes of Avtal om läkarmedverkan.pdf)",
            "role": "decision_basis",
            "label": "Bilaga 23",
            "link": [
                "agenda_item:6b8fe6e7-4fc2-4b31-a707-4f3730413572",
                "meeting:b1ccf0de-febf-4eb4-bc9c-aa1b0f03b02c",
            ],
        },
    ),
)
def upload_document(
    request: Request,
    session: DbSession,
    actor: Reader,
    file: Annotated[UploadFile, File(description="The file; its type is read from its content.")],
    role: Annotated[DocumentRole, Form()] = DocumentRole.other,
    label: Annotated[str | None, Form(min_length=1, max_length=60, description="e.g. Bilaga 23")] = None,
    link: Annotated[list[str] | None, Form(description="Repeatable: `meeting:<id>`, `agenda_item:<id>`, …")] = None,
) -> DocumentOut:
    """Upload a file as `multipart/form-data`. Its type is read from its content (PDF, Word, Excel, PowerPoint,
    text, PNG or JPEG) and must agree with the file name (415 otherwise); its text is extracted for search. Admins,
    and secretaries for their own bodies' meetings, items, cases and decisions. 413 when the file is over the
    upload limit."""
    doc = service.upload(session, actor, file.file, file.filename or "", role, label, _parse_links(link or []))
    return created(request, doc, service.render(session, doc), "documents_get")  # type: ignore[return-value]


@router.get("/{id}", name="documents_get", summary="Get a document's metadata", response_model=DocumentOut)
def get_document(id: uuid.UUID, session: DbSession, actor: Reader) -> Response:
    """One document's metadata and links. Any reader (an application's attachments: whoever sees it)."""
    doc = service.get(session, id, actor)
    return answer(service.render(session, doc), doc)


@router.get(
    "/{id}/content",
    name="documents_content",
    summary="Download the file (Range requests supported)",
    response_class=FileResponse,
    responses=RANGE_PROBLEMS
    | {
        200: {"description": "The whole file, as the type it was stored as.", "content": FILE_CONTENT},
        206: {
            "description": "The requested byte range (`Content-Range` says which).",
            "content": FILE_CONTENT,
            "headers": {"Content-Range": {"schema": {"type": "string"}, "description": "e.g. bytes 0-1023/48213"}},
        },
    },
)
def download(
    id: uuid.UUID,
    session: DbSession,
    actor: Reader,
    range_header: Annotated[str | None, Header(alias="Range", max_length=200)] = None,
    if_range: Annotated[str | None, Header(alias="If-Range", max_length=200)] = None,
) -> FileResponse:
    """The file itself, as the media type it was stored as, with `Content-Disposition` naming the file.
    `Range: bytes=…` gives 206 with that part (416 when outside the file, 400 when malformed); `If-Range` with the
    `ETag` makes a resumed download safe. Any reader (an application's attachments: whoever sees it)."""
    doc = service.get(session, id, actor)
    check_range(range_header, doc.size, if_range, f'"{doc.sha256}"')
    stored = service.content(doc)
    return OpenedFileResponse(
        stored.open,
        stored.size,
        stored.modified,
        media_type=doc.media_type,
        filename=doc.filename,
        headers={"ETag": f'"{doc.sha256}"', "Cache-Control": "private, max-age=3600"},
    )


@router.get(
    "/{id}/text", name="documents_text", summary="The text extracted from the file", response_class=PlainTextResponse
)
def document_text(id: uuid.UUID, session: DbSession, actor: Reader) -> Response:
    """The text extracted from the file at upload (what search finds), as UTF-8 plain text. Any reader (an
    application's attachments: whoever sees it)."""
    doc = service.get(session, id, actor)
    return Response(doc.text or "", media_type="text/plain; charset=utf-8")


@router.patch(
    "/{id}",
    name="documents_update",
    summary="Update a document's name, label, role or links",
    response_model=DocumentOut,
)
def update_document(
    id: uuid.UUID, body: DocumentUpdate, session: DbSession, actor: Reader, response: Response, if_match: IfMatch = None
) -> dict[str, Any]:
    """Change a document's file name, label, role or links (`links` replaces the list). Admins, and secretaries
    of the bodies that keep the linked objects."""
    doc = service.get(session, id, actor)
    check_if_match(if_match, doc)
    service.update(session, actor, doc, body)
    with_etag(response, doc)
    return service.render(session, doc)


@router.delete("/{id}", name="documents_delete", summary="Delete a document", status_code=204)
def delete_document(id: uuid.UUID, session: DbSession, actor: Reader, if_match: IfMatch = None) -> Response:
    """Delete a document. Admins and secretaries."""
    doc = service.get(session, id, actor)
    check_if_match(if_match, doc)
    service.remove(session, actor, doc)
    return Response(status_code=204)
