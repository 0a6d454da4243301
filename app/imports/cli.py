"""`samverkan import …`: the same imports as the API, run locally or against a remote server over HTTP."""

import io
import json
import shlex
import uuid
import zipfile
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, TaskID
from rich.table import Table

from app.core.principal import Actor, Grant, PrincipalKind, Role

import_cli = typer.Typer(
    help="Import Teams exports: attendance reports, protocols, channel folders.", no_args_is_help=True
)
console = Console(stderr=True)
SYSTEM = Actor(uuid.UUID(int=0), PrincipalKind.service, "cli import", frozenset({Grant(Role.admin)}))
Server = Annotated[str | None, typer.Option(help="Import through a remote server's API instead of locally.")]
Token = Annotated[str | None, typer.Option(help="Bearer token for --server.", envvar="SAMVERKAN_TOKEN")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Only show the plan; change nothing.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the plan as JSON (the API's document).")]
Resolve = Annotated[
    list[str] | None,
    typer.Option(help="`Name=person id` for a participant not matched (repeatable); kept as an alias."),
]


class Answer(StrEnum):
    keep = "keep"
    take = "take"


OnConflict = Annotated[
    Answer | None,
    typer.Option(
        "--on-conflict",
        help="Answer every conflict (a change to a hand-entered value): keep it, or take the import's.",
    ),
]
ConflictAnswer = Annotated[
    list[str] | None,
    typer.Option(
        "--conflict",
        help="`KEY=keep|take` for one conflict, or every conflict of an object (`item/21`); repeatable, "
        "and before --on-conflict.",
    ),
]


class Steps:
    """Progress on stderr: a bar when it is a terminal, else one plain line a step (for logs, cron and CI)."""

    def __init__(self, what: str, total: int, out: Console | None = None) -> None:
        self.what, self.total, self.done = what, total, 0
        self.out = out or console
        self.bar = Progress(console=self.out) if self.out.is_terminal else None
        self.task: TaskID | None = None

    def __enter__(self) -> "Steps":
        if self.bar is not None:
            self.bar.start()
            self.task = self.bar.add_task(self.what, total=self.total)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self.bar is not None:
            self.bar.stop()

    def step(self, label: str) -> None:
        self.done += 1
        if self.bar is not None and self.task is not None:
            self.bar.update(self.task, advance=1, description=f"{self.what} {label}")
        else:
            _plain(f"{self.what} {self.done}/{self.total}: {label}", self.out)


def _plain(line: str, out: Console | None = None) -> None:
    """A line as it is: names and paths are data, not rich markup, and a line to copy is never wrapped."""
    (out or console).print(line, markup=False, highlight=False, soft_wrap=True)


def _remote(server: str, token: str | None, path: str, files: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    if not token:
        console.print("[red]--server needs --token (or SAMVERKAN_TOKEN).[/red]")
        raise typer.Exit(2)
    response = httpx.post(
        f"{server.rstrip('/')}/api/v1/imports/{path}",
        files=files,
        data=data,
        headers={"Authorization": f"Bearer {token}"},
        timeout=300,
    )
    body: dict[str, Any] = response.json() if response.content else {}
    if response.status_code == 409 and body.get("code") == "import_conflicts" and data.get("dry_run") == "false":
        return _remote(server, token, path, files, data | {"dry_run": "true"})  # the plan, to show them
    if response.status_code >= 400:
        console.print(f"[red]{response.status_code}: {body.get('detail', response.text)}[/red]")
        raise typer.Exit(1)
    return body


def _local(run: Any) -> dict[str, Any]:
    """Run plan (and apply) in one local transaction, as the API would: it begins (and takes the write lock) at
    the first statement, after the files are parsed."""
    import app.tables  # noqa: F401 - every table known before the first query
    from app.core.db import session_scope

    with session_scope(writes=True, lazily=True) as session:
        result = run(session)
    return json.loads(result.model_dump_json())


def _show(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    plan = result["plan"]
    verb = (
        "Applied" if result["applied"] else ("Already imported" if plan.get("already_imported") else "Plan (dry run)")
    )
    console.print(f"[bold]{verb}[/bold]: {plan['kind']} {plan.get('file', {}) and plan['file']['filename']}")
    table = Table("what", "count")
    for key, value in plan.get("counts", {}).items():
        table.add_row(key, str(value))
    console.print(table)
    for warning in plan.get("warnings", []):
        console.print(f"[yellow]warning:[/yellow] {escape(warning)}")
    for entry in plan.get("entries", []):
        if entry["action"] == "skipped":
            _plain(f"skipped {entry['path']}: {entry['reason']}")
    _show_unmatched(plan)
    _show_conflicts(plan)


def answers(on_conflict: Answer | None, conflict: list[str] | None) -> dict[str, Any]:
    """`--on-conflict` and `--conflict KEY=keep|take` as the API's `resolutions` document."""
    fields = {}
    for value in conflict or []:
        key, _, answer = value.rpartition("=")
        if not key.strip() or answer.strip() not in ("keep", "take"):
            console.print(f"[red]--conflict {escape(value)}: must be KEY=keep or KEY=take.[/red]")
            raise typer.Exit(2)
        fields[key.strip()] = answer.strip()
    return {"on_conflict": on_conflict.value if on_conflict else None, "fields": fields}


def _changes(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    objects = [plan["meeting"], *plan["items"], *plan["attendance"]]
    objects += [o for i in plan["items"] for o in [*i["decisions"], *i["presenters"]]]
    return {c["key"]: c for o in objects for c in o["changes"]}


def _show_conflicts(plan: dict[str, Any]) -> None:
    """The conflicts left (key, the hand-entered value, the import's) and the options that answer them."""
    protocols = [e["path"] for e in plan.get("entries", []) if e["action"] == "protocol"]
    plans = (
        [(None, plan)] if plan["kind"] == "protocol" else list(zip(protocols, plan.get("protocols", []), strict=True))
    )
    left = [(where, _changes(p)[key]) for where, p in plans for key in p.get("conflicts", [])]
    if not left:
        return
    _plain(f"{len(left)} conflict(s): the import would change a value entered by hand; nothing is applied until")
    _plain("each is answered (keep the hand-entered value, or take the import's):")
    for where, c in left:
        old, new = (json.dumps(v, ensure_ascii=False) for v in (c["old"], c["new"]))
        _plain(f"  {c['key']}: {old} → {new}" + (f" in {where}" if where else ""))
    _plain("To answer them, run the same import again with one of:")
    _plain("  --on-conflict keep")
    _plain("  --on-conflict take")
    keys = dict.fromkeys(c["key"] for _, c in left)
    _plain("  " + " ".join(f"--conflict {shlex.quote(f'{key}=keep')}" for key in keys))
    if plan["kind"] == "folder":
        _plain("(a key answers that conflict in every protocol of the folder that has it)")


def _refused_for_conflicts(result: dict[str, Any], dry_run: bool) -> None:
    plan = result["plan"]
    left = plan.get("conflicts") or any(p["conflicts"] for p in plan.get("protocols", []))
    if left and not dry_run:
        console.print("[red]Not applied: answer the conflicts above.[/red]")
        raise typer.Exit(1)


def _show_unmatched(plan: dict[str, Any]) -> None:
    """Who was not matched, by name, and the `--resolve` options that record them when run again."""
    reports = [(None, plan)] if plan["kind"] == "attendance" else [(e["path"], e) for e in plan.get("entries", [])]
    names = [(where, name) for where, report in reports for name in report.get("unmatched", [])]
    if not names:
        return
    matches = {p["name"]: p["match"] for p in plan.get("participants", [])}
    _plain(f"{len(names)} participant(s) not matched; their attendance is not recorded:")
    for where, name in names:
        match = matches.get(name, {})
        candidates = ", ".join(f"{c['name']} {c['id']}" for c in match.get("candidates", []))
        status = match.get("status", "unmatched") + (f" (one of: {candidates})" if candidates else "")
        _plain(f"  {name}: {status}" + (f" in {where}" if where else ""))
    _plain("To record them, run the same import again with:")
    _plain(
        "  "
        + " ".join(f"--resolve {shlex.quote(f'{name}=<person id>')}" for name in dict.fromkeys(n for _, n in names))
    )


@import_cli.command("attendance")
def attendance(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The report (.csv or Graph .json).")],
    meeting: Annotated[uuid.UUID, typer.Option(help="The meeting's id.")],
    resolve: Resolve = None,
    dry_run: DryRun = False,
    as_json: AsJson = False,
    server: Server = None,
    token: Token = None,
) -> None:
    """Import a Teams attendance report into a meeting."""
    from app.imports.attendance import importer as attendance_import
    from app.imports.models import ImportResult
    from app.imports.router import _resolutions

    data = file.read_bytes()
    if server:
        form = {"meeting_id": str(meeting), "dry_run": str(dry_run).lower(), "resolve": resolve or []}
        result = _remote(server, token, "attendance", {"file": (file.name, data)}, form)
    else:

        def run(session: Any) -> ImportResult:
            with Steps("Attendance", 1 if dry_run else 2) as steps:
                planned = attendance_import.plan(session, SYSTEM, data, file.name, meeting, _resolutions(resolve or []))
                steps.step(f"planned {file.name}")
                if not dry_run:
                    attendance_import.apply(session, SYSTEM, planned)
                    steps.step(f"applied {file.name}")
            return ImportResult(applied=not dry_run and not planned.already_imported, meeting_id=meeting, plan=planned)

        result = _local(run)
    _show(result, as_json)


@import_cli.command("protocol")
def protocol(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The protocol (.txt, .docx, .pdf).")],
    on_conflict: OnConflict = None,
    conflict: ConflictAnswer = None,
    dry_run: DryRun = False,
    as_json: AsJson = False,
    server: Server = None,
    token: Token = None,
) -> None:
    """Import a protocol: the meeting, items, decisions, attendance."""
    from app.imports.models import ImportResult, Resolutions
    from app.imports.protocol import apply as protocol_apply
    from app.imports.protocol import plan as protocol_import

    data = file.read_bytes()
    resolutions = answers(on_conflict, conflict)
    if server:
        form = {"dry_run": str(dry_run).lower(), "resolutions": json.dumps(resolutions)}
        result = _remote(server, token, "protocol", {"file": (file.name, data)}, form)
    else:

        def run(session: Any) -> ImportResult:
            with Steps("Protocol", 1 if dry_run else 2) as steps:
                planned = protocol_import.plan(
                    session, SYSTEM, data, file.name, Resolutions.model_validate(resolutions)
                )
                steps.step(f"planned {file.name}")
                meeting_id = planned.meeting.meeting_id
                applying = not dry_run and not planned.conflicts
                if applying:
                    meeting_id = protocol_apply.apply(session, SYSTEM, planned)
                    steps.step(f"applied {file.name}")
            applied = applying and protocol_apply.has_changes(planned)
            return ImportResult(applied=applied, meeting_id=meeting_id, plan=planned)

        result = _local(run)
    _show(result, as_json)
    _refused_for_conflicts(result, dry_run)


def _zip_folder(path: Path) -> bytes:
    buffer = io.BytesIO()
    paths = sorted(p for p in path.rglob("*") if p.is_file())
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, Steps("Packing", len(paths)) as steps:
        for p in paths:
            archive.write(p, p.relative_to(path).as_posix())
            steps.step(p.relative_to(path).as_posix())
    return buffer.getvalue()


@import_cli.command("folder")
def import_folder(
    path: Annotated[Path, typer.Argument(exists=True, help="A channel folder, or its zip as downloaded.")],
    resolve: Resolve = None,
    on_conflict: OnConflict = None,
    conflict: ConflictAnswer = None,
    dry_run: DryRun = False,
    as_json: AsJson = False,
    server: Server = None,
    token: Token = None,
) -> None:
    """Import a channel folder or zip: protocols, attendance reports, attachments."""
    from app.imports import folder
    from app.imports.models import ImportResult, Resolutions
    from app.imports.router import _resolutions

    data = path.read_bytes() if path.is_file() else _zip_folder(path)
    name = path.name if path.is_file() else f"{path.name}.zip"
    conflicts = answers(on_conflict, conflict)
    if server:
        form = {"dry_run": str(dry_run).lower(), "resolve": resolve or [], "resolutions": json.dumps(conflicts)}
        result = _remote(server, token, "folder", {"file": (name, data)}, form)
    else:

        def run(session: Any) -> ImportResult:
            files = folder.read_zip(data)
            resolutions = _resolutions(resolve or [])
            with Steps("Planning", len(files)) as steps:
                planned = folder.plan(
                    session, SYSTEM, files, name, data, resolutions, steps.step, Resolutions.model_validate(conflicts)
                )
            applying = not dry_run and not any(p.conflicts for p in planned.protocols)
            if applying:
                with Steps("Importing", len(planned.entries)) as steps:
                    folder.apply(session, SYSTEM, files, planned, steps.step, resolutions)
            return ImportResult(applied=applying and not planned.already_imported, plan=planned)

        result = _local(run)
    _show(result, as_json)
    _refused_for_conflicts(result, dry_run)
