"""HTTP for imports: upload a file, get the plan (dry run), or apply it."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from pydantic import ValidationError as PydanticValidationError

from app.core import crud
from app.core.deps import DbSession, Importer, ParsedFirstImporter, ParsedFirstSession, Reader
from app.core.errors import PayloadTooLarge, ValidationFailed
from app.core.http import answer, list_response
from app.core.openapi import form_examples, problems
from app.core.pagination import ListParams, Page, list_params, page_of, read_page
from app.core.reads import shape
from app.imports import common, folder
from app.imports.attendance import importer as attendance_import
from app.imports.models import ImportOut, ImportRecord, ImportResult, Resolutions
from app.imports.protocol import apply as protocol_apply
from app.imports.protocol import plan as protocol_import

router = APIRouter(prefix="/imports", tags=["imports"])
Params = Annotated[ListParams, Depends(list_params("Import", ["created_at"], "-created_at"))]
DryRun = Annotated[bool, Form(description="Only show the plan (the default); false applies it.")]
ExpectedPlan = Annotated[
    str | None, Form(max_length=64, description="plan_hash from the dry run: refuse (409) if the plan changed since.")
]
UploadedFile = Annotated[UploadFile, File(description="The file to import.")]
Resolve = Annotated[
    list[str] | None, Form(description="Repeatable `Name=person id` for unmatched participants; stored as an alias.")
]
ERRORS = problems(
    {
        413: ["xml_too_large", "unzipped_too_large", "parse_out_of_memory", "attendance_report_too_large"],
        422: ["too_many_zip_entries", "xml_too_deep", "too_many_pdf_pages", "parse_timeout"],
        409: ["import_conflicts", "plan_changed"],
        415: ["unsupported_media_type"],
    },
    {
        413: "The file is too large, or expands past a limit on its size (`code` and `limit` name it); past a "
        "limit on its structure or the parse time it is 422, as for documents.",
        415: "A file in the folder is not an allowed type, or does not match its name.",
    },
)


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


@router.post(
    "/attendance",
    name="imports_attendance",
    summary="Import a Teams attendance report",
    responses=ERRORS | problems({404: ["not_found"]}),  # an unknown meeting_id
    openapi_extra=form_examples(
        "multipart/form-data",
        dry_run={
            "file": "(the bytes of Deltagarlista 2024-05-03.csv)",
            "meeting_id": "b1ccf0de-febf-4eb4-bc9c-aa1b0f03b02c",
        },
        apply={
            "file": "(the bytes of Deltagarlista 2024-05-03.csv)",
            "meeting_id": "b1ccf0de-febf-4eb4-bc9c-aa1b0f03b02c",
            "dry_run": False,
            "expected_plan": "5f1d3c0a9b8e7d6c5b4a392817160504",
            "resolve": ["Anna L (Umeå kommun)=72621704-068b-458d-baf3-1b047a685afd"],
        },
    ),
)
def import_attendance(
    session: DbSession,
    actor: Importer,
    file: UploadedFile,
    meeting_id: Annotated[uuid.UUID, Form()],
    dry_run: DryRun = True,
    expected_plan: ExpectedPlan = None,
    resolve: Resolve = None,
) -> ImportResult:
    """Read a Teams attendance report (.csv or .xlsx, in any of Teams' languages) for a meeting and match its
    names to people. By default a dry run that returns the plan and its `plan_hash`; send `dry_run=false` with
    `expected_plan` to apply it (409 `plan_changed` when the data changed since). Admins and secretaries."""
    planned = attendance_import.plan(
        session, actor, _read(file), file.filename or "", meeting_id, _resolutions(resolve or [])
    )
    if dry_run:
        return ImportResult(applied=False, meeting_id=meeting_id, plan=planned)
    common.check_expected(planned, expected_plan)
    attendance_import.apply(session, actor, planned)
    return ImportResult(applied=not planned.already_imported, meeting_id=meeting_id, plan=planned)


def _conflict_answers(value: str | None) -> Resolutions:
    if not value:
        return Resolutions()
    try:
        return Resolutions.model_validate_json(value)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValidationFailed(("body", "resolutions"), f"{where + ': ' if where else ''}{first['msg']}") from None


ConflictAnswers = Annotated[
    str | None,
    Form(
        max_length=100_000,
        description='JSON: `{"on_conflict": "keep"|"take", "fields": {"item/21/title": "keep", "item/19": "take"}}` '
        "answers the conflicts (changes to hand-entered values): for the whole import, per object, or per field.",
    ),
]
FolderConflictAnswers = Annotated[
    str | None,
    Form(
        max_length=100_000,
        description='JSON: `{"on_conflict": "keep"|"take", "fields": {"item/21/title": "keep"}}` answers the '
        "conflicts of the folder's protocols: a key applies to every protocol of the folder that has it.",
    ),
]


@router.post(
    "/protocol",
    name="imports_protocol",
    summary="Import a protocol (.txt, .docx, .pdf)",
    responses=ERRORS,
    openapi_extra=form_examples(
        "multipart/form-data",
        dry_run={"file": "(the bytes of Protokoll PSB 2024-05-03.docx)"},
        apply={
            "file": "(the bytes of Protokoll PSB 2024-05-03.docx)",
            "dry_run": False,
            "expected_plan": "5f1d3c0a9b8e7d6c5b4a392817160504",
            "resolutions": '{"on_conflict": "keep", "fields": {"item/21/title": "take"}}',
        },
    ),
)
def import_protocol(
    session: ParsedFirstSession,
    actor: ParsedFirstImporter,
    file: UploadedFile,
    dry_run: DryRun = True,
    expected_plan: ExpectedPlan = None,
    resolutions: ConflictAnswers = None,
) -> ImportResult:
    """Read a protocol (.txt, .docx or .pdf) and plan the meeting, its attendance, items and decisions. A dry
    run by default; `dry_run=false` with `expected_plan` applies it (409 `plan_changed` when the data changed since).
    Against a meeting that exists, every object is `create`, `update`, `unchanged` or `conflict` (a hand-entered
    value would change): answer conflicts in `resolutions` (409 `import_conflicts` otherwise).
    Secretaries of the meeting's body and admins."""
    answers = _conflict_answers(resolutions)
    data, name = _read(file), file.filename or ""
    parsed = protocol_import.read(data, name)  # before the session's first statement: see ParsedFirstSession
    info = common.file_info(data, name, layout="protocol")
    planned = protocol_import.plan_parsed(session, actor, parsed, info, answers, applying=not dry_run)
    if dry_run:
        return ImportResult(applied=False, meeting_id=planned.meeting.meeting_id, plan=planned)
    common.check_expected(planned, expected_plan)
    meeting_id = protocol_apply.apply(session, actor, planned)
    return ImportResult(applied=protocol_apply.has_changes(planned), meeting_id=meeting_id, plan=planned)


@router.post(
    "/folder",
    name="imports_folder",
    summary="Import a channel folder as a zip",
    responses=ERRORS,
    openapi_extra=form_examples(
        "multipart/form-data",
        dry_run={"file": "(the bytes of Politisk samverkansberedning.zip)"},
        apply={
            "file": "(the bytes of Politisk samverkansberedning.zip)",
            "dry_run": False,
            "expected_plan": "5f1d3c0a9b8e7d6c5b4a392817160504",
            "resolutions": '{"on_conflict": "keep", "fields": {"item/21/title": "take"}}',
        },
    ),
)
def import_folder(
    session: ParsedFirstSession,
    actor: ParsedFirstImporter,
    file: UploadedFile,
    dry_run: DryRun = True,
    expected_plan: ExpectedPlan = None,
    resolve: Resolve = None,
    resolutions: FolderConflictAnswers = None,
) -> ImportResult:
    """Read a zipped Teams channel folder (protocols, attendance reports, attachments) and plan everything it
    holds. A dry run by default; `dry_run=false` with `expected_plan` applies it. `resolutions` answers the
    conflicts of its protocols (as for one protocol; a key applies to every protocol that has that conflict).
    Admins and secretaries."""
    answers = _conflict_answers(resolutions)
    data = _read(file)
    files = folder.read_zip(data)
    people = _resolutions(resolve or [])
    parsed = folder.read_protocols(files)  # before the session's first statement: see ParsedFirstSession
    name = file.filename or "folder.zip"
    planned = folder.plan(session, actor, files, name, data, people, answers=answers, parsed=parsed)
    if dry_run:
        return ImportResult(applied=False, plan=planned)
    common.check_expected(planned, expected_plan)
    folder.apply(session, actor, files, planned, resolutions=people)
    return ImportResult(applied=not planned.already_imported, plan=planned)


SHAPE = shape(ImportRecord, ImportOut)


@router.get("", name="imports_list", summary="Imports applied, newest first", response_model=Page[ImportOut])
def list_imports(request: Request, session: DbSession, _actor: Reader, params: Params) -> Response:
    """Imports that were applied, newest first, with the file's hash and what they made. Any reader."""
    result = read_page(session, SHAPE, SHAPE.select(), params, {"created_at": ImportRecord.created_at})
    return list_response(request, page_of(request, result, SHAPE.render), "imports")


@router.get("/{id}", name="imports_get", summary="One applied import and what it made", response_model=ImportOut)
def get_import(id: uuid.UUID, session: DbSession, _actor: Reader) -> Response:
    """One applied import: the file, its layout and encoding, and what it created. Any reader."""
    row = crud.get_live(session, ImportRecord, id, "import")
    return answer(SHAPE.one(session, row.id), row)
