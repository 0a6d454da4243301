"""The README's funds walk-through, run as written: its two shell blocks (the setup and the walk, between their
marker comments) go through `bash -euo pipefail` with curl and python3 against a real server process, on the
test's database, with public reading on. Only the address is changed (the server listens on a free port). The
setup's `.venv/bin/samverkan` is this checkout's command line, so the principals it makes are real ones that log
in with their passwords.

What the README's walk relies on from the demo data, Umeå kommun and the fund UPH-medel, is made here over HTTP
first: the test does not depend on the demo. It then reads what the walk printed: the number given at submission,
the 403 and the 409 it provokes, the application closed, its history, and the round's figures as JSON and CSV."""

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DatabaseInfo
from tests.funds.conftest import Headers
from tests.funds.factories import municipality
from tests.test_e2e import ROOT, start_server  # noqa: F401 - fixture

README = ROOT / "README.md"
BLOCKS = ("funds-walkthrough-setup", "funds-walkthrough")
README_BASE = "http://127.0.0.1:8000"


def readme_block(marker: str) -> str:
    """The fenced shell block between `<!-- marker -->` and `<!-- /marker -->`."""
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"<!-- {marker} -->\n```sh\n(.*?)```\n<!-- /{marker} -->", text, re.DOTALL)
    assert found, f"README.md has no ```sh block between <!-- {marker} --> and <!-- /{marker} -->"
    return found.group(1)


@pytest.fixture
def env(db: DatabaseInfo, tmp_path: Path) -> dict[str, str]:
    """The server's and the command line's environment (tests.test_e2e's, with public reading on)."""
    return {
        **os.environ,
        "SAMVERKAN_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(ROOT),
        "SAMVERKAN_PUBLIC_READ": "true",
    }


def command_line(workdir: Path) -> None:
    """`.venv/bin/samverkan` in the walk's working directory: this checkout's CLI on the test's database."""
    bin_dir = workdir / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    script = bin_dir / "samverkan"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m app.cli "$@"\n')
    script.chmod(0o755)


def lines_of(out: str) -> list[str]:
    return [line.rstrip() for line in out.splitlines()]


def json_line(lines: list[str], **wanted: Any) -> dict[str, Any]:
    """The first printed JSON object holding all of `wanted`."""
    for line in lines:
        if line.startswith("{"):
            value = json.loads(line)
            if all(value.get(k) == v for k, v in wanted.items()):
                return dict(value)
    raise AssertionError(f"no line with {wanted} in:\n" + "\n".join(lines))


def test_readme_walk_from_a_new_round_to_a_closed_project(
    client: TestClient,
    admin: Headers,
    fund: dict[str, Any],
    env: dict[str, str],
    start_server: Callable[[], str],  # noqa: F811
    tmp_path: Path,
) -> None:
    missing = [tool for tool in ("bash", "curl", "python3") if shutil.which(tool) is None]
    assert not missing, f"the README's walk-through needs {missing} (Debian: apt-get install curl)"
    municipality(client, admin, "Umeå kommun")  # the demo's Umeå and UPH-medel (the `fund` fixture), made here
    base = start_server()
    workdir = tmp_path / "walk"
    workdir.mkdir()
    command_line(workdir)
    script = "\n".join(readme_block(marker) for marker in BLOCKS)
    assert script.count(README_BASE) == 1, "the README's address is set once, in API="
    script = script.replace(README_BASE, base)

    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}"
    lines = lines_of(run.stdout)

    # 1. The round, opened, is an open call read without a token
    year = json_line(lines, status="open")["year"]
    assert any(re.fullmatch(rf"UPH-medel {year} \S+ – \S+", line) for line in lines), run.stdout
    # 2. Submitted, with the round's first number; the applicant may not take it into review
    number = f"UPH-{year}-001"
    assert json_line(lines, status="submitted", number=number)
    assert json_line(lines, code="transition_forbidden") == {
        "status": 403,
        "code": "transition_forbidden",
        "allowed": ["withdrawn"],
    }
    # 3. The review's mean, seen by the fund manager
    assert json_line(lines, review_mean_score="4.00")["review_counts"] == {"grant": 0, "partial": 1, "reject": 0}
    # 4. The oversized grant refused with what the pot has; the smaller one makes the application partially granted
    assert json_line(lines, code="pot_overdrawn") == {"status": 409, "code": "pot_overdrawn", "remaining": "400000.00"}
    assert json_line(lines, status="partially_granted")
    # 6. The final report moves the application: reported, then closed
    assert json_line(lines, number=number, status="reported")
    assert json_line(lines, number=number, status="closed")

    # 7. The history, every move in order, with who made it
    history = [line for line in lines if " → " in line and " | " in line]
    moves = [tuple(part.strip() for part in line.split("|")[:2]) for line in history]
    assert moves == [
        ("(new) → draft", "Erik Holmström"),
        ("draft → submitted", "Erik Holmström"),
        ("submitted → in_review", "Karin Lundmark"),
        ("in_review → more_info_requested", "Karin Lundmark"),
        ("more_info_requested → in_review", "Erik Holmström"),
        ("in_review → partially_granted", "Karin Lundmark"),
        ("partially_granted → in_progress", "Karin Lundmark"),
        ("in_progress → report_due", "Erik Holmström"),
        ("report_due → reported", "Erik Holmström"),
        ("reported → closed", "Karin Lundmark"),
    ]
    # The summary: granted 400 000 of the pot's 400 000, all paid, 15 000 repaid and back in the pot
    total = json_line(lines, budget="1900000.00")
    assert total == {
        "budget": "1900000.00",
        "carried_over": "0.00",
        "transferred_in": "0.00",
        "transferred_out": "0.00",
        "carried_forward": "0.00",
        "requested": "450000.00",
        "granted": "400000.00",
        "paid": "400000.00",
        "repaid": "15000.00",
        "remaining": "1515000.00",
    }
    statuses = json_line(lines, closed=1)
    assert sum(statuses.values()) == 1
    csv_rows = [line.lstrip("\ufeff") for line in lines if line.count(";") == 10]
    assert csv_rows == [
        "pot;budget;carried_over;transferred_in;transferred_out;carried_forward;requested;granted;paid;repaid;remaining",
        "Det suicidpreventiva arbetet;400000,00;0,00;0,00;0,00;0,00;450000,00;400000,00;400000,00;15000,00;15000,00",
        "En mer sammanhållen vård;1500000,00;0,00;0,00;0,00;0,00;0,00;0,00;0,00;0,00;1500000,00",
        "Totalt;1900000,00;0,00;0,00;0,00;0,00;450000,00;400000,00;400000,00;15000,00;1515000,00",
    ]
