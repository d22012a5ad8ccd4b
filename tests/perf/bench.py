"""Benchmark kidsmed's daily commands over large generated case books.

Not part of the test run. Run it with the Python of an environment where kidsmed is installed
from a wheel (`python -m pip install .`, not editable: pip compiles the bytecode, as it will be
on staff machines):

    python tests/perf/bench.py                     # 10,000 and 100,000 cases
    python tests/perf/bench.py --sizes 1000000     # a million, when asked
    python tests/perf/bench.py --runs 15 --json results.json

Each command runs as a whole process, several times after a warm-up, interleaved with the two
floors so that the ratios hold on a noisy machine: the stack floor (tests/perf/stack_floor.py, a
minimal Typer 0.27 program that reads ten rows from the same case book and prints them as a Rich
table: no program on kidsmed's stack can do less) and, for reference, a bare `python -c "import
sqlite3"`. It prints the median milliseconds, both ratios, the peak memory of each command, and
whether each meets its target (issue 13: a ratio to the stack floor, and at most 60 MiB).
Databases are kept in --workdir and reused when present.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

FLOOR = [sys.executable, "-c", "import sqlite3"]
STACK_FLOOR = [sys.executable, str(Path(__file__).with_name("stack_floor.py")), "list"]  # + the database
DAILY_RATIO = 1.3  # to the stack floor
PEAK_MIB = 60


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[str, ...]
    target_ratio: float  # to the stack floor
    daily: bool = False  # daily commands must also cost the same at 10k and 100k
    env: tuple[tuple[str, str], ...] = ()  # e.g. the variables a shell sets for a Tab


def tab(line: str) -> tuple[tuple[str, str], ...]:
    """What bash sets when Tab is pressed at the end of `line` (Typer's completion protocol)."""
    return (("_KIDSMED_COMPLETE", "complete_bash"), ("COMP_WORDS", line), ("COMP_CWORD", str(len(line.split(" ")) - 1)))


def commands(ref: str) -> list[Command]:
    intake = ("intake", "--no-input", "--kind", "mediation", "--referrer-role", "parent",
              "--family", "Bench Example", "--child", "Bench Example", "--la", "Northshire",
              "--issue", "placement")
    return [
        Command("--version", ("--version",), 0.5),
        Command("--help", ("--help",), 2.0),
        Command("report day", ("report", "day"), DAILY_RATIO, daily=True),
        Command("schedule list --days 7", ("schedule", "list", "--days", "7"), DAILY_RATIO, daily=True),
        Command("show REF", ("show", ref), DAILY_RATIO, daily=True),
        Command("due --overdue", ("due", "--overdue"), DAILY_RATIO, daily=True),
        Command("cases --status ready-to-book", ("cases", "--status", "ready-to-book"), DAILY_RATIO, daily=True),
        Command("intake --no-input", intake, 1.5),
        Command("Tab: show REF", (), DAILY_RATIO, daily=True, env=tab("kidsmed show ")),
        Command("Tab: schedule book --mediator", (), DAILY_RATIO, daily=True,
                env=tab(f"kidsmed schedule book {ref} --mediator ")),
        Command("report month", ("report", "month"), 2.5),
        Command("report year", ("report", "year", "2026"), 2.5),
    ]


def kidsmed_command() -> list[str]:
    script = Path(sys.executable).with_name("kidsmed")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kidsmed"]


def run(argv: list[str], env: dict) -> tuple[float, float]:
    """Run one process; return (seconds, peak resident MiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.read().decode()[:300]}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def build(db: Path, cases: int, env: dict, kidsmed: list[str]) -> tuple[float, float] | None:
    """Make the demo database once; returns the demo's own (seconds, MiB) when it was built now."""
    if db.exists():
        return None
    return run([*kidsmed, "--db", str(db), "demo", "--cases", str(cases), "--seed", "1"], env)


def sample_ref(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute("SELECT ref FROM cases WHERE status = 'booked' ORDER BY id DESC LIMIT 1").fetchone()
        return (row or conn.execute("SELECT ref FROM cases ORDER BY id DESC LIMIT 1").fetchone())[0]
    finally:
        conn.close()


def measure(command: Command, db: Path, runs: int, env: dict, kidsmed: list[str]) -> dict:
    # The database comes through the environment, so each command is typed exactly as staff type it.
    env = {**env, "KIDSMED_DB": str(db), **dict(command.env)}
    argv = [*kidsmed, *command.args]
    stack = [*STACK_FLOOR, str(db)]
    run(argv, env)  # warm-up: file cache
    run(stack, env)
    floors, stacks, times, peaks = [], [], [], []
    for _ in range(runs):
        floors.append(run(FLOOR, env)[0])
        stacks.append(run(stack, env)[0])
        seconds, mib = run(argv, env)
        times.append(seconds)
        peaks.append(mib)
    floor, stack_floor, median = (statistics.median(x) for x in (floors, stacks, times))
    return {"command": command.name, "ms": median * 1000, "floor_ms": floor * 1000, "ratio": median / floor,
            "stack_ms": stack_floor * 1000, "stack_ratio": median / stack_floor,
            "target": command.target_ratio, "peak_mib": max(peaks)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "kidsmed-bench")
    parser.add_argument("--rebuild", action="store_true", help="make the databases again")
    parser.add_argument("--json", type=Path, help="also write the results here")
    options = parser.parse_args()

    options.workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "KIDSMED_USER": "bench"}
    env.pop("KIDSMED_NOW", None)
    kidsmed = kidsmed_command()
    results: dict = {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "sizes": {}}
    for size in options.sizes:
        db = options.workdir / f"demo-{size}.db"
        if options.rebuild and db.exists():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        built = build(db, size, env, kidsmed)
        # Measure on a copy, so that intake's writes never change the next run's database.
        work = options.workdir / f"bench-{size}.db"
        shutil.copyfile(db, work)
        rows = [measure(c, work, options.runs, env, kidsmed) for c in commands(sample_ref(work))]
        results["sizes"][size] = {"demo": built and {"seconds": built[0], "peak_mib": built[1]}, "commands": rows}
        report(size, rows, built)
    growth(results)
    if options.json:
        options.json.write_text(json.dumps(results, indent=2))


def report(size: int, rows: list[dict], built: tuple[float, float] | None) -> None:
    print(f"\n{size:,} cases" + (f" (demo took {built[0]:.1f} s, peak {built[1]:.0f} MiB)" if built else ""))
    print(f"{'command':32} {'ms':>7} {'stack':>7} {'ratio':>6} {'target':>6} {'python':>7} {'ratio':>6} "
          f"{'MiB':>5}  ok")
    for r in rows:
        ok = r["stack_ratio"] <= r["target"] and r["peak_mib"] <= PEAK_MIB
        print(f"{r['command']:32} {r['ms']:7.1f} {r['stack_ms']:7.1f} {r['stack_ratio']:5.2f}× {r['target']:5.1f}× "
              f"{r['floor_ms']:7.1f} {r['ratio']:5.1f}× {r['peak_mib']:5.0f}  {'yes' if ok else 'NO'}")


def growth(results: dict) -> None:
    """Daily commands should cost the same at 100,000 cases as at 10,000 (within 1.2×). Each size is
    compared through its ratio to the stack floor of its own run, so that a busy machine during one
    size and a quiet one during the other does not pass for growth."""
    sizes = results["sizes"]
    if 10_000 not in sizes or 100_000 not in sizes:
        return
    print("\ngrowth from 10,000 to 100,000 cases, in ratios to the stack floor (target ≤ 1.2×)")
    small = {r["command"]: r for r in sizes[10_000]["commands"]}
    daily = {c.name for c in commands("KM") if c.daily}
    for r in sizes[100_000]["commands"]:
        if r["command"] in daily:
            ratio = r["stack_ratio"] / small[r["command"]]["stack_ratio"]
            print(f"{r['command']:32} {ratio:5.2f}×  {'yes' if ratio <= 1.2 else 'NO'}")


def machine() -> str:
    return f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, {os.uname().sysname} {os.uname().machine}"


if __name__ == "__main__":
    main()
