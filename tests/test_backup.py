"""kidsmed backup and restore: private, verified, consistent copies, and a restore that checks first."""

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import case_count, checksum, rows, write
from test_concurrency import start_staff
from test_migrations import FIXTURES, load

from kidsmed.store.schema import STEPS


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def no_umask():
    """The most careless umask there is: modes must come from kidsmed, not from it."""
    old = os.umask(0)
    yield
    os.umask(old)


def test_a_backup_is_private_checked_and_recorded(kidsmed, db_path, tmp_path, no_umask):
    kidsmed.intake()
    kidsmed.intake("--referrer-role", "school")
    target = tmp_path / "backups" / "nightly.db"
    target.parent.mkdir()
    result = kidsmed("backup", str(target))
    assert result.exit_code == 0, result.output
    tables = len(rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
    total = sum(rows(db_path, f'SELECT count(*) FROM "{t}"')[0][0] for (t,) in rows(
        db_path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) - 1
    assert result.stdout.splitlines() == [
        f"Backed up 2 cases ({total} rows in {tables} tables) to {target} — read back and checked: intact, "
        "row counts match.",
        f"Next: keep it somewhere only staff can read; 'kidsmed restore {target}' puts it back"]
    assert mode(target) == 0o600
    assert os.listdir(target.parent) == ["nightly.db"]  # no partial file, no -wal beside it
    assert rows(target, "PRAGMA integrity_check") == [("ok",)]
    assert rows(target, "PRAGMA journal_mode") == [("delete",)]
    sql = "SELECT c.ref, p.family_name FROM cases c JOIN case_personal p ON p.case_id = c.id ORDER BY c.id"
    assert rows(target, sql) == rows(db_path, sql)
    [(user, case_id, detail)] = rows(db_path, "SELECT user, case_id, detail FROM events WHERE action = 'backup'")
    assert (user, case_id, json.loads(detail)) == ("tester", None, {"file": str(target), "cases": 2, "rows": total})


def test_a_backup_never_overwrites_unless_forced(kidsmed, db_path, tmp_path):
    kidsmed.intake()
    target = tmp_path / "b.db"
    target.write_bytes(b"last week's backup")
    result = kidsmed("backup", str(target))
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {target} already exists — give a new file name, or --force to replace it\n")
    assert target.read_bytes() == b"last week's backup"
    assert kidsmed("backup", str(target), "--force").exit_code == 0
    assert rows(target, "SELECT count(*) FROM cases") == [(1,)]


def test_a_backup_never_writes_over_the_database(kidsmed, db_path):
    kidsmed.intake()
    before = checksum(db_path)
    result = kidsmed("backup", str(db_path), "--force")
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {db_path} is the database itself — give a new file name for the backup\n")
    assert checksum(db_path) == before


def test_a_backup_needs_a_database_and_a_folder(kidsmed, db_path, tmp_path):
    result = kidsmed("backup", str(tmp_path / "b.db"))
    assert (result.exit_code, result.stderr) == (
        1, f"Error: there is no database at {db_path} — check --db or KIDSMED_DB\n")
    assert not db_path.exists()
    kidsmed.intake()
    nowhere = tmp_path / "no-such-folder" / "b.db"
    result = kidsmed("backup", str(nowhere))
    assert (result.exit_code, result.stderr) == (
        1, f"Error: cannot write {nowhere} (No such file or directory) — choose a folder you can write to; "
        "nothing was kept\n")


def test_backups_taken_while_staff_keep_working_are_consistent(kidsmed, db_path, tmp_path):
    kidsmed.intake()
    staff = [start_staff(f"w{n}", 30) for n in range(2)]
    backups = []
    while any(member.poll() is None for member in staff) or len(backups) < 3:
        backups.append(tmp_path / f"b{len(backups)}.db")
        result = kidsmed("backup", str(backups[-1]))
        assert result.exit_code == 0, result.output
    for member in staff:
        assert member.wait() == 0 and member.stderr.read() == ""
    for backup in backups:
        assert rows(backup, "PRAGMA integrity_check") == [("ok",)]
        # A snapshot, never half a command: every case has its personal details and its intake event.
        [(cases, personal, intakes)] = rows(backup, "SELECT (SELECT count(*) FROM cases), "
                                            "(SELECT count(*) FROM case_personal), "
                                            "(SELECT count(*) FROM events WHERE action = 'intake')")
        assert cases == personal == intakes
    assert rows(backups[-1], "SELECT count(*) FROM cases") <= [(61,)]
    assert case_count(db_path) == 61


def test_restore_checks_then_keeps_the_old_database_aside(kidsmed, db_path, tmp_path, no_umask):
    kidsmed.intake()
    kidsmed.intake()
    backup = tmp_path / "b.db"
    kidsmed("backup", str(backup))
    kidsmed.intake()
    before = checksum(db_path)
    result = kidsmed("restore", str(backup))
    assert result.exit_code == 0, result.output
    aside = Path(f"{db_path}.before-restore-20261126T100000Z")
    assert result.stdout.splitlines() == [
        f"Restored 2 cases from {backup} into {db_path}.",
        f"The database as it was is kept at {aside} (mode 0600).",
        "Next: kidsmed check"]
    assert case_count(db_path) == 2 and case_count(aside) == 3
    assert checksum(aside) == before
    assert mode(aside) == 0o600 and mode(db_path) == 0o600
    assert rows(db_path, "PRAGMA journal_mode") == [("wal",)]
    [(detail,)] = rows(db_path, "SELECT detail FROM events WHERE action = 'restored'")
    assert json.loads(detail) == {"file": str(backup), "kept_aside": str(aside), "cases": 2,
                                  "erasures_reapplied": 0}
    assert kidsmed("check").stdout.startswith("No problems found.\nBook identity: ")


def test_restore_onto_a_new_machine_keeps_nothing_aside(kidsmed, db_path, tmp_path):
    kidsmed.intake()
    backup = tmp_path / "b.db"
    kidsmed("backup", str(backup))
    new_home = tmp_path / "new" / "kidsmed.db"
    result = kidsmed("--db", str(new_home), "restore", str(backup))
    assert result.exit_code == 0, result.output
    assert "kept at" not in result.stdout
    assert not [name for name in os.listdir(new_home.parent) if "before-restore" in name]
    assert case_count(new_home) == 1 and mode(new_home) == 0o600


def _not_sqlite(path: Path) -> None:
    path.write_text("ref,family\nKM-2026-0001,Sam Example\n")


def _not_kidsmed(path: Path) -> None:
    sqlite3.connect(path).execute("CREATE TABLE photos (id INTEGER)").connection.close()


def _newer(path: Path) -> None:
    load(FIXTURES[-1], path)
    write(path, f"PRAGMA user_version = {len(STEPS) + 1}")


def _damaged(path: Path) -> None:
    load(FIXTURES[0], path)
    size = path.stat().st_size
    with open(path, "r+b") as file:
        file.seek(size - 4096)
        file.write(b"\xde\xad" * 2048)


@pytest.mark.parametrize(("make", "code", "message"), [
    (None, 3, "Error: there is no file {backup} — check the name of the backup\n"),
    (_not_sqlite, 1, "Error: {backup} is not a kidsmed backup (not an SQLite database) — choose a file made "
                     "by 'kidsmed backup'; nothing was changed\n"),
    (_not_kidsmed, 1, "Error: {backup} is not a kidsmed backup (it has no case book in it) — choose a file "
                      "made by 'kidsmed backup'; nothing was changed\n"),
    (_newer, 1, "Error: {backup} was written by a newer kidsmed — upgrade kidsmed before restoring it; "
                "nothing was changed\n"),
    (_damaged, 1, "Error: {backup} is damaged (database disk image is malformed) — choose another backup; "
                  "nothing was changed\n"),
], ids=["missing", "not-sqlite", "not-kidsmed", "newer", "damaged"])
def test_restore_refuses_a_bad_backup_and_changes_nothing(kidsmed, db_path, tmp_path, make, code, message):
    kidsmed.intake()
    backup = tmp_path / "b.db"
    if make:
        make(backup)
    before = checksum(db_path)
    result = kidsmed("restore", str(backup))
    assert result.exit_code == code
    assert result.stderr.startswith(message.format(backup=backup)) and len(result.stderr.splitlines()) == 1
    assert checksum(db_path) == before
    assert not [name for name in os.listdir(db_path.parent) if "before-restore" in name]


def test_restoring_an_older_release_upgrades_it(kidsmed, db_path, tmp_path, env_now):
    kidsmed.intake()
    old = tmp_path / "old.db"
    load(FIXTURES[0], old)
    env_now("2026-11-27T09:00")  # after the last event in the fixture
    result = kidsmed("restore", str(old))
    assert result.exit_code == 0, result.output
    assert rows(db_path, "PRAGMA user_version") == [(len(STEPS),)]
    assert case_count(db_path) == case_count(old)
    assert kidsmed("check").stdout.startswith("No problems found.\nBook identity: ")


def test_backup_works_from_the_installed_entry_point(db_path, tmp_path):
    """python -m kidsmed, as cron runs it: a backup and a check in separate processes."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    made = subprocess.run([sys.executable, "-m", "kidsmed", "demo", "--cases", "50"], env=env,
                          capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    copied = subprocess.run([sys.executable, "-m", "kidsmed", "backup", str(tmp_path / "b.db")], env=env,
                            capture_output=True, text=True)
    assert copied.returncode == 0 and copied.stderr == ""
    assert rows(tmp_path / "b.db", "SELECT count(*) FROM cases") == [(50,)]
