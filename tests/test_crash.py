"""Killed in the middle of a large write: the file is whole and the command's work all there or all gone."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import rows

from kidsmed.store.db import open_db

ROOT = Path(__file__).resolve().parents[1]
CASES = 20_000


def wal_grows(db_path: Path, process: subprocess.Popen) -> None:
    """Wait until the demo is writing pages: the moment of greatest danger."""
    wal = Path(f"{db_path}-wal")
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > 1_000_000:
            return
        time.sleep(0.005)


@pytest.mark.parametrize("kill_at", [0.2, 0.5, 1.0, "while writing", "after it finished"])
def test_a_killed_demo_leaves_all_or_nothing(kidsmed, db_path, kill_at):
    open_db(db_path).close()  # the file exists and is empty: the kill lands in demo's own work
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    demo = subprocess.Popen([sys.executable, "-m", "kidsmed", "demo", "--cases", str(CASES)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if kill_at == "while writing":
        wal_grows(db_path, demo)
    elif kill_at == "after it finished":  # the "all" of all-or-nothing must hold too
        demo.wait(timeout=120)
    else:
        time.sleep(kill_at)
    demo.send_signal(signal.SIGKILL)
    demo.wait()
    demo.stderr.close()

    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]
    [(cases, personal, erased, demo_events)] = rows(db_path, (
        "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM case_personal),"
        " (SELECT count(*) FROM cases WHERE erased_at IS NOT NULL),"
        " (SELECT count(*) FROM events WHERE action = 'demo')"))
    # All or nothing: every case, each with its personal details or erased (refused consent).
    assert (cases, personal + erased, demo_events) in ((0, 0, 0), (CASES, CASES, 1))
    checked = kidsmed("check", "--json")
    assert (checked.exit_code, json.loads(checked.stdout)["problems"]) == (0, [])
