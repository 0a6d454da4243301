"""Benchmark: the read path (issue 9) against a bare ceiling, on SQLite and PostgreSQL. Prints figures, writes them
to bench/results/ and says PASS or MISS per target; asserts nothing.

    python -m bench.read_path [--quick] [--db sqlite|postgresql|both] [--label before] [--seconds 3] [--rounds 2]

Needs wrk (as root: apt-get install -y wrk), taskset and, for PostgreSQL, the postgresql-15 server binaries (as
tests/pgcluster.py finds them). See bench/README.md for what each figure means.
"""

import argparse
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import urllib.error
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--quick", action="store_true", help="Smoke run: 5 000 meetings, 1-second cells, one round.")
parser.add_argument(
    "--db", choices=["sqlite", "postgresql", "both"], default=None, help="Default: both (quick: sqlite)."
)
parser.add_argument("--label", default="", help="Part of the result file names, e.g. `before`.")
parser.add_argument("--seconds", type=float, default=None, help="Length of each wrk cell (default 3, quick 1).")
parser.add_argument("--rounds", type=int, default=None, help="Interleaved rounds; medians are reported (default 2).")
parser.add_argument("--meetings", type=int, default=None, help="Default 100 000 (quick: 5 000).")
parser.add_argument("--people", type=int, default=None, help="Default 20 000 (quick: 2 000).")
parser.add_argument("--out", default=None, help="Results directory (default bench/results; quick: a temp dir).")
parser.add_argument("--no-imports", action="store_true", help="Skip the protocol-apply benchmark hook.")
parser.add_argument("--applications", type=int, default=10_000, help="Fund applications in the round (10 000).")
parser.add_argument(
    "--metric-values", type=int, default=100_000, help="Follow-up values besides the series' own (100 000)."
)
args = parser.parse_args()

ROOT = Path(__file__).resolve().parents[1]
QUICK = args.quick
MEETINGS = args.meetings or (5_000 if QUICK else 100_000)
PEOPLE = args.people or (2_000 if QUICK else 20_000)
SECONDS = args.seconds or (1.0 if QUICK else 3.0)
ROUNDS = args.rounds or (1 if QUICK else 2)
DATABASES = {"both": ["sqlite", "postgresql"], None: ["sqlite"] if QUICK else ["sqlite", "postgresql"]}.get(
    args.db, [args.db]
)
TMP = Path(tempfile.mkdtemp(prefix="samverkan-read-bench-"))
TMP.chmod(0o755)  # as root, the PostgreSQL cluster inside runs as the postgres user
OUT = Path(args.out) if args.out else (TMP / "results" if QUICK else ROOT / "bench" / "results")
CACHE = Path(tempfile.gettempdir()) / "samverkan-bench-cache"
CONNECTIONS = (1, 16)
ENV = {
    **os.environ,
    "SAMVERKAN_ENVIRONMENT": "production",
    "SAMVERKAN_SECRET_KEY": "bench-secret-key-that-is-long-enough-0123456789",
    "SAMVERKAN_VAR_DIR": str(TMP),
    "PYTHONPATH": str(ROOT),
}
os.environ.update({k: ENV[k] for k in ("SAMVERKAN_ENVIRONMENT", "SAMVERKAN_SECRET_KEY", "SAMVERKAN_VAR_DIR")})

from starlette.requests import Request  # noqa: E402

from app.core.db import create_engine  # noqa: E402
from app.core.migrations import upgrade  # noqa: E402
from app.core.pagination import encode_cursor, list_binding  # noqa: E402
from app.core.security import create_token  # noqa: E402
from bench import bulk, dataset, funds_dataset, metrics_dataset  # noqa: E402
from bench.load import Cell, Server, get, wrk  # noqa: E402
from tests import pgcluster  # noqa: E402

LIST = "/api/v1/meetings"
MEETINGS_TABLE = bulk.TABLES["meetings"]
APPLICATIONS = args.applications
# The funds scenarios (issue 10), each against the meeting list of the same run.
FUNDS = {
    "round_summary": f"/api/v1/rounds/{funds_dataset.ROUND_ID}/summary",
    "application_list": f"/api/v1/applications?round_id={funds_dataset.ROUND_ID}&limit=50",
}
METRIC_VALUES = args.metric_values
# The metrics scenario (issue 11) against the same meeting list: a sub-region's series over six years, aggregated
# from its members' values with its target. Its path names the sub-region, known once the data set is made.
METRICS: dict[str, str] = {}


def build(url: str) -> None:
    upgrade("head", database_url=url)
    engine = create_engine(url)
    started = datetime.now(UTC)
    bulk.insert(engine, MEETINGS, PEOPLE)
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    print(f"  {MEETINGS} meetings, {PEOPLE} people inserted in {(datetime.now(UTC) - started).total_seconds():.0f} s")


def deep_cursor(url: str, page: int) -> tuple[str, str]:
    """The cursor of page `page` (limit 50, default sort), made as the app makes it, and that page's first id."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            MEETINGS_TABLE.select()
            .with_only_columns(MEETINGS_TABLE.c.starts_at, MEETINGS_TABLE.c.id)
            .where(MEETINGS_TABLE.c.deleted_at.is_(None))
            .order_by(MEETINGS_TABLE.c.starts_at.desc(), MEETINGS_TABLE.c.id.desc())
            .offset((page - 1) * 50 - 1)
            .limit(2)
        ).all()
    engine.dispose()
    scope = {"type": "http", "path": LIST, "query_string": b"limit=50", "headers": []}
    cursor = encode_cursor(list_binding(Request(scope)), "-starts_at", rows[0][0], rows[0][1])
    return cursor, str(rows[1][1])


def add_funds(url: str) -> dict[str, Any]:
    """The funds data set (bench/funds_dataset.py) on top of the meetings': seconds, so made anew each run."""
    engine = create_engine(url)
    built = funds_dataset.insert(engine, APPLICATIONS)
    engine.dispose()
    print(f"  {APPLICATIONS} fund applications ({built.rows} rows) inserted in {built.seconds:.1f} s")
    return {"applications": APPLICATIONS, "rows": built.rows, "insert_seconds": round(built.seconds, 2)}


def add_metrics(url: str) -> dict[str, Any]:
    """The metrics data set (bench/metrics_dataset.py) on top: the series' indicator and `METRIC_VALUES` more."""
    engine = create_engine(url)
    built = metrics_dataset.insert(engine, METRIC_VALUES)
    engine.dispose()
    sub_region = built.sub_regions["Umeå med krans"]
    METRICS["metric_series"] = (
        f"/api/v1/indicators/{metrics_dataset.SERIES_ID}/series?scope={sub_region}&from=2020&to=2025"
    )
    print(f"  {built.values} follow-up values inserted in {built.seconds:.1f} s")
    return {"values": built.values, "insert_seconds": round(built.seconds, 2)}


def status_of(url: str, headers: dict[str, str]) -> int:
    try:
        get(url, headers)
    except urllib.error.HTTPError as error:
        return error.code
    return 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def same_page(ours: Server, ceiling: Server, headers: dict[str, str]) -> str:
    """The ceiling must answer what we answer, or the comparison means nothing."""
    a = get(ours.origin + f"{LIST}?limit=50", headers).replace(ours.origin.encode(), b"ORIGIN")
    b = get(ceiling.origin + f"{LIST}?limit=50", headers).replace(ceiling.origin.encode(), b"ORIGIN")
    if json.loads(a) != json.loads(b):
        mine, theirs = json.loads(a), json.loads(b)
        first = next(
            (k, v, theirs["data"][0].get(k)) for k, v in mine["data"][0].items() if theirs["data"][0].get(k) != v
        )
        raise SystemExit(f"the ceiling answers other JSON than our list (first row: {first})")
    return "byte-equal" if a == b else "JSON-equal (key order or spacing differ)"


def measure(db: str, url: str, tokens: dict[str, str], database: int | None = None) -> dict[str, Any]:
    """`database`: the PostgreSQL postmaster, whose processes' CPU is counted apart. `tokens`: the admin's
    (`admin`) and a fund manager's (`fund_manager`: the application list, as the role that sees every
    application)."""
    token = tokens["admin"]
    headers = {"Authorization": f"Bearer {token}"}
    env = {**ENV, "SAMVERKAN_DATABASE_URL": url, "BENCH_CEILING_DATABASE": url}
    deep_page = min(1000, MEETINGS // 100)
    cursor, deep_first = deep_cursor(url, deep_page)
    paths = {
        "healthz": "/healthz",
        "auth_me": "/api/v1/auth/me",
        "list_50": f"{LIST}?limit=50",
        "list_deep": f"{LIST}?limit=50&cursor={cursor}",
        "list_500": f"{LIST}?limit=500",
        "protocol": f"{LIST}/{dataset.PROTOCOL_ID}?include=items,decisions,attendance,documents",
        **FUNDS,
        **METRICS,
    }
    token_of = {name: tokens["fund_manager" if name == "application_list" else "admin"] for name in paths}
    auth = {name: {"Authorization": f"Bearer {t}"} for name, t in token_of.items()}
    ours = Server("ours", "app.main:app", free_port(), env, "0")
    ceiling = Server("ceiling", "bench.ceiling:app", free_port(), env, "0")
    cells: list[Cell] = []
    try:
        ours.wait("/healthz", headers)
        ceiling.wait(f"{LIST}?limit=50", headers)
        equality = same_page(ours, ceiling, headers)
        deep = json.loads(get(ours.origin + paths["list_deep"], headers))
        assert deep["data"][0]["id"] == deep_first, "the deep cursor does not lead to the expected page"
        # A funds or metrics route not there yet (another part of its issue) is left out, reported as not available.
        unavailable = {
            name: code
            for name in {**FUNDS, **METRICS}
            if (code := status_of(ours.origin + paths[name], auth[name])) != 200
        }
        for name in unavailable:
            del paths[name]
            print(f"  {name}: HTTP {unavailable[name]}, not measured")
        if "application_list" in paths:  # a fund manager sees every application: a full page
            listed = len(json.loads(get(ours.origin + paths["application_list"], auth["application_list"]))["data"])
            if listed != 50:
                print(f"  application_list: {listed} rows on page 1, not 50: check the data set")
        for name, path in [*paths.items()] * 5:  # warm both up: imports, caches, prepared statements
            get(ours.origin + path, auth[name])
        for _ in range(10):
            get(ceiling.origin + paths["list_50"], headers)
        for r in range(ROUNDS):
            print(f"  round {r + 1}/{ROUNDS}")
            for connections in CONNECTIONS:
                cells.append(wrk(ceiling, "list_50", paths["list_50"], connections, SECONDS, token, database))
                cells.extend(
                    wrk(ours, name, path, connections, SECONDS, token_of[name], database)
                    for name, path in paths.items()
                )
    finally:
        ours.stop()
        ceiling.stop()
    two = Server("ours_2_workers", "app.main:app", free_port(), env, "0,1", workers=2)
    try:
        two.wait("/healthz", headers)
        for _ in range(20):
            get(two.origin + paths["list_50"], headers)
        cells.extend(wrk(two, "list_50", paths["list_50"], c, SECONDS, token, database) for c in CONNECTIONS)
    finally:
        two.stop()
    return {
        "database": db,
        "equality": equality,
        "deep_page": deep_page,
        "unavailable": unavailable,
        "cells": [c.as_dict() for c in cells],
    }


Summary = dict[tuple[str, str, int], dict[str, float]]


def summarise(cells: list[dict[str, Any]]) -> Summary:
    """The median over rounds of each cell."""
    groups: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for c in cells:
        groups.setdefault((c["server"], c["endpoint"], c["connections"]), []).append(c)
    keys = ("rps", "p50_ms", "p99_ms", "cpu_ms_per_request", "db_cpu_ms_per_request", "errors")
    return {
        g: {k: statistics.median(math.nan if c.get(k) is None else c[k] for c in group) for k in keys}
        for g, group in groups.items()
    }


def ratio(a: float, b: float) -> float:
    return a / b if b and not (math.isnan(a) or math.isnan(b)) else math.nan


def targets(s: Summary, imports: float | None) -> list[tuple[str, str, str]]:
    """Each target from the figure the noise of a shared machine disturbs least: costs (and the ratios to the
    ceiling) from the CPU per request at 1 connection, where no request is left half-done when a cell ends and
    other processes' load does not count; the worker scaling from req/s at 16 connections. The req/s ratio to the
    ceiling at 16 connections is shown next to the CPU ratio."""

    def rps(endpoint: str, server: str = "ours") -> float:
        return s[(server, endpoint, 16)]["rps"]

    def cpu(endpoint: str, server: str = "ours") -> float:
        return s[(server, endpoint, 1)]["cpu_ms_per_request"]

    def vs_ceiling(endpoint: str) -> tuple[float, str]:
        by_rps = ratio(rps(endpoint), rps("list_50", "ceiling"))
        return ratio(cpu("list_50", "ceiling"), cpu(endpoint)), f" (req/s, 16 conn.: {by_rps:.3f})"

    listed, listed_rps = vs_ceiling("list_50")
    whole, whole_rps = vs_ceiling("protocol")
    checks = [
        ("meeting list ≥ 0.5 × ceiling (CPU/req)", listed, 0.5, True, listed_rps),
        ("protocol read ≥ 0.25 × ceiling (CPU/req)", whole, 0.25, True, whole_rps),
        ("/auth/me ≤ 2 × CPU of /healthz", ratio(cpu("auth_me"), cpu("healthz")), 2.0, False, ""),
        ("deep page ≤ 1.3 × CPU of page 1", ratio(cpu("list_deep"), cpu("list_50")), 1.3, False, ""),
        ("page of 500 ≤ 5 × CPU of page of 50", ratio(cpu("list_500"), cpu("list_50")), 5.0, False, ""),
        ("2 workers ≥ 1.7 × one worker (list, req/s, 16 conn.)", ratio(rps("list_50", "ours_2_workers"),
         rps("list_50")), 1.7, True, ""),
    ]  # fmt: skip
    out = []
    for name, value, bound, at_least, note in checks:
        verdict = "n/a" if math.isnan(value) else "PASS" if (value >= bound if at_least else value <= bound) else "MISS"
        out.append((name, f"{value:.3f}{note}", verdict))
    if imports is not None:
        verdict = "n/a (no `apply:` figure in its output)" if math.isnan(imports) else "PASS" if imports < 5 else "MISS"
        out.append(("300-item protocol applied < 5 s (PostgreSQL)", f"{imports:.2f} s", verdict))
    return out


def funds_targets(s: Summary, unavailable: dict[str, int]) -> list[tuple[str, str, str]]:
    """The funds scenarios (issue 10) and the metric series (issue 11) against the meeting list of the same run
    (each costs no more than 2 × the list's time per request). Judged on the time per request at 1 connection
    (1000 / req/s): it holds the server's work and, on PostgreSQL, the database's, which is most of an aggregate
    such as the summary. The CPU per request (the server's, plus the database's on PostgreSQL) and its ratio are
    shown next to it."""

    def per_request(endpoint: str) -> tuple[float, float]:
        v = s[("ours", endpoint, 1)]
        database = 0.0 if math.isnan(v["db_cpu_ms_per_request"]) else v["db_cpu_ms_per_request"]
        return ratio(1000.0, v["rps"]), v["cpu_ms_per_request"] + database

    list_time, list_cpu = per_request("list_50")
    out = []
    scenarios = (
        ("round_summary", "round summary"),
        ("application_list", "application list"),
        ("metric_series", "metric series (sub-region, 6 years)"),
    )
    for endpoint, label in scenarios:
        name = f"{label} ≤ 2 × meeting list (time/req, 1 conn.)"
        if ("ours", endpoint, 1) not in s:
            out.append((name, "–", f"not available (HTTP {unavailable.get(endpoint, '–')})"))
            continue
        time_, cpu_ = per_request(endpoint)
        value = ratio(time_, list_time)
        verdict = "n/a" if math.isnan(value) else "PASS" if value <= 2 else "MISS"
        cpu_ratio = ratio(cpu_, list_cpu)
        note = f" ({time_:.2f} vs {list_time:.2f} ms; CPU/req {cpu_:.2f} vs {list_cpu:.2f} ms: {cpu_ratio:.3f})"
        out.append((name, f"{value:.3f}{note}", verdict))
    return out


def table(result: dict[str, Any]) -> str:
    s = summarise(result["cells"])
    lines = [
        "| server | endpoint | conn. | req/s | p50 ms | p99 ms | CPU ms/req | × ceiling req/s | × ceiling CPU "
        "| DB CPU ms/req | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for (server, endpoint, connections), v in s.items():
        ceil = s[("ceiling", "list_50", connections)]
        lines.append(
            f"| {server} | {endpoint} | {connections} | {v['rps']:.0f} | {v['p50_ms']:.2f} | {v['p99_ms']:.2f} | "
            f"{v['cpu_ms_per_request']:.2f} | {ratio(v['rps'], ceil['rps']):.3f} | "
            f"{ratio(ceil['cpu_ms_per_request'], v['cpu_ms_per_request']):.3f} | "
            f"{'–' if math.isnan(v['db_cpu_ms_per_request']) else format(v['db_cpu_ms_per_request'], '.2f')} | "
            f"{v['errors']:.0f} |"
        )
    lines += ["", "| target | value | |", "|---|---:|---|"]
    checks = targets(s, result.get("import_apply_s")) + funds_targets(s, result.get("unavailable", {}))
    lines += [f"| {name} | {value} | {verdict} |" for name, value, verdict in checks]
    return "\n".join(lines)


def import_hook(url: str) -> tuple[float | None, str]:
    """The 300-item protocol apply of bench/import_apply.py, when that benchmark exists (another part of issue 9)."""
    script = ROOT / "bench" / "import_apply.py"
    if args.no_imports or not script.exists():
        return None, "protocol-apply benchmark not run (bench/import_apply.py absent or --no-imports)"
    print("  bench/import_apply.py (300 items, 1 500 attendees) …")
    run = subprocess.run(
        [sys.executable, str(script), "--database-url", url],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    found = re.search(r"apply:\s+([\d.]+) s", run.stdout)
    return (float(found.group(1)) if found else math.nan), (run.stdout + run.stderr[-2000:]).strip()


def environment() -> dict[str, Any]:
    def have(module: str) -> bool:
        return (
            subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, check=False).returncode == 0
        )

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return {
        "commit": commit.strip(),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "uvloop": have("uvloop"),
        "httptools": have("httptools"),
        "meetings": MEETINGS,
        "people": PEOPLE,
        "applications": APPLICATIONS,
        "metric_values": METRIC_VALUES,
        "seconds_per_cell": SECONDS,
        "rounds": ROUNDS,
        "load": os.getloadavg(),
    }


def run_database(db: str, tokens: dict[str, str]) -> dict[str, Any]:
    print(f"{db}:")
    if db == "sqlite":
        cached = bulk.sqlite_file(CACHE, MEETINGS, PEOPLE, lambda p: build(f"sqlite:///{p}"))
        work = TMP / "bench.sqlite3"
        shutil.copyfile(cached, work)
        print(f"  data set: {cached}")
        funds = add_funds(f"sqlite:///{work}")
        metrics = add_metrics(f"sqlite:///{work}")
        return measure(db, f"sqlite:///{work}", tokens) | {"funds": funds, "metrics": metrics}
    base = TMP / "pg"
    url = pgcluster.start(base)
    try:
        build(url)
        funds = add_funds(url)
        metrics = add_metrics(url)
        postmaster = int((base / "data" / "postmaster.pid").read_text().split()[0])
        result = measure(db, url, tokens, postmaster) | {"funds": funds, "metrics": metrics}
        result["import_apply_s"], result["import_apply_output"] = import_hook(url)
        return result
    finally:
        pgcluster.stop(base)


def no_nan(value: Any) -> Any:
    """JSON has no NaN: a cell without a finished request has no CPU per request (null)."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: no_nan(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [no_nan(v) for v in value]
    return value


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (as root)")
    tokens = {
        "admin": create_token(str(dataset.ADMIN_ID), kind="access", scopes=["admin"], lifetime=timedelta(hours=3)),
        "fund_manager": create_token(
            str(funds_dataset.MANAGER_ID), kind="access", scopes=["fund_manager"], lifetime=timedelta(hours=3)
        ),
    }
    stamp = datetime.now(UTC)
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        for db in DATABASES:
            result = run_database(db, tokens) | {"environment": environment(), "at": stamp.isoformat()}
            text = table(result)
            name = "-".join(filter(None, [stamp.strftime("%Y-%m-%d-%H%M"), args.label, db]))
            header = (
                f"# Read path, {db}, {stamp:%Y-%m-%d %H:%M} UTC\n\n{json.dumps(result['environment'])}\n\n"
                f"Ceiling answer: {result['equality']}. Deep page: {result['deep_page']}. Funds data set: "
                f"{result['funds']['applications']} applications, {result['funds']['rows']} rows, inserted in "
                f"{result['funds']['insert_seconds']} s. Metrics data set: {result['metrics']['values']} values, "
                f"inserted in {result['metrics']['insert_seconds']} s.\n\n"
            )
            note = result.get("import_apply_output", "")
            (OUT / f"{name}.md").write_text(header + text + (f"\n\n```\n{note}\n```\n" if note else "\n"))
            (OUT / f"{name}.json").write_text(json.dumps(no_nan(result), indent=1, default=str))
            print(text + "\n" + (note.splitlines()[0] if note else ""))
            print(f"  written: {OUT / name}.md and .json\n")
    finally:
        shutil.rmtree(TMP / "pg", ignore_errors=True)
        if not QUICK or args.out:
            shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
