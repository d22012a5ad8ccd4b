"""A database file that cannot be used as it should: one clear line, a documented exit code, no
traceback, nothing changed and nothing silently downgraded."""

import os
import sqlite3

import pytest
from conftest import case_count, checksum

from kidsmed.store import db as store_db
from kidsmed.store.schema import STEPS

AS_ROOT = os.geteuid() == 0


def deny(monkeypatch, *modes):
    """What the operating system says when this user lacks `modes` on the file (root never does)."""
    real = os.access
    monkeypatch.setattr(store_db.os, "access", lambda path, mode: mode not in modes and real(path, mode))


def test_an_unreadable_database(kidsmed, db_path, monkeypatch):
    kidsmed.intake()
    deny(monkeypatch, os.R_OK)
    result = kidsmed("cases")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", f"Error: cannot read the database {db_path} — check its owner and permissions\n")


@pytest.mark.skipif(AS_ROOT, reason="root reads any file: test_an_unreadable_database covers the code path")
def test_a_database_made_unreadable_with_chmod(kidsmed, db_path):
    kidsmed.intake()
    db_path.chmod(0o000)
    try:
        result = kidsmed("cases")
    finally:
        db_path.chmod(0o600)
    assert result.exit_code == 1 and result.stderr.startswith("Error: cannot read the database")


def test_a_read_only_database_can_be_read_but_not_changed(kidsmed, db_path, monkeypatch):
    kidsmed.intake()
    before = checksum(db_path)
    deny(monkeypatch, os.W_OK)
    assert [c["ref"] for c in kidsmed.json("cases")] == ["KM-2026-0001"]
    assert kidsmed.json("show", "KM-2026-0001")["ref"] == "KM-2026-0001"
    for args in (("note", "KM-2026-0001", "called"), ("intake", "--kind", "mediation", "--referrer-role", "parent",
                 "--family", "F", "--child", "C", "--la", "L", "--new-la", "--issue", "other")):
        result = kidsmed(*args)
        assert (result.exit_code, result.stderr) == (
            1, f"Error: the database {db_path} is read-only — check its owner and permissions; nothing was changed\n")
    assert checksum(db_path) == before


def test_a_read_only_database_can_still_be_backed_up(kidsmed, db_path, monkeypatch, tmp_path):
    kidsmed.intake()
    before = checksum(db_path)
    deny(monkeypatch, os.W_OK)
    result = kidsmed("backup", str(tmp_path / "b.db"))
    assert result.exit_code == 0
    assert result.stderr == ("Warning: the database is read-only here, so the audit trail does not record this "
                             "backup and kidsmed check cannot watch its permissions\n")
    assert checksum(tmp_path / "b.db") == checksum(db_path) == before


@pytest.mark.skipif(AS_ROOT, reason="root writes any file: the read-only test above covers the code path")
def test_a_database_made_read_only_with_chmod(kidsmed, db_path):
    kidsmed.intake()
    db_path.chmod(0o400)
    try:
        listed = kidsmed("cases", "--json")
        noted = kidsmed("note", "KM-2026-0001", "called")
    finally:
        db_path.chmod(0o600)
    assert listed.exit_code == 0
    assert noted.exit_code == 1 and "read-only" in noted.stderr


def test_a_read_only_database_from_an_older_kidsmed_says_so(kidsmed, db_path, monkeypatch):
    kidsmed.intake()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    deny(monkeypatch, os.W_OK)
    result = kidsmed("cases")
    assert (result.exit_code, result.stderr) == (
        1, f"Error: the database {db_path} is read-only and was written by an older kidsmed — open it once with "
        "write access so that kidsmed can upgrade it\n")


def test_a_database_locked_for_too_long(kidsmed, db_path, monkeypatch):
    kidsmed.intake()
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    colleague = sqlite3.connect(db_path, isolation_level=None)
    colleague.execute("BEGIN IMMEDIATE")
    colleague.execute("INSERT INTO settings (key, value) VALUES ('x', 'half-done')")
    try:
        assert [c["ref"] for c in kidsmed.json("cases")] == ["KM-2026-0001"]  # readers are never blocked
        result = kidsmed("note", "KM-2026-0001", "called")
    finally:
        colleague.execute("ROLLBACK")
        colleague.close()
    assert (result.exit_code, result.stderr) == (
        1, "Error: the database stayed busy with another member of staff's work — try again in a moment; "
        "nothing was changed\n")
    assert case_count(db_path) == 1
    assert kidsmed("note", "KM-2026-0001", "called").exit_code == 0


def test_a_database_from_a_newer_kidsmed_is_refused_not_downgraded(kidsmed, db_path):
    kidsmed.intake()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {len(STEPS) + 1}")
    conn.close()
    before = checksum(db_path)
    for args in (("cases",), ("note", "KM-2026-0001", "x"), ("check",), ("backup", str(db_path) + ".b")):
        result = kidsmed(*args)
        assert (result.exit_code, result.stderr) == (
            1, "Error: this database was written by a newer kidsmed — upgrade kidsmed before using it "
            "(nothing was changed)\n")
    assert checksum(db_path) == before


def test_a_damaged_page_is_one_line(kidsmed, db_path):
    kidsmed("demo", "--cases", "400")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with open(db_path, "r+b") as file:
        for page in range(2, pages, 3):
            file.seek(page * size + 8)
            file.write(b"\xff" * 64)
    for args in (("cases", "--all"), ("show", "KM-2026-0001"), ("intake", "--kind", "mediation")):
        result = kidsmed(*args)
        assert result.exit_code in (1, 2, 3) and "Traceback" not in result.output
        assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1


def test_a_folder_in_place_of_the_database(kidsmed, db_path):
    db_path.mkdir(parents=True)
    result = kidsmed("cases")
    assert (result.exit_code, result.stderr) == (
        1, f"Error: cannot open the database {db_path} — check the owner and permissions of the file and of "
        "its folder\n")
