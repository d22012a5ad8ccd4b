"""Several staff at once: every referral recorded, numbered in turn, nobody told the database is locked."""

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import rows

ROOT = Path(__file__).resolve().parents[1]
STAFF = Path(__file__).with_name("staff.py")


def start_staff(name: str, count: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(STAFF), name, str(count)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_four_staff_logging_at_once_on_a_new_database(db_path):
    staff = [start_staff(f"worker{n}", 25) for n in range(4)]
    outputs = [member.communicate(timeout=300) for member in staff]
    for member, (_, stderr) in zip(staff, outputs, strict=True):
        assert member.returncode == 0, stderr
        assert stderr == ""  # no "database is locked", no warning, nothing
    calls = [json.loads(line) for stdout, _ in outputs for line in stdout.splitlines()]
    assert len(calls) == 100
    assert all(call["codes"] == [0, 0, 0, 0] for call in calls)
    refs = sorted(call["ref"] for call in calls)
    assert refs == [f"KM-2026-{n:04d}" for n in range(1, 101)]
    assert rows(db_path, "SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM cases") == [(100, 100, 1, 100)]
    assert rows(db_path, "SELECT count(*) FROM events WHERE action = 'intake'") == [(100,)]
    families = {f for (f,) in rows(db_path, "SELECT family_name FROM case_personal")}
    assert families == {f"worker{n} family {c}" for n in range(4) for c in range(25)}
