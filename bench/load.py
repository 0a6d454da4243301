"""Servers and load for the read-path benchmark: uvicorn pinned to a core, wrk pinned to the other, and the
server's CPU time read from /proc before and after each cell."""

import math
import os
import re
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass
class Cell:
    server: str
    endpoint: str
    connections: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_request: float
    errors: int
    # PostgreSQL's own processes (the server's CPU above leaves them out); NaN on SQLite, which runs in-process.
    db_cpu_ms_per_request: float = float("nan")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process and every process below it (uvicorn's workers)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / TICK
        todo.extend(children.get(p, []))
    return total


class Server:
    """A uvicorn process serving `target` on `port`, pinned to `cpus`."""

    def __init__(self, name: str, target: str, port: int, env: dict[str, str], cpus: str, workers: int = 1) -> None:
        self.name, self.port = name, port
        self.log = (Path(env["SAMVERKAN_VAR_DIR"]) / f"{name}.log").open("wb")
        argv = [
            sys.executable,
            "-m",
            "uvicorn",
            target,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(
            ["taskset", "-c", cpus, *argv], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self, path: str, headers: dict[str, str]) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(self.origin + path, headers)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{self.name} did not start; see {self.log.name}") from None
                time.sleep(0.2)

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def drain(self) -> None:
        """Wait until the server has finished what it was doing (its CPU time stops growing)."""
        last = self.cpu()
        for _ in range(300):
            time.sleep(0.1)
            now = self.cpu()
            if now - last < 1 / TICK:
                return
            last = now

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def get(url: str, headers: dict[str, str]) -> bytes:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - our own server on 127.0.0.1
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
        return bytes(response.read())


def _ms(value: str, unit: str) -> float:
    return float(value) * UNITS[unit]


def wrk(
    server: Server, endpoint: str, path: str, connections: int, seconds: float, token: str, database: int | None
) -> Cell:
    """One cell: wrk on core 1 against `server`, and the CPU time the server (and the database server, whose
    postmaster is `database`) spent meanwhile."""
    before, db_before = server.cpu(), cpu_seconds(database) if database else 0.0
    out = subprocess.run(
        [
            "taskset",
            "-c",
            "1",
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds:g}s",
            "--latency",
            "--timeout",
            "10s",
            "-H",
            f"Authorization: Bearer {token}",
            server.origin + path,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Requests still in flight when wrk stops are left unfinished; the server finishes them before the next cell
    # starts, so every cell begins idle. Their partial work falls in this cell's CPU (at most `connections`
    # requests' worth, a small overestimate at 16 connections; none at 1).
    used = server.cpu() - before
    db_used = cpu_seconds(database) - db_before if database else math.nan
    server.drain()
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = {p: _ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = int(errors.group(1)) if errors else 0
    failed += sum(map(int, socket_errors.groups())) if socket_errors else 0
    return Cell(
        server.name,
        endpoint,
        connections,
        requests,
        seconds,
        rps,
        latency.get("50", 0.0),
        latency.get("99", 0.0),
        used * 1000 / requests if requests else math.nan,
        failed,
        db_used * 1000 / requests if requests else math.nan,
    )
