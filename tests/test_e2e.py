"""End to end over real HTTP: the CLI loads the demo data, two uvicorn processes serve one database,
and a client works through them with httpx, as a coordinator's script would."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import DatabaseInfo

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "app.cli"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def env(db: DatabaseInfo, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "SAMVERKAN_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(ROOT)}


@pytest.fixture
def start_server(env: dict[str, str]) -> Iterator[Callable[[], str]]:
    procs: list[subprocess.Popen[bytes]] = []

    def start() -> str:
        port = _port()
        proc = subprocess.Popen(
            [*CLI, "serve", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):  # up to a minute on a loaded machine
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    return base
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "server died")
            time.sleep(0.1)
        raise RuntimeError("server did not become ready")

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=10)


def cli(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([*CLI, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    return result.stdout


def test_demo_data_served_over_http(env: dict[str, str], start_server: Callable[[], str]) -> None:
    first = cli(env, "demo", "load")
    assert "Demo data loaded" in first
    assert "Demo data already present" in cli(env, "demo", "load")
    password = (Path(env["SAMVERKAN_VAR_DIR"]) / "demo-admin-password.txt").read_text().strip()
    assert password in first

    base = start_server()
    with httpx.Client(base_url=base, timeout=10) as http:
        token = http.post(
            "/api/v1/auth/token", data={"grant_type": "password", "username": "admin", "password": password}
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        principals = http.get("/api/v1/organisations", params={"is_principal": "true", "count": "true"}, headers=auth)
        assert principals.json()["pagination"]["total"] == 16
        names = [o["name"] for o in principals.json()["data"]]
        assert names.index("Vännäs kommun") < names.index("Åsele kommun")

        council = http.get("/api/v1/organisations", params={"q": "Samråd vård och omsorg"}, headers=auth).json()
        assert [o["name"] for o in council["data"]] == ["Samråd hälsa, vård och omsorg"]
        members = http.get(
            "/api/v1/memberships", params={"body_id": council["data"][0]["id"], "on": "2024-05-03"}, headers=auth
        ).json()["data"]
        roles = {m["role"] for m in members}
        assert {"chair", "vice_chair", "member", "substitute", "co_opted", "secretary", "official"} <= roles
        assert len(http.get("/api/v1/strategies", headers=auth).json()["data"]) == 8

        # The fund: its manager logs in with the printed password; the 2025 round is open.
        manager_password = (Path(env["SAMVERKAN_VAR_DIR"]) / "demo-fund-manager-password.txt").read_text().strip()
        assert f"fund-manager  password: {manager_password}" in first
        form = {"grant_type": "password", "username": "fund-manager", "password": manager_password}
        manager = {"Authorization": f"Bearer {http.post('/api/v1/auth/token', data=form).json()['access_token']}"}
        rounds = http.get("/api/v1/rounds", params={"status": "open"}, headers=manager).json()["data"]
        assert [r["year"] for r in rounds] == [2025]


def test_service_client_token_and_processes_share_state(env: dict[str, str], start_server: Callable[[], str]) -> None:
    out = cli(
        env, "principal", "create", "intranet-umea", "--name", "Umeå intranät", "--kind", "service", "--role", "reader"
    )
    assert "Client secret (shown once)" in out
    token = cli(env, "token", "create", "intranet-umea", "--name", "publishing").strip().splitlines()[-1]
    assert token.startswith("svk_")

    first, second = start_server(), start_server()
    auth = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{first}/api/v1/organisations", headers=auth).status_code == 200
    assert httpx.get(f"{second}/api/v1/auth/me", headers=auth).json()["login"] == "intranet-umea"

    # Failed logins counted by one process lock the name in the other: the state is in the database.
    for _ in range(5):
        r = httpx.post(
            f"{first}/api/v1/auth/token",
            data={"grant_type": "password", "username": "nobody", "password": "wrong-password"},
        )
        assert r.status_code == 401
    locked = httpx.post(
        f"{second}/api/v1/auth/token",
        data={"grant_type": "password", "username": "nobody", "password": "wrong-password"},
    )
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0


def test_serve_listens_where_host_and_port_say(env: dict[str, str]) -> None:
    port = _port()
    proc = subprocess.Popen(
        [*CLI, "serve"], env={**env, "HOST": "127.0.0.1", "PORT": str(port)}, cwd=ROOT, stderr=subprocess.PIPE
    )
    try:
        for _ in range(600):
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
                return
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "server died"
                time.sleep(0.1)
        raise AssertionError("the server never listened on $PORT")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
