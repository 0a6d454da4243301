"""`samverkan serve --workers 2` answers a keep-alive connection at once.

With several workers uvicorn binds the listening socket itself, and the connections it accepts never had
TCP_NODELAY set: a response written as headers, then body, waited for the client's delayed ACK (about 40 ms on
Linux) before its body left. This is the one wall-clock test of the suite: the stall is ten times the bound.

A busy machine slows a round of requests; it cannot take away the 40 ms a stalled response waits. So the
figure for /healthz is the best median of rounds spread over a few seconds: on two cores at a load average of 14,
one round in four had a median over 5 ms, and five rounds in a row once did. An authenticated read does real work
(the token, its principal and grants, from the database) and can take more than 5 ms on a busy machine: its
quickest answer must come in less than the stall alone.
"""

import contextlib
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import DatabaseInfo

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = 20
ROUNDS = 20
PAUSE = 0.25  # between rounds, so that they meet different moments of the machine's load
HEALTH_BOUND = 0.005
DELAYED_ACK = 0.040  # Linux's least delay of an ACK (TCP_DELACK_MIN)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the supervisor and its workers: they share the session started for them."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    # Workers outlive a supervisor that died first; nothing of the group may be left behind.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture
def serve(db: DatabaseInfo, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Start `samverkan serve --workers 2 [options]` on the test's migrated database; returns its base URL."""
    env = {**os.environ, "SAMVERKAN_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(ROOT)}
    procs: list[subprocess.Popen[bytes]] = []

    def start(*options: str) -> str:
        port = _free_port()
        log = tmp_path / f"serve-{port}.log"  # a file, not a pipe: nobody reads a pipe while the server runs
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2", *options],
                env=env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60  # a loaded machine starts two workers slowly
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    return base
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(log.read_text())
            time.sleep(0.1)
        raise RuntimeError(f"server did not become ready:\n{log.read_text()}")

    yield start
    for proc in procs:
        _stop(proc)


def _round(http: httpx.Client, path: str, headers: dict[str, str]) -> list[float]:
    """Latencies in seconds of REQUESTS sequential requests, all on the client's one connection."""
    times, streams = [], []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = http.get(path, headers=headers)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
        streams.append(response.extensions["network_stream"])
    assert all(stream is streams[0] for stream in streams), "the connection was not kept alive"
    return times


@pytest.mark.parametrize(
    "options",
    [
        pytest.param((), id="default"),
        pytest.param(("--loop", "asyncio", "--http", "h11"), id="asyncio-h11"),
    ],
)
def test_two_workers_answer_one_keep_alive_connection_without_delay(
    serve: Callable[..., str], make_principal: Callable[..., dict[str, str]], options: tuple[str, ...]
) -> None:
    base = serve(*options)
    reader = make_principal("reader")
    with httpx.Client(base_url=base, timeout=10, limits=httpx.Limits(max_connections=1)) as http:
        for _ in range(3):  # the worker's first requests warm its caches
            http.get("/healthz")
            http.get("/api/v1/auth/me", headers=reader)
        health = math.inf
        for _ in range(ROUNDS):
            health = min(health, statistics.median(_round(http, "/healthz", {})))
            if health < HEALTH_BOUND:
                break
            time.sleep(PAUSE)
        me = min(_round(http, "/api/v1/auth/me", reader))
    assert health < HEALTH_BOUND, f"/healthz: median {health * 1000:.1f} ms on one keep-alive connection"
    assert me < DELAYED_ACK, f"/api/v1/auth/me: no answer in less than {me * 1000:.1f} ms"
