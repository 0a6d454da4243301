"""Importing a Teams channel folder or its zip: protocols, attendance reports, and attachments.

Protocols are imported first; an attendance report goes to the meeting of its own date and start time among
the meetings of the folder's bodies (app/imports/report_meeting.py), or nowhere; other files become documents of
the item whose "Bilaga N" they carry (or of the folder's meeting). Everything skipped is listed with the reason.
One transaction for the whole folder.
"""

import hashlib
import io
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from sqlmodel import Session

from app.core import file_limits
from app.core.errors import AppError, ValidationFailed
from app.core.file_limits import FileLimits
from app.core.principal import Actor
from app.core.text import clean, fold
from app.documents import extract
from app.documents import service as documents
from app.documents.models import DocumentRole, LinkIn, LinkTarget
from app.imports import common, report_meeting
from app.imports.attendance import importer as attendance_import
from app.imports.attendance.parse import AttendanceFormatError, parse_attendance
from app.imports.matching import PeopleIndex, email_from_upn, person_name
from app.imports.models import FolderEntry, FolderPlan, ImportKind, MatchStatus, ProtocolPlan, Resolutions
from app.imports.parsed import ParsedAttendanceReport, ParsedProtocol
from app.imports.protocol import apply as protocol_apply
from app.imports.protocol import merge
from app.imports.protocol import plan as protocol_import
from app.meetings import items as agenda
from app.people.models import Person

# What opening or reading a damaged zip can raise: a bad deflate stream, an unknown method, encryption, …
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)
_ATTACHMENT = re.compile(r"\bbilaga\s*(\d+(?:[.,]\d+)?)", re.IGNORECASE)
_LATIN_LETTERS = re.compile("[À-ÖØ-öø-ÿ]")
_IGNORED = re.compile(r"(^|/)(\.|~\$|__MACOSX/|thumbs\.db$|desktop\.ini$)", re.IGNORECASE)
ATTENDANCE_SUFFIXES = {".csv", ".json", ".tsv"}
ARCHIVE_SUFFIXES = {".zip", ".7z", ".rar", ".gz", ".tgz", ".bz2", ".xz"}
TEXT_SUFFIXES = {".txt", ".docx", ".pdf"}


@dataclass
class SourceFile:
    path: str
    data: bytes


def fix_name(info: zipfile.ZipInfo) -> str:
    """Zip tools that do not flag UTF-8 names get them decoded as cp437 ('Ã¤' for 'ä'): decode them again.

    Not UTF-8, the name is in Windows' OEM code page (cp850, which cp437 reads right for å/ä/ö) or, from a few
    tools, in cp1252 ('σ' for 'å'): whichever reading gives more Latin letters wins."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437", errors="replace")
        try:
            name = raw.decode("utf-8")
        except UnicodeDecodeError:
            ansi = raw.decode("cp1252", errors="replace")
            if len(_LATIN_LETTERS.findall(ansi)) > len(_LATIN_LETTERS.findall(name)):
                name = ansi
    return unicodedata.normalize("NFC", name)


def read_zip(data: bytes) -> list[SourceFile]:
    """The files in a channel zip, within the file limits: entries counted before zipfile reads the directory,
    declared sizes checked before inflating, inflated bytes counted as they come (app.core.file_limits)."""
    limits = FileLimits.current()
    try:
        archive = file_limits.open_zip_bytes(data, limits)
    except _ZIP_ERRORS as exc:
        raise ValidationFailed("file", "is not a zip file") from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if sum(i.file_size for i in infos) > limits.unzipped_bytes:
            raise file_limits.unzipped_too_large(limits.unzipped_bytes)
        unzipped = file_limits.Unzipped(limits)
        try:
            return [SourceFile(fix_name(i), file_limits.read_member(archive, i, unzipped)) for i in infos]
        except _ZIP_ERRORS as exc:
            raise ValidationFailed("file", "the zip is damaged or truncated") from exc


def _is_protocol(f: SourceFile) -> bool:
    suffix = PurePosixPath(f.path).suffix.lower()
    return (
        bool(f.data)
        and not _IGNORED.search(f.path)
        and suffix in TEXT_SUFFIXES
        and "protokoll" in f.path.casefold()
        and not _ATTACHMENT.search(PurePosixPath(f.path).name)
    )


ParsedProtocols = dict[str, ParsedProtocol | ValidationFailed]


def read_protocols(files: list[SourceFile]) -> ParsedProtocols:
    """The folder's protocols read and parsed (each within the file limits), by path: done before the import's
    writing transaction begins. A file that is no protocol keeps its refusal (the plan lists it as skipped); a
    limit exceeded refuses the folder."""
    out: ParsedProtocols = {}
    for f in sorted(files, key=lambda f: f.path):
        if _is_protocol(f):
            try:
                out[f.path] = protocol_import.read(f.data, f.path)
            except ValidationFailed as exc:
                out[f.path] = exc
    return out


def plan(
    session: Session,
    actor: Actor,
    files: list[SourceFile],
    name: str,
    data: bytes | None = None,
    resolutions: dict[str, uuid.UUID] | None = None,
    progress: Callable[[str], None] = lambda _path: None,
    answers: Resolutions | None = None,
    parsed: ParsedProtocols | None = None,
) -> FolderPlan:
    """`resolutions` (`Name=person id`) apply to every attendance report of the folder; `answers` to the conflicts
    of every protocol (a key to each protocol that has that conflict); `progress` is told each file's path as it
    is planned (the CLI's progress); `parsed`: the protocols as read_protocols gives them (read here if not)."""
    common.require_importer(actor)
    parsed = read_protocols(files) if parsed is None else parsed
    limits = FileLimits.current()
    chosen = attendance_import.check_resolutions(session, resolutions or {})
    entries: list[FolderEntry] = []
    protocols: list[tuple[str, ProtocolPlan]] = []
    reports: list[SourceFile] = []
    others: list[SourceFile] = []
    for f in sorted(files, key=lambda f: f.path):
        suffix = PurePosixPath(f.path).suffix.lower()
        if _IGNORED.search(f.path):
            entries.append(FolderEntry(path=f.path, action="skipped", reason="hidden or temporary file"))
        elif not f.data:
            entries.append(FolderEntry(path=f.path, action="skipped", reason="empty file"))
        elif suffix in ARCHIVE_SUFFIXES:
            # Not unpacked: one level of zip is what a channel download is, and all the limits count on it.
            entries.append(
                FolderEntry(path=f.path, action="skipped", reason="an archive inside the zip is not unpacked")
            )
        elif suffix in ATTENDANCE_SUFFIXES:
            reports.append(f)
        elif _is_protocol(f):
            try:
                read = parsed[f.path]
                if isinstance(read, ValidationFailed):
                    raise read
                about = common.file_info(f.data, f.path, layout="protocol")
                p = protocol_import.plan_parsed(session, actor, read, about, answers, strict=False)
            except ValidationFailed as exc:
                entries.append(FolderEntry(path=f.path, action="skipped", reason=exc.errors[0]["msg"]))
            else:
                protocols.append((str(PurePosixPath(f.path).parent), p))
                entries.append(FolderEntry(path=f.path, action="protocol", meeting=report_meeting.protocol_key(p)))
        else:
            others.append(f)
        if entries and entries[-1].path == f.path:
            progress(f.path)
    planned_protocols = [p for _, p in protocols]
    _check_answers(answers or Resolutions(), planned_protocols)
    bodies = report_meeting.folder_bodies(session, name, [f.path for f in files], planned_protocols)
    warnings: list[str] = []
    for f in reports:
        entry = _plan_report(session, actor, f, bodies, planned_protocols, resolutions or {}, chosen)
        entries.append(entry)
        progress(f.path)
        if entry.action == "skipped" and entry.reason and not entry.reason.startswith("not an attendance report"):
            warnings.append(f"{f.path}: {entry.reason}")
    for f in others:
        # What the zip's directory shows is checked now, so the dry run refuses what applying would.
        extract.check_declared(f.data, limits)
        entries.append(_plan_document(f, protocols))
        progress(f.path)
    counts = {a: sum(e.action == a for e in entries) for a in ("protocol", "attendance", "document", "skipped")}
    info = common.file_info(data, name, layout="zip") if data is not None else None
    again = info is not None and common.already_imported(session, ImportKind.folder, info.sha256)
    result = FolderPlan(
        file=info,
        already_imported=again,
        entries=entries,
        protocols=planned_protocols,
        warnings=warnings,
        counts=counts,
    )
    common.seal(result)
    return result


def _check_answers(answers: Resolutions, protocols: list[ProtocolPlan]) -> None:
    """Each key must answer a conflict of at least one protocol of the folder (a typo is a 422, as for one)."""
    keys = {k for p in protocols for k in merge.conflict_keys(p)}
    for key in answers.fields:
        if not merge.answers_any(key, keys):
            raise ValidationFailed(("body", "resolutions", "fields", key), "is not a conflict of any protocol here")


def _folder_protocol(path: str, protocols: list[tuple[str, ProtocolPlan]]) -> ProtocolPlan | None:
    """The protocol in the same folder (or the only one in the import)."""
    folder = str(PurePosixPath(path).parent)
    same = [p for d, p in protocols if d == folder]
    if len(same) == 1:
        return same[0]
    return protocols[0][1] if len(protocols) == 1 else None


def _plan_report(
    session: Session,
    actor: Actor,
    f: SourceFile,
    bodies: set[uuid.UUID],
    protocols: list[ProtocolPlan],
    resolutions: dict[str, uuid.UUID],
    chosen: dict[str, Person],
) -> FolderEntry:
    try:
        report = parse_attendance(f.data, f.path)
    except AttendanceFormatError as exc:
        return FolderEntry(path=f.path, action="skipped", reason=f"not an attendance report: {exc}")
    joins = [p.first_join for p in report.participants if p.first_join]
    start = report.starts_at or min(joins, default=None)
    if start is None:
        return FolderEntry(path=f.path, action="skipped", reason="the report gives no date: nothing imported")
    target, why = report_meeting.meeting_for(session, bodies, protocols, start, report.order_guessed)
    if target is None:
        return FolderEntry(path=f.path, action="skipped", reason=why)
    if target.meeting_id is None:  # the folder's protocol creates the meeting, and the people it names
        unmatched = _unmatched(PeopleIndex.load(session), report, protocols, chosen)
    else:
        try:
            planned = attendance_import.plan(session, actor, f.data, f.path, target.meeting_id, resolutions)
        except AppError as exc:  # the apply would refuse it too: the importer may not edit that meeting
            reason = exc.errors[0]["msg"] if isinstance(exc, ValidationFailed) else exc.detail
            return FolderEntry(path=f.path, action="skipped", reason=reason)
        unmatched = planned.unmatched
    return FolderEntry(
        path=f.path, action="attendance", meeting=target.key, meeting_id=target.meeting_id, unmatched=unmatched
    )


def _unmatched(
    index: PeopleIndex, report: ParsedAttendanceReport, protocols: list[ProtocolPlan], chosen: dict[str, Person]
) -> list[str]:
    """Participants no one will match: not a known person, not resolved, not one the protocols create."""
    created = {fold(p.name) for plan in protocols for p in plan.people if p.match.status is MatchStatus.created}
    out = []
    for p in report.participants:
        email = (p.email or email_from_upn(p.upn) or "").lower() or None
        known = index.match(p.name, email, p.upn).status is MatchStatus.matched
        if not (known or clean(p.name) in chosen or fold(person_name(p.name)) in created):
            out.append(p.name)
    return out


def _plan_document(f: SourceFile, protocols: list[tuple[str, ProtocolPlan]]) -> FolderEntry:
    target = _folder_protocol(f.path, protocols)
    if target is None:
        return FolderEntry(path=f.path, action="skipped", reason="no protocol in its folder to attach it to")
    label = _label(f.path)
    return FolderEntry(path=f.path, action="document", meeting=report_meeting.protocol_key(target), label=label)


def _label(path: str) -> str | None:
    match = _ATTACHMENT.search(PurePosixPath(path).name)
    return f"Bilaga {match.group(1).replace(',', '.')}" if match else None


def apply(
    session: Session,
    actor: Actor,
    files: list[SourceFile],
    planned: FolderPlan,
    progress: Callable[[str], None] = lambda _path: None,
    resolutions: dict[str, uuid.UUID] | None = None,
) -> None:
    """Apply the plan; `progress` is told each file's path as it is done (the CLI's progress bar)."""
    if planned.already_imported:
        return
    by_path = {f.path: f for f in files}
    meeting_of: dict[str, uuid.UUID] = {}
    plan_of: dict[str, ProtocolPlan] = {}
    for entry, p in zip([e for e in planned.entries if e.action == "protocol"], planned.protocols, strict=True):
        meeting_id = protocol_apply.apply(session, actor, p)
        if meeting_id is not None:
            meeting_of[entry.meeting or ""], plan_of[entry.meeting or ""] = meeting_id, p
    for entry in planned.entries:
        progress(entry.path)
        meeting_id = entry.meeting_id or meeting_of.get(entry.meeting or "")
        if meeting_id is None or entry.action not in ("attendance", "document"):
            continue
        f = by_path[entry.path]
        if entry.action == "attendance":
            report = attendance_import.plan(session, actor, f.data, f.path, meeting_id, resolutions)
            attendance_import.apply(session, actor, report)
            continue
        links = [LinkIn(target_type=LinkTarget.meeting, target_id=meeting_id)]
        item_id = _item_carrying(session, meeting_id, plan_of[entry.meeting or ""], entry.label)
        if item_id is not None:
            links.append(LinkIn(target_type=LinkTarget.agenda_item, target_id=item_id))
        role = DocumentRole.decision_basis if entry.label else DocumentRole.other
        if documents.already_linked(session, hashlib.sha256(f.data).hexdigest(), meeting_id):
            continue  # the same file from an earlier import of this folder
        documents.upload(session, actor, io.BytesIO(f.data), PurePosixPath(f.path).name, role, entry.label, links)
    if planned.file is not None:
        common.record_import(session, actor, ImportKind.folder, planned.file, None, planned.counts)


def _item_carrying(
    session: Session, meeting_id: uuid.UUID, protocol: ProtocolPlan, label: str | None
) -> uuid.UUID | None:
    """The agenda item whose protocol text lists this attachment ("Bilaga 22.1")."""
    if label is None:
        return None
    number = next((i.number for i in protocol.items if label.casefold() in (a.casefold() for a in i.attachments)), None)
    if number is None:
        return None
    return next((i.id for i in agenda.items_of(session, meeting_id) if i.number == number), None)
