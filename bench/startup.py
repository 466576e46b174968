"""Start-up speed of the ``pos-app`` command, each run a whole new process as a person runs it.

    .venv/bin/python bench/startup.py [--sales 100000] [--runs 15] [--data-dir DIR]

Makes (or reuses, with --data-dir) a demo shop with --sales sales, then times ``pos-app report``
over a year by month and ``pos-app --help``, end to end, and lists the slowest imports of the
report command (``python -X importtime``). Targets: report at most 300 ms, --help at most 150 ms.
Prints the figures, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPORT_TARGET_MS = 300
HELP_TARGET_MS = 150


def pos_app() -> str:
    """The console script installed beside this interpreter: what a person types."""
    script = Path(sys.executable).with_name("pos-app")
    if not script.exists():
        raise SystemExit(f"{script} is missing; install Till into this environment first.")
    return str(script)


def environment(data_dir: Path) -> dict[str, str]:
    """Our settings only; and bytecode is written and read as in any installation (the first,
    untimed run writes it), even where this shell turns that off."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("POS_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        POS_DATA_DIR=str(data_dir),
        POS_TIMEZONE="Europe/Berlin",
        POS_DOTENV=str(data_dir / "no.env"),
        POS_TILL_ID="bench",
    )
    return env


def ensure_shop(data_dir: Path, sales: int, env: dict[str, str]) -> None:
    if (data_dir / "till.sqlite3").exists():
        return
    print(f"Making a demo shop with {sales:,} sales in {data_dir} ...", file=sys.stderr)
    command = [pos_app(), "demo-data", "--sales", str(sales)]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def time_runs(command: list[str], env: dict[str, str], runs: int) -> list[float]:
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # warm the disk cache
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def slowest_imports(
    command: list[str], env: dict[str, str], count: int = 8
) -> list[tuple[str, int]]:
    """The top-level packages with the largest cumulative import time, in microseconds."""
    script = "import sys; from pos_app.cli import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", script, *command[1:]],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    totals: dict[str, int] = {}
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        module = parts[2].strip()
        if "." not in module:  # a package's own line counts everything it imported
            totals[module] = max(totals.get(module, 0), int(parts[1]))
    return sorted(totals.items(), key=lambda item: -item[1])[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--data-dir", type=Path, help="keep the demo shop here for the next run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="till-startup-") as scratch:
        data_dir = args.data_dir or Path(scratch)
        env = environment(data_dir)
        ensure_shop(data_dir, args.sales, env)
        today = date.today()
        report = [
            pos_app(), "report", "--from", (today - timedelta(days=364)).isoformat(),
            "--to", today.isoformat(), "--bucket", "monthly",
        ]  # fmt: skip
        report_ms = time_runs(report, env, args.runs)
        help_ms = time_runs([pos_app(), "--help"], env, args.runs)
        imports = slowest_imports(report, env)
    figures = {
        "report_median_ms": round(statistics.median(report_ms), 1),
        "report_min_ms": round(min(report_ms), 1),
        "help_median_ms": round(statistics.median(help_ms), 1),
        "help_min_ms": round(min(help_ms), 1),
    }
    print(f"sales in the database        {args.sales:,}")
    print(f"runs each                    {args.runs}")
    report_median, help_median = figures["report_median_ms"], figures["help_median_ms"]
    print(f"pos-app report, median       {report_median:7.1f} ms  (target {REPORT_TARGET_MS})")
    print(f"pos-app report, fastest      {figures['report_min_ms']:7.1f} ms")
    print(f"pos-app --help, median       {help_median:7.1f} ms  (target {HELP_TARGET_MS})")
    print(f"pos-app --help, fastest      {figures['help_min_ms']:7.1f} ms")
    print("slowest imports of the report command (cumulative):")
    for module, microseconds in imports:
        print(f"  {module:<26} {microseconds / 1000:7.1f} ms")
    result = {
        "benchmark": "startup",
        "sales": args.sales,
        "runs": args.runs,
        **figures,
        "report_target_ms": REPORT_TARGET_MS,
        "help_target_ms": HELP_TARGET_MS,
        "report_ok": figures["report_median_ms"] <= REPORT_TARGET_MS,
        "help_ok": figures["help_median_ms"] <= HELP_TARGET_MS,
        "slowest_imports_ms": {m: round(us / 1000, 1) for m, us in imports},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
