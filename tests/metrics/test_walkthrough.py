"""The README's metrics walk-through, run as written (bash, curl, python3) against a real server process on the
test's database, with the demo loaded and public reading on: the target check, the series and the chart print
what the README shows under them."""

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DatabaseInfo
from tests.funds.test_walkthrough import README_BASE, lines_of, readme_block
from tests.test_e2e import cli, start_server  # noqa: F401 - fixture


@pytest.fixture
def env(db: DatabaseInfo, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SAMVERKAN_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "SAMVERKAN_PUBLIC_READ": "true",
    }


def _shown(block: str) -> list[str]:
    """What the README says a step prints: its `#→` lines, without the elisions."""
    return [line[3:].strip() for line in block.splitlines() if line.startswith("#→") and line[3:].strip() != "…"]


def test_readme_walk_target_check_series_and_chart(
    env: dict[str, str],
    start_server: Callable[[], str],  # noqa: F811
    tmp_path: Path,
) -> None:
    missing = [tool for tool in ("bash", "curl", "python3") if shutil.which(tool) is None]
    assert not missing, f"the README's walk-through needs {missing} (Debian: apt-get install curl)"
    cli(env, "demo", "load")
    base = start_server()
    script = readme_block("metrics-walkthrough")
    assert script.count(README_BASE) == 1, "the README's address is set once, in API="
    workdir = tmp_path / "walk"
    workdir.mkdir()
    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script.replace(README_BASE, base)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}"
    lines = lines_of(run.stdout)

    # Every line the README shows is printed, in its order
    shown = _shown(script)
    positions = [lines.index(line) for line in shown]
    assert positions == sorted(positions), run.stdout
    # 1. Only Umeå med krans meets the SIP target
    checks = [m.group(1, 2) for line in lines if (m := re.fullmatch(r"Länsdel (.*) 2025 [\d.]+ (\w+) -?[\d.]+", line))]
    assert checks == [("Skellefteå", "not_met"), ("Södra Lappland", "not_met"), ("Umeå med krans", "met")]
    # 2. Six years of each scope, all computed from the members; the sub-region meets its target every year
    umea = [line for line in lines if line.startswith("Länsdel Umeå med krans 20") and "/" in line]
    county = [line for line in lines if line.startswith("Västerbottens län 20")]
    assert len(umea) == 6 and all(line.endswith("aggregated 6 met") for line in umea)
    assert len(county) == 6 and all(line.endswith("aggregated 15 None") for line in county)
    assert county[0].startswith("Västerbottens län 2020 46.8 323/690 ")  # 690 children in HLT, the annual report's
    # 3. The chart is an SVG without script, and its ETag answers 304
    svg = (workdir / "sip.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<script" not in svg and "Målvärde" in svg
    assert lines[-1] == "304"
