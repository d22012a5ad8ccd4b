"""kidsmed restore: the whole backup is checked first, the swap is atomic with respect to colleagues'
work, references are never handed out twice, and erasures are never undone."""

import json
import os
import sqlite3
from pathlib import Path

import pytest
from conftest import case_count, checksum, rows, write
from test_concurrency import start_staff
from test_erasure import a_case_full_of_details, found


def made_backup(kidsmed, tmp_path, name="b.db") -> Path:
    backup = tmp_path / name
    result = kidsmed("backup", str(backup))
    assert result.exit_code == 0, result.output
    return backup


def asides(db_path: Path) -> list[Path]:
    return sorted(db_path.parent.glob(f"{db_path.name}.before-restore-*"))


def leftovers(db_path: Path) -> list[str]:
    """Files a restore must not leave beside the database: its staged copy and their companions."""
    return [name for name in os.listdir(db_path.parent) if ".partial" in name or "restoring" in name]


def _drop_an_index(path: Path) -> None:
    write(path, "DROP INDEX cases_received")


def _forget_a_step(path: Path) -> None:
    write(path, "DELETE FROM _sqlite_migrations WHERE name = 'm002_issue6_sessions_status_start'")


def _only_the_names(path: Path) -> None:
    """What the old restore took for a case book: three tables with the right names."""
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE cases (x); CREATE TABLE events (x); "
                       "CREATE TABLE _sqlite_migrations (id, migration_set, name, applied_at); "
                       "INSERT INTO _sqlite_migrations VALUES (1, 'kidsmed', 'm001_initial', '');"
                       "PRAGMA user_version = 1;")
    conn.close()
    path.chmod(0o600)


NOT_KIDSMED = ("Error: {backup} is not a kidsmed backup (its tables or its record of schema steps are not "
               "those of a kidsmed case book) — choose a file made by 'kidsmed backup'; nothing was changed\n")


@pytest.mark.parametrize("spoil", [_drop_an_index, _forget_a_step, _only_the_names],
                         ids=["schema", "migration-record", "names-only"])
def test_restore_refuses_a_file_that_is_not_a_whole_case_book(kidsmed, db_path, tmp_path, spoil):
    kidsmed.intake()
    backup = made_backup(kidsmed, tmp_path)
    if spoil is _only_the_names:
        backup.unlink()
    spoil(backup)
    kidsmed.intake()
    before = checksum(db_path)
    result = kidsmed("restore", str(backup))
    assert (result.exit_code, result.stderr) == (1, NOT_KIDSMED.format(backup=backup))
    assert checksum(db_path) == before and asides(db_path) == [] and leftovers(db_path) == []
    assert kidsmed("check").stdout.startswith("No problems found.\n")


def test_restore_refuses_a_backup_that_kidsmed_check_would_fault(kidsmed, db_path, tmp_path):
    ref = kidsmed.intake()["ref"]
    backup = made_backup(kidsmed, tmp_path)
    # A clock with no clock-started event: the backup's trail and its rows disagree.
    write(backup, "INSERT INTO clocks (case_id, rule, start_event, started_on, due_on, state)"
                  " VALUES (1, 'health-notice', 'family agreed', '2026-11-26', '2026-12-01', 'running')")
    before = checksum(db_path)
    result = kidsmed("restore", str(backup))
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {backup} does not pass kidsmed check (clock-start-event, {ref}: the health-notice clock "
           "from 2026-11-26 has no clock-started event in the audit trail) — choose another backup; "
           "nothing was changed\n")
    assert checksum(db_path) == before and asides(db_path) == [] and leftovers(db_path) == []


def test_a_backup_with_another_page_size_restores(kidsmed, db_path, tmp_path):
    kidsmed.intake()
    kidsmed.intake()
    backup = made_backup(kidsmed, tmp_path)
    conn = sqlite3.connect(backup, isolation_level=None)
    conn.executescript("PRAGMA page_size = 8192; VACUUM;")
    assert conn.execute("PRAGMA page_size").fetchone() == (8192,)
    conn.close()
    kidsmed.intake()
    result = kidsmed("restore", str(backup))
    assert result.exit_code == 0, result.output
    assert case_count(db_path) == 2 and leftovers(db_path) == []
    assert rows(db_path, "PRAGMA page_size") == [(4096,)]
    assert kidsmed("check").stdout.startswith("No problems found.\n")


def test_references_are_never_handed_out_again_after_an_older_backup(kidsmed, db_path, tmp_path, env_now):
    kidsmed.intake()
    older = made_backup(kidsmed, tmp_path, "older.db")
    kidsmed.intake()
    kidsmed.intake("--received", "30/12/2025 10:00", "--decision-date", "1/12/2025")  # numbered in 2025
    newer = made_backup(kidsmed, tmp_path, "newer.db")
    assert [kidsmed.intake()["ref"] for _ in range(2)] == ["KM-2026-0003", "KM-2026-0004"]
    assert kidsmed("restore", str(newer)).exit_code == 0
    assert kidsmed.intake()["ref"] == "KM-2026-0005"
    env_now("2026-11-26T10:05")
    assert kidsmed("restore", str(older)).exit_code == 0  # further back still: the numbers stay used
    assert kidsmed.intake()["ref"] == "KM-2026-0006"
    assert kidsmed.intake("--received", "31/12/2025 10:00", "--decision-date", "1/12/2025")["ref"] == "KM-2025-0002"
    assert kidsmed("demo", "--cases", "5").exit_code == 1  # a demo would number from 1 again


def test_a_restore_erases_again_what_the_replaced_book_had_erased(kidsmed, db_path, tmp_path):
    ref = a_case_full_of_details(kidsmed)
    kept = kidsmed.intake()["ref"]
    backup = made_backup(kidsmed, tmp_path)
    assert kidsmed("consent", ref, "--refused").exit_code == 0
    assert found(db_path) == []
    result = kidsmed("restore", str(backup))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2] == "Erased again the personal details of 1 case erased in the " \
                                            "database it replaced."
    assert found(db_path) == []  # neither in the file nor in its write-ahead log
    assert rows(db_path, "SELECT ref FROM cases WHERE erased_at IS NOT NULL") == [(ref,)]
    assert rows(db_path, "SELECT count(*) FROM case_personal") == [(1,)]  # the other family stays
    assert kidsmed.json("show", kept)["family"]["name"] == "Sam Example"
    [(detail,)] = rows(db_path, "SELECT detail FROM events WHERE action = 'restored'")
    assert json.loads(detail)["erasures_reapplied"] == 1
    erased = rows(db_path, "SELECT json_extract(detail, '$.reason') FROM events WHERE action = 'erased'"
                           " ORDER BY id")
    assert erased[-1] == ("restore: erased in the book the restore replaced",)
    assert kidsmed("check").stdout.startswith("No problems found.\n")


def test_a_restore_while_colleagues_work_loses_nothing_and_is_always_done(kidsmed, db_path, tmp_path,
                                                                          env_now):
    kidsmed.intake()
    backup = made_backup(kidsmed, tmp_path)
    staff = [start_staff(f"w{n}", 12) for n in range(2)]
    restores = 0
    while any(member.poll() is None for member in staff) or restores < 2:
        restores += 1
        env_now(f"2026-11-26T10:{restores:02d}")  # each restore's copy aside has its own name
        result = kidsmed("restore", str(backup))
        assert result.exit_code == 0, result.output
    # Each colleague's i-th referral was for "wN family i" (tests/staff.py).
    logged = {(call["ref"], f"w{n} family {i}"): call["codes"][0]
              for n, member in enumerate(staff)
              for i, call in enumerate(json.loads(line) for line in member.stdout.read().splitlines())}
    for member in staff:
        assert member.wait() == 0
    assert len(logged) == 24 and set(logged.values()) == {0}
    # Every referral a colleague was told was logged is in the restored book or in a copy kept
    # aside at the moment of a swap, under the reference they were given; no reference is ever
    # given to two referrals.
    books = [db_path, *asides(db_path)]
    assert len(books) == restores + 1
    holds = {}
    for book in books:
        for ref, family in rows(book, "SELECT ref, family_name FROM cases JOIN case_personal ON case_id = id"):
            assert holds.setdefault(ref, family) == family, ref
    assert set(logged) <= set(holds.items())
    # Every restore went in, and says so in the trail of the book it made.
    assert rows(db_path, "SELECT count(*) FROM events WHERE action = 'restored'") == [(1,)]
    assert all(rows(book, "SELECT count(*) FROM events WHERE action = 'restored'") == [(1,)]
               for book in asides(db_path)[1:])
    assert leftovers(db_path) == []
    assert kidsmed("check").stdout.startswith("No problems found.\n")
