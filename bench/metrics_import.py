"""Benchmark: the bulk import of follow-up values (issue 11: 500 000 values in under 60 s on each database).
Prints figures, writes them to bench/results/ and says PASS or MISS; asserts nothing.

    python -m bench.metrics_import [--values 500000] [--db sqlite|postgresql|both] [--via store|bulk|both]
                                   [--label …] [--out DIR]

The file: `--values` rows of a values CSV (`;`, UTF-8 with a BOM, the list's own columns), made by
bench/metrics_dataset.py: indicators BENCH-001 onwards (two in three split by gender), the 16 principals, every
month 2020-01 … 2025-12. Each case (database × way in) runs in a fresh database (migrated, the principals,
sub-regions and indicators added) and in its own Python process, so that its peak memory is its own:

- `store`: the CSV read with the csv module into `store.ValueRow`s, then `app.metrics.values.store.upsert_rows`;
- `bulk`: the service the API and the CLI use (`app.metrics.values.csvfile.read` and `bulk.import_drafts`), when
  it is there.

Per case: seconds to read the file, to write, in all, rows/s, the process's peak memory (ru_maxrss), and the
same file imported again (all unchanged). For PostgreSQL the postgresql-15 server binaries (tests/pgcluster.py)."""

import argparse
import csv
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 60.0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--values", type=int, default=500_000, help="Rows in the file (500 000).")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--via", choices=["store", "bulk", "both"], default="both")
    parser.add_argument("--label", default="", help="Part of the result file names.")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"), help="Results directory.")
    parser.add_argument("--child", nargs=3, metavar=("URL", "CSV", "VIA"), help=argparse.SUPPRESS)
    return parser.parse_args()


def prepare(url: str, values: int) -> None:
    """A fresh database: migrated, the principals and sub-regions, and the indicators the file names."""
    from app.core.db import create_engine
    from app.core.migrations import upgrade
    from bench import metrics_dataset

    upgrade("head", database_url=url)
    engine = create_engine(url)
    with engine.begin() as conn:
        metrics_dataset.setting(conn)
        metrics_dataset.add_indicators(conn, metrics_dataset.indicators_for(values))
    engine.dispose()


def write_csv(path: Path, values: int) -> None:
    """The file, written once for every case (each database is fresh, so its principals have the ids that
    metrics_dataset.setting gives them)."""
    from bench import metrics_dataset

    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(metrics_dataset.COLUMNS)
        out.writerows(metrics_dataset.value_lines(metrics_dataset.fresh_principals(), values))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _import_store(session: Any, data: Path) -> tuple[float, Any]:
    from bench import metrics_dataset as md

    started = time.perf_counter()
    conn = session.connection()
    ids = md.code_ids(conn)
    scopes = {str(s.organisation_id): s for s in md.setting(conn).principals}
    with data.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=";")
        next(reader)
        rows = md.rows_of((tuple(line) for line in reader), ids, scopes)
    read = time.perf_counter() - started
    from app.metrics.values import store

    return read, store.upsert_rows(session, md.ACTOR, rows)


def _import_bulk(session: Any, data: Path) -> tuple[float, Any]:
    from app.metrics.values import bulk, csvfile
    from bench import metrics_dataset as md

    started = time.perf_counter()
    parsed = csvfile.read(data.read_bytes())
    read = time.perf_counter() - started

    def where(index: int, column: str) -> tuple[str | int, ...]:
        return ("body", "line", parsed.lines[index], column)

    return read, bulk.import_drafts(session, md.ACTOR, parsed.drafts, parsed.problems, where)


def child(url: str, data: Path, via: str) -> None:
    """One case, in its own process: the import, then the same file again. Prints one JSON line."""
    from sqlmodel import Session

    from app.core.db import create_engine

    engine = create_engine(url)
    result: dict[str, Any] = {"via": via, "baseline_mb": round(_peak_mb(), 1)}
    run = _import_store if via == "store" else _import_bulk
    for phase in ("import", "reimport"):
        started = time.perf_counter()
        with Session(engine) as session:
            read, outcome = run(session, data)
            session.commit()
        seconds = time.perf_counter() - started
        result[phase] = {
            "seconds": round(seconds, 2),
            "read_seconds": round(read, 2),
            "write_seconds": round(seconds - read, 2),
            "created": outcome.created,
            "changed": outcome.changed,
            "unchanged": outcome.unchanged,
            "peak_mb": round(_peak_mb(), 1),
        }
    engine.dispose()
    print("RESULT " + json.dumps(result))


def run_case(url: str, data: Path, via: str, values: int) -> dict[str, Any]:
    prepare(url, values)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.metrics_import", "--child", url, str(data), via],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"via": via, "error": last}
    return dict(json.loads(line[len("RESULT ") :]))


def _available(via: str) -> str | None:
    """Why a way in cannot be measured (the bulk service before it is merged), or None."""
    if via == "bulk":
        try:
            from app.metrics.values import bulk, csvfile  # noqa: F401
        except ImportError as error:
            return f"not available ({error})"
    return None


def table(values: int, cases: list[dict[str, Any]]) -> str:
    lines = [
        "| way in | import s | read s | write s | rows/s | peak MB | again s | again unchanged | < 60 s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for c in cases:
        if "error" in c:
            lines.append(f"| {c['via']} | – | – | – | – | – | – | – | {c['error']} |")
            continue
        first, again = c["import"], c["reimport"]
        verdict = "PASS" if first["seconds"] < TARGET_SECONDS and first["created"] == values else "MISS"
        lines.append(
            f"| {c['via']} | {first['seconds']:.1f} | {first['read_seconds']:.1f} | {first['write_seconds']:.1f} | "
            f"{values / first['seconds']:,.0f} | {first['peak_mb']:.0f} | {again['seconds']:.1f} | "
            f"{again['unchanged']} of {values} | {verdict} |".replace(",", " ")
        )
    return "\n".join(lines)


def main() -> None:
    args = _arguments()
    if args.child:
        url, data, via = args.child
        child(url, Path(data), via)
        return
    from tests import pgcluster

    tmp = Path(tempfile.mkdtemp(prefix="samverkan-metrics-bench-"))
    tmp.chmod(0o755)  # as root, the PostgreSQL cluster inside runs as the postgres user
    os.environ.setdefault("SAMVERKAN_VAR_DIR", str(tmp))
    ways = ["store", "bulk"] if args.via == "both" else [args.via]
    databases = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC)
    try:
        data = tmp / "values.csv"
        started = time.perf_counter()
        write_csv(data, args.values)
        size = data.stat().st_size / 1e6
        print(f"{args.values} values, {size:.1f} MB of CSV written in {time.perf_counter() - started:.1f} s")
        for db in databases:
            print(f"{db}:")
            cases = []
            base = tmp / "pg"
            server = pgcluster.start(base) if db == "postgresql" else None
            try:
                for k, via in enumerate(ways):
                    missing = _available(via)
                    if missing:
                        cases.append({"via": via, "error": missing})
                        continue
                    if server:
                        url = server.rsplit("/", 1)[0] + f"/case{k}"
                        _create_database(server, f"case{k}")
                    else:
                        url = f"sqlite:///{tmp / f'case{k}.sqlite3'}"
                    cases.append(run_case(url, data, via, args.values))
                    print(f"  {via}: {cases[-1]}")
            finally:
                if server:
                    pgcluster.stop(base)
            text = table(args.values, cases)
            name = "-".join(filter(None, [stamp.strftime("%Y-%m-%d-%H%M"), "metrics-import", args.label, db]))
            header = (
                f"# Metrics import, {db}, {stamp:%Y-%m-%d %H:%M} UTC\n\n{args.values} values, {size:.1f} MB of CSV; "
                f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} CPUs, commit {_commit()}\n\n"
            )
            (out / f"{name}.md").write_text(header + text + "\n")
            (out / f"{name}.json").write_text(
                json.dumps({"database": db, "values": args.values, "cases": cases}, indent=1)
            )
            print(text + f"\n  written: {out / name}.md and .json\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # the file and the SQLite databases: gigabytes at full size


def _create_database(server_url: str, name: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


if __name__ == "__main__":
    main()
