"""`samverkan`: run the service, migrate, load demo data, create principals and tokens, write the contract."""

import json
import os
import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlmodel import Session

from app.core.principal import Grant, PrincipalKind
from app.imports.cli import import_cli
from app.metrics.cli import import_values
from app.serving import EventLoop, HttpParser

cli = typer.Typer(
    help="Samverkan API: the record of health and care collaboration in Västerbotten.", no_args_is_help=True
)
db_cli = typer.Typer(help="Database migrations.", no_args_is_help=True)
demo_cli = typer.Typer(help="Demo data.", no_args_is_help=True)
principal_cli = typer.Typer(help="Principals (people who log in, service clients).", no_args_is_help=True)
token_cli = typer.Typer(help="API tokens for service clients.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(demo_cli, name="demo")
cli.add_typer(principal_cli, name="principal")
cli.add_typer(token_cli, name="token")
cli.add_typer(import_cli, name="import")
# Metrics: `samverkan import values FILE`, the bulk import of indicator values (app/metrics/cli.py).
import_cli.command("values")(import_values)
console = Console()
ROOT = Path(__file__).resolve().parents[1]


def _session() -> Session:
    import app.tables  # noqa: F401 - every table must be known before the first query
    from app.core.db import get_engine

    return Session(get_engine(), expire_on_commit=False)


@cli.command()
def serve(
    host: Annotated[str, typer.Option(envvar="HOST", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
    loop: Annotated[EventLoop, typer.Option(help="Event loop; auto is uvloop where it is installed.")] = EventLoop.auto,
    http: Annotated[HttpParser, typer.Option(help="HTTP/1.1 implementation.")] = HttpParser.httptools,
) -> None:
    """Serve the API with uvicorn (TCP_NODELAY on every connection, whatever the loop)."""
    from app.serving import serve as run

    run(host=host, port=port, workers=workers, reload=reload, loop=loop, http=http)


@db_cli.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Migrate the database up (to head by default)."""
    from app.core.migrations import upgrade

    upgrade(revision)
    console.print(f"[green]Database at {revision}.[/green]")


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="Target revision, e.g. -1 or base.")]) -> None:
    """Migrate the database down."""
    from app.core.migrations import downgrade

    downgrade(revision)
    console.print(f"[yellow]Database at {revision}.[/yellow]")


@demo_cli.command("load")
def demo_load() -> None:
    """Load the demo data once (principals, bodies, strategies, people, the fund UPH-medel); prints the logins."""
    from app.demo import load

    with _session() as session:
        result = load(session)
        session.commit()
    if result.created:
        console.print(f"Demo data loaded: {result.summary}.")
    else:
        console.print("Demo data already present; nothing changed.")
    if result.admin_password:
        console.print(f"Admin login: [bold]{result.admin_login}[/bold]  password: [bold]{result.admin_password}[/bold]")
        console.print(f"(also saved in {result.password_file})")
    for login, password in result.more_logins.items():
        console.print(f"Demo login: [bold]{login}[/bold]  password: [bold]{password or '(file removed)'}[/bold]")
    if result.more_logins:
        console.print(
            f"(in {result.password_file.parent if result.password_file else 'var'}/demo-<login>-password.txt)"
        )


@principal_cli.command("create")
def principal_create(
    login: Annotated[str, typer.Argument(help="Login name (person) or client id (service client).")],
    display_name: Annotated[str, typer.Option("--name", help="Display name.")],
    kind: Annotated[PrincipalKind, typer.Option(help="person or service.")] = PrincipalKind.person,
    role: Annotated[
        list[str] | None,
        typer.Option("--role", help="admin, reader, fund_manager, secretary:<body id>, editor:<org id>."),
    ] = None,
    password: Annotated[
        str | None, typer.Option(help="Password (people); read from SAMVERKAN_NEW_PASSWORD when not given.")
    ] = None,
) -> None:
    """Create a principal with roles. A service client without a secret gets one generated and printed once."""
    from app.auth.models import GrantIn, PrincipalCreate
    from app.auth.service import create_principal
    from app.core.principal import Actor, Role

    grants = [Grant.parse(r) for r in role or []]
    secret = password or os.environ.get("SAMVERKAN_NEW_PASSWORD")
    data = PrincipalCreate(
        kind=kind,
        login=login,
        display_name=display_name,
        password=secret,
        grants=[GrantIn(role=g.role, organisation_id=g.organisation_id) for g in grants],
    )
    system = Actor(uuid.UUID(int=0), PrincipalKind.service, "cli", frozenset({Grant(Role.admin)}))
    with _session() as session:
        principal, generated = create_principal(session, system, data)
        session.commit()
    console.print(f"Created {kind} principal {principal.login} ({principal.id}).")
    if generated:
        console.print(f"Client secret (shown once): [bold]{generated}[/bold]")


@token_cli.command("create")
def token_create(
    client: Annotated[str, typer.Argument(help="Client id of a service principal.")],
    name: Annotated[str, typer.Option(help="What the token is for.")],
    scope: Annotated[list[str] | None, typer.Option("--scope", help="Narrower scopes than the client holds.")] = None,
    days: Annotated[int | None, typer.Option(help="Lifetime in days.")] = None,
) -> None:
    """Create a long-lived API token for a service client and print it (once)."""
    from sqlmodel import select

    from app.auth.models import Principal
    from app.auth.service import create_api_token
    from app.core.principal import Actor, Role

    system = Actor(uuid.UUID(int=0), PrincipalKind.service, "cli", frozenset({Grant(Role.admin)}))
    with _session() as session:
        principal = session.execute(select(Principal).where(Principal.login == client.casefold())).scalar_one_or_none()
        if principal is None:
            console.print(f"[red]No principal {client!r}.[/red]")
            raise typer.Exit(1)
        row, token = create_api_token(session, system, principal.id, name, scope, days)
        session.commit()
    console.print(f"API token {row.id} for {client}, expires {row.expires_at:%Y-%m-%d}:")
    print(token)


@cli.command()
def openapi(
    output: Annotated[Path, typer.Option(help="Where to write the contract.")] = ROOT / "openapi" / "openapi.json",
) -> None:
    """Write the OpenAPI contract (openapi/openapi.json) from the app."""
    from app.main import app

    output.write_text(json.dumps(app.openapi(), indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    console.print(f"Wrote {output}.")


def main() -> None:
    from pydantic import ValidationError

    from app.core.errors import AppError

    try:
        cli()
    except AppError as exc:
        console.print(f"[red]{exc.detail}[/red]")
        raise SystemExit(1) from None
    except ValidationError as exc:
        for err in exc.errors():
            console.print(f"[red]{'.'.join(map(str, err['loc']))}: {err['msg']}[/red]")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
