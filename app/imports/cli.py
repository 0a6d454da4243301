"""`samverkan import …`: the same imports as the API, run locally or against a remote server over HTTP."""

import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.progress import Progress, track
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
    if response.status_code >= 400:
        console.print(f"[red]{response.status_code}: {body.get('detail', response.text)}[/red]")
        raise typer.Exit(1)
    return body


def _local(run: Any) -> dict[str, Any]:
    """Run plan (and apply) in one local transaction, as the API would."""
    from sqlmodel import Session

    import app.tables  # noqa: F401 - every table known before the first query
    from app.core.db import WRITE_LOCK, get_engine

    with Session(get_engine(), expire_on_commit=False, autoflush=False) as session:
        session.connection(execution_options={WRITE_LOCK: True})
        result = run(session)
        session.commit()
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
        console.print(f"[yellow]warning:[/yellow] {warning}")
    for entry in plan.get("entries", []):
        if entry["action"] == "skipped":
            console.print(f"[yellow]skipped[/yellow] {entry['path']}: {entry['reason']}")


@import_cli.command("attendance")
def attendance(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The report (.csv or Graph .json).")],
    meeting: Annotated[uuid.UUID, typer.Option(help="The meeting's id.")],
    resolve: Annotated[list[str] | None, typer.Option(help="`Name=person id` for unmatched participants.")] = None,
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
            planned = attendance_import.plan(session, SYSTEM, data, file.name, meeting, _resolutions(resolve or []))
            if not dry_run:
                attendance_import.apply(session, SYSTEM, planned)
            return ImportResult(applied=not dry_run and not planned.already_imported, meeting_id=meeting, plan=planned)

        result = _local(run)
    _show(result, as_json)


@import_cli.command("protocol")
def protocol(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The protocol (.txt, .docx, .pdf).")],
    dry_run: DryRun = False,
    as_json: AsJson = False,
    server: Server = None,
    token: Token = None,
) -> None:
    """Import a protocol: the meeting, items, decisions, attendance."""
    from app.imports.models import ImportResult
    from app.imports.protocol import apply as protocol_apply
    from app.imports.protocol import plan as protocol_import

    data = file.read_bytes()
    if server:
        result = _remote(server, token, "protocol", {"file": (file.name, data)}, {"dry_run": str(dry_run).lower()})
    else:

        def run(session: Any) -> ImportResult:
            planned = protocol_import.plan(session, SYSTEM, data, file.name)
            meeting_id = planned.meeting.meeting_id
            if not dry_run:
                meeting_id = protocol_apply.apply(session, SYSTEM, planned)
            return ImportResult(
                applied=not dry_run and not planned.already_imported, meeting_id=meeting_id, plan=planned
            )

        result = _local(run)
    _show(result, as_json)


def _zip_folder(path: Path) -> bytes:
    buffer = io.BytesIO()
    paths = sorted(p for p in path.rglob("*") if p.is_file())
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for p in track(paths, description="Packing", console=console, disable=not console.is_terminal):
            archive.write(p, p.relative_to(path).as_posix())
    return buffer.getvalue()


@import_cli.command("folder")
def import_folder(
    path: Annotated[Path, typer.Argument(exists=True, help="A channel folder, or its zip as downloaded.")],
    dry_run: DryRun = False,
    as_json: AsJson = False,
    server: Server = None,
    token: Token = None,
) -> None:
    """Import a channel folder or zip: protocols, attendance reports, attachments."""
    from app.imports import folder
    from app.imports.models import ImportResult

    data = path.read_bytes() if path.is_file() else _zip_folder(path)
    name = path.name if path.is_file() else f"{path.name}.zip"
    if server:
        result = _remote(server, token, "folder", {"file": (name, data)}, {"dry_run": str(dry_run).lower()})
    else:

        def run(session: Any) -> ImportResult:
            files = folder.read_zip(data)
            planned = folder.plan(session, SYSTEM, files, name, data)
            if not dry_run:
                with Progress(console=console, disable=not console.is_terminal) as progress:
                    task = progress.add_task("Importing", total=len(planned.entries))
                    folder.apply(session, SYSTEM, files, planned, lambda _path: progress.advance(task))
            return ImportResult(applied=not dry_run and not planned.already_imported, plan=planned)

        result = _local(run)
    _show(result, as_json)
