"""HTTP for imports: upload a file, get the plan (dry run), or apply it."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from sqlmodel import select

from app.core import crud
from app.core.deps import DbSession, Importer, Reader
from app.core.errors import PayloadTooLarge, ValidationFailed
from app.core.http import list_response, with_etag
from app.core.pagination import ListParams, Page, list_params, paginate, to_page
from app.imports import common, folder
from app.imports.attendance import importer as attendance_import
from app.imports.models import ImportOut, ImportRecord, ImportResult
from app.imports.protocol import apply as protocol_apply
from app.imports.protocol import plan as protocol_import

router = APIRouter(prefix="/imports", tags=["imports"])
Params = Annotated[ListParams, Depends(list_params("Import", ["created_at"], "-created_at"))]
DryRun = Annotated[bool, Form(description="Only show the plan (the default); false applies it.")]
ExpectedPlan = Annotated[
    str | None, Form(max_length=64, description="plan_hash from the dry run: refuse (409) if the plan changed since.")
]
UploadedFile = Annotated[UploadFile, File(description="The file to import.")]
ERRORS: dict[int | str, dict[str, Any]] = {413: {"description": "The file is too large."}}


def _read(upload: UploadFile) -> bytes:
    data = upload.file.read(common.MAX_IMPORT_BYTES + 1)
    if len(data) > common.MAX_IMPORT_BYTES:
        raise PayloadTooLarge(f"Imports are limited to {common.MAX_IMPORT_BYTES} bytes.")
    if not data:
        raise ValidationFailed("file", "is empty")
    return data


def _resolutions(values: list[str]) -> dict[str, uuid.UUID]:
    out = {}
    for i, value in enumerate(values):
        name, _, ident = value.rpartition("=")
        try:
            out[name.strip()] = uuid.UUID(ident.strip())
        except ValueError as exc:
            raise ValidationFailed(("body", "resolve", i), "must be `<name as in the report>=<person id>`") from exc
    return out


@router.post("/attendance", name="imports_attendance", summary="Import a Teams attendance report", responses=ERRORS)
def import_attendance(
    session: DbSession,
    actor: Reader,
    file: UploadedFile,
    meeting_id: Annotated[uuid.UUID, Form()],
    dry_run: DryRun = True,
    expected_plan: ExpectedPlan = None,
    resolve: Annotated[list[str] | None, Form(description="Repeatable `Name=person id`; stored as an alias.")] = None,
) -> ImportResult:
    planned = attendance_import.plan(
        session, actor, _read(file), file.filename or "", meeting_id, _resolutions(resolve or [])
    )
    if dry_run:
        return ImportResult(applied=False, meeting_id=meeting_id, plan=planned)
    common.check_expected(planned, expected_plan)
    attendance_import.apply(session, actor, planned)
    return ImportResult(applied=not planned.already_imported, meeting_id=meeting_id, plan=planned)


@router.post("/protocol", name="imports_protocol", summary="Import a protocol (.txt, .docx, .pdf)", responses=ERRORS)
def import_protocol(
    session: DbSession, actor: Reader, file: UploadedFile, dry_run: DryRun = True, expected_plan: ExpectedPlan = None
) -> ImportResult:
    planned = protocol_import.plan(session, actor, _read(file), file.filename or "")
    if dry_run:
        return ImportResult(applied=False, meeting_id=planned.meeting.meeting_id, plan=planned)
    common.check_expected(planned, expected_plan)
    meeting_id = protocol_apply.apply(session, actor, planned)
    return ImportResult(applied=not planned.already_imported, meeting_id=meeting_id, plan=planned)


@router.post("/folder", name="imports_folder", summary="Import a channel folder as a zip", responses=ERRORS)
def import_folder(
    session: DbSession, actor: Importer, file: UploadedFile, dry_run: DryRun = True, expected_plan: ExpectedPlan = None
) -> ImportResult:
    data = _read(file)
    files = folder.read_zip(data)
    planned = folder.plan(session, actor, files, file.filename or "folder.zip", data)
    if dry_run:
        return ImportResult(applied=False, plan=planned)
    common.check_expected(planned, expected_plan)
    folder.apply(session, actor, files, planned)
    return ImportResult(applied=not planned.already_imported, plan=planned)


@router.get("", name="imports_list", summary="Imports applied, newest first")
def list_imports(request: Request, session: DbSession, _actor: Reader, params: Params) -> Page[ImportOut]:
    result = paginate(session, select(ImportRecord), ImportRecord, params, {"created_at": ImportRecord.created_at})
    return list_response(request, to_page(request, result, ImportOut.model_validate), "imports")


@router.get("/{id}", name="imports_get", summary="One applied import and what it made")
def get_import(id: uuid.UUID, session: DbSession, _actor: Reader, response: Response) -> ImportOut:
    row = crud.get_live(session, ImportRecord, id, "import")
    with_etag(response, row)
    return ImportOut.model_validate(row)
