"""`samverkan import values FILE`: the bulk import of values, run on the configured database as the system actor.

The same service as `POST /indicator-values/import` (app.metrics.values.bulk), without the request size limit:
a file of half a million values is read, checked as a whole and written with a progress bar; one bad row writes
nothing, and every bad row is printed with its line (CSV) or position (JSON), with exit code 1."""

import uuid
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.core.principal import Actor, Grant, PrincipalKind, Role

SYSTEM = Actor(uuid.UUID(int=0), PrincipalKind.service, "cli import values", frozenset({Grant(Role.admin)}))
out = Console()
err = Console(stderr=True)
LISTED = 50  # bad rows printed; the count says how many there are


def _where(loc: list[Any]) -> str:
    if loc[:2] == ["body", "line"]:
        return f"line {loc[2]}" + (f", {loc[3]}" if len(loc) > 3 else "")
    if loc[:2] == ["body", "values"] and len(loc) > 2:
        return f"value {loc[2] + 1}" + (f", {'.'.join(str(p) for p in loc[3:])}" if len(loc) > 3 else "")
    return ".".join(str(p) for p in loc[1:]) or "file"


def _refuse(errors: list[dict[str, Any]], detail: str) -> typer.Exit:
    err.print(f"[red]Nothing imported:[/red] {escape(detail)}")
    for e in errors[:LISTED]:
        err.print(f"  {escape(_where(list(e['loc'])))}: {escape(str(e['msg']))}")
    if len(errors) > LISTED:
        err.print(f"  … and {len(errors) - LISTED} more")
    return typer.Exit(1)


def _read(file: Path) -> tuple[list[Any], list[Any], Any]:
    """The drafts, the problems found reading them, and where each row is (for naming it)."""
    from pydantic import ValidationError

    from app.metrics.values import bulk, csvfile
    from app.metrics.values.bulk_models import ValueImport

    data = file.read_bytes()
    if file.suffix.lower() == ".csv":
        rows = csvfile.read(data)
        return rows.drafts, rows.problems, lambda i, field: ("body", "line", rows.lines[i], field)
    if file.suffix.lower() != ".json":
        raise typer.BadParameter("give a .csv or a .json file", param_hint="FILE")
    text = data.decode("utf-8-sig").lstrip()
    if text.startswith("["):  # a bare list of values is taken too
        text = f'{{"values": {text}}}'
    try:
        body = ValueImport.model_validate_json(text)
    except ValidationError as exc:
        errors = [{"loc": ["body", *e["loc"]], "msg": e["msg"]} for e in exc.errors(include_url=False)]
        raise _refuse(errors, f"{exc.error_count()} problems in {file.name}") from None
    return bulk.drafts_of(body.values), [], lambda i, field: ("body", "values", i, field)


File = Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A .csv (the list's columns) or .json.")]
Reason = Annotated[str | None, typer.Option(help="Why existing values are corrected (required when any is).")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check and count only; write nothing.")]


def import_values(file: File, reason: Reason = None, dry_run: DryRun = False) -> None:
    """Import values from a CSV or JSON file, all or nothing (the same file again changes nothing)."""
    from sqlmodel import Session

    import app.tables  # noqa: F401 - every table must be known before the first query
    from app.core.db import get_engine
    from app.core.errors import AppError, ValidationFailed
    from app.metrics.values import bulk

    try:
        drafts, problems, where = _read(file)
    except ValidationFailed as exc:
        raise _refuse(exc.errors, exc.detail) from None
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Session(get_engine(), expire_on_commit=False) as session, Progress(*columns, console=err) as bar:
        task = bar.add_task(f"{'Checking' if dry_run else 'Importing'} {file.name}", total=len(drafts))
        try:
            outcome = bulk.import_drafts(
                session,
                SYSTEM,
                drafts,
                problems,
                where,
                reason=reason,
                dry_run=dry_run,
                progress=lambda n: bar.advance(task, n),
            )
        except ValidationFailed as exc:
            bar.stop()
            raise _refuse(exc.errors, exc.detail) from None
        except AppError as exc:
            bar.stop()
            err.print(f"[red]Nothing imported:[/red] {escape(exc.detail)}")
            raise typer.Exit(1) from None
        session.commit()
        bar.update(task, completed=len(drafts))
    verb = "Would import" if dry_run else "Imported"
    out.print(
        f"{verb} {len(drafts)} values from {file.name}: {outcome.created} created, {outcome.changed} changed, "
        f"{outcome.unchanged} unchanged."
    )
