"""The daily commands read through indexes, so they cost the same at 1,000 cases as at 1,000,000.

Each command runs as staff would type it while SQLite reports every statement it executes;
each SELECT is then explained. A full scan of a table that grows with the case book fails.
"""

import re

import pytest

from kidsmed.store import db as store_db

# Tables that stay small whatever the case book holds: scanning them is fine.
SMALL = {"mediators", "venues", "holidays", "settings", "book", "_sqlite_migrations", "json_each"}


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory):
    from typer.testing import CliRunner

    from kidsmed.cli.app import app

    path = tmp_path_factory.mktemp("plans") / "demo.db"
    result = CliRunner().invoke(app, ["--db", str(path), "demo", "--cases", "400", "--seed", "2"],
                                env={"KIDSMED_NOW": "2026-11-26T10:00", "KIDSMED_USER": "demo"})
    assert result.exit_code == 0, result.output
    return path


def _traced(monkeypatch) -> list[str]:
    statements: list[str] = []
    real_open = store_db.open_db

    def open_and_trace(*args, **kwargs):
        db = real_open(*args, **kwargs)
        db.conn.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(store_db, "open_db", open_and_trace)
    return statements


def _full_scans(db_path, statements: list[str]) -> list[tuple[str, str]]:
    db = store_db.open_db(db_path)
    scans = []
    for sql in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        for row in db.query("EXPLAIN QUERY PLAN " + sql):
            step = row[3]
            # "SCAN CONSTANT ROW" is a SELECT without FROM: it reads no table.
            match = re.match(r"SCAN (?!CONSTANT ROW)(\w+)", step)
            if match and "USING" not in step and match.group(1) not in SMALL:
                scans.append((step, " ".join(sql.split())))
    return scans


@pytest.mark.parametrize("command", [
    ["report", "day"],
    ["report", "day", "--mediator", "Jo Fairweather"],
    ["report", "day", "--mine"],
    ["report", "day", "--owner", "Priya Shah"],
    ["cases", "--mine"],
    ["cases", "--owner", "Priya Shah", "--status", "awaiting-agreement"],
    ["due", "--mine"],
    ["schedule", "list", "--mine"],
    ["assign", "KM-2026-0336", "Tom Fielding"],
    ["chase", "KM-2026-0336", "--on", "2026-12-04", "--what", "LA answer", "--party", "la"],
    ["schedule", "list", "--days", "7"],
    ["schedule", "list", "--days", "7", "--format", "ics"],
    ["schedule", "feed", "--mediator", "Jo Fairweather", "--output", "feed.ics"],
    ["show", "KM-2026-0200"],
    ["due", "--overdue"],
    ["cases", "--status", "ready-to-book"],
    ["cases", "--la", "Northshire"],
    ["intake", "--kind", "mediation", "--referrer-role", "parent", "--family", "F", "--child", "C",
     "--la", "Northshire", "--issue", "placement"],
], ids=" ".join)
def test_daily_commands_never_scan_a_growing_table(kidsmed, demo_book, monkeypatch, tmp_path, command):
    monkeypatch.chdir(tmp_path)  # where a command that writes a file writes it
    statements = _traced(monkeypatch)
    result = kidsmed("--db", str(demo_book), *command)
    assert result.exit_code == 0, result.output
    assert statements, "no SQL was traced"
    assert _full_scans(demo_book, statements) == []
