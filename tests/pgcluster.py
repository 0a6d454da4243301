"""A throwaway PostgreSQL 15 cluster for the tests: initdb in a temp dir, run as an unprivileged user.

PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user. Usable as a
context manager from pytest, or from the shell: `python -m tests.pgcluster start|stop DIR`.
"""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BIN_DIRS = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"]


def _bin(name: str) -> str:
    for d in [os.environ.get("PG_BIN", ""), *BIN_DIRS]:
        if d and Path(d, name).exists():
            return str(Path(d, name))
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"PostgreSQL server binary {name!r} not found (install postgresql-15)")
    return found


def _as_owner(cmd: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *cmd] if owner else cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(base: Path) -> str:
    """Create and start a cluster under `base`; return a SQLAlchemy URL for its `postgres` database."""
    owner = "postgres" if os.geteuid() == 0 else None
    data, sock = base / "data", base / "sock"
    data.mkdir(parents=True)
    sock.mkdir()
    if owner:
        pw = pwd.getpwnam(owner)
        for p in (base, data, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
    subprocess.run(
        _as_owner(
            [
                _bin("initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            owner,
        ),
        check=True,
        capture_output=True,
    )
    port = _free_port()
    # Durability is not wanted from a throwaway cluster; speed is.
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        _as_owner(
            [_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "-t", "60", "start"], owner
        ),
        check=True,
        capture_output=True,
    )
    (base / "port").write_text(str(port))
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"


def stop(base: Path) -> None:
    owner = "postgres" if os.geteuid() == 0 else None
    subprocess.run(
        _as_owner([_bin("pg_ctl"), "-D", str(base / "data"), "-m", "immediate", "-w", "stop"], owner),
        check=False,
        capture_output=True,
    )
    shutil.rmtree(base, ignore_errors=True)


@contextmanager
def cluster() -> Iterator[str]:
    base = Path(tempfile.mkdtemp(prefix="samverkan-pg-"))
    base.chmod(0o755)
    try:
        yield start(base / "pg")
    finally:
        stop(base / "pg")
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    action, where = sys.argv[1], Path(sys.argv[2])
    if action == "start":
        print(start(where))
    else:
        stop(where)
