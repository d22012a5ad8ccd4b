"""kidsmed check: the file's own integrity, the rules every case keeps, and who can open the files."""

import json
import os
import sqlite3

import pytest
from conftest import rows, start_clock, write

from kidsmed.domain.checks import file_problem


def found(kidsmed) -> list[tuple[str, str | None, str]]:
    result = kidsmed("check", "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == (1 if report["problems"] else 0), result.output
    assert report["ok"] is not report["problems"]
    return [(p["check"], p["ref"], p["problem"]) for p in report["problems"]]


def close(db_path, reason: str, on: str = "2026-11-20") -> None:
    write(db_path, "UPDATE cases SET status = 'closed', closed_reason = ?, closed_on = ?", (reason, on))


def test_a_sound_case_book_has_no_problems(kidsmed, db_path):
    kidsmed.intake()
    kidsmed.intake("--referrer-role", "school")
    start_clock(db_path, "KM-2026-0001", "mediation-within-30-days", "2026-11-26")
    result = kidsmed("check")
    [(book,)] = rows(db_path, "SELECT identity FROM book")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, f"No problems found.\nBook identity: {book} (in the id of every calendar event).\n", "")
    report = kidsmed.json("check")
    assert report == {"ok": True, "book": book, "problems": [], "checks": [
        "integrity", "references", "booked-without-agreement", "certificate-clock", "clock-start-event",
        "closed-running-clocks", "audit-chain", "audit-guards", "erased-values", "event-order", "consent",
        "file-permissions", "partial-copies", "companion-files"]}


def test_a_session_booked_without_every_agreement(kidsmed, db_path):
    kidsmed.intake("--issue", "health")
    write(db_path, "INSERT INTO mediators (name) VALUES ('Pat Mediator')")
    write(db_path, "INSERT INTO agreements (case_id, party, answer, on_date, recorded_by, recorded_at)"
                   " VALUES (1, 'family', 'yes', '2026-11-20', 't', '2026-11-20T10:00:00+00:00'),"
                   "        (1, 'la', 'yes', '2026-11-20', 't', '2026-11-20T10:00:00+00:00'),"
                   "        (1, 'la', 'no', '2026-11-21', 't', '2026-11-21T10:00:00+00:00')")
    write(db_path, "INSERT INTO sessions (case_id, start, end, start_utc, end_utc, mediator_id, status,"
                   " booked_at, booked_by) VALUES (1, '2026-12-03T10:00:00+00:00', '2026-12-03T13:00:00+00:00',"
                   " '2026-12-03T10:00:00+00:00', '2026-12-03T13:00:00+00:00', 1, 'booked',"
                   " '2026-11-26T10:00:00+00:00', 't')")
    assert found(kidsmed) == [("booked-without-agreement", "KM-2026-0001", "a session is booked but the local "
                               "authority, the integrated care board (health) has not agreed")]
    write(db_path, "UPDATE sessions SET status = 'cancelled'")
    assert found(kidsmed) == []


def test_a_concluded_mediation_without_its_certificate_clock(kidsmed, db_path):
    kidsmed.intake()
    close(db_path, "mediation-concluded")
    assert found(kidsmed) == [("certificate-clock", "KM-2026-0001", "the mediation concluded but no "
                               "certificate-after-mediation clock was started")]
    start_clock(db_path, "KM-2026-0001", "certificate-after-mediation", "2026-11-26")
    assert found(kidsmed) == []  # and that clock may run on after the case closed


def test_a_clock_without_its_start_event(kidsmed, db_path):
    kidsmed.intake()
    write(db_path, "INSERT INTO clocks (case_id, rule, start_event, started_on, due_on, state)"
                   " VALUES (1, 'health-notice', 'typed in by hand', '2026-11-20', '2026-11-25', 'running')")
    assert found(kidsmed) == [("clock-start-event", "KM-2026-0001", "the health-notice clock from 2026-11-20 "
                               "has no clock-started event in the audit trail")]


def test_a_closed_case_with_a_running_clock(kidsmed, db_path):
    kidsmed.intake()
    start_clock(db_path, "KM-2026-0001", "mediation-within-30-days", "2026-11-26")
    close(db_path, "withdrawn")
    assert found(kidsmed) == [("closed-running-clocks", "KM-2026-0001", "closed on 2026-11-20 but its "
                               "mediation-within-30-days clock is still running")]


def test_events_that_go_back_in_time(kidsmed, db_path, env_now):
    kidsmed.intake()
    env_now("2026-11-26T09:56")  # four minutes back: clocks drift, that is not a problem
    kidsmed("note", "KM-2026-0001", "called back")
    assert found(kidsmed) == []
    env_now("2026-11-26T09:30")
    kidsmed("note", "KM-2026-0001", "called back again")
    assert found(kidsmed) == [("event-order", "KM-2026-0001", "event 3 at 2026-11-26T09:30:00+00:00 is earlier "
                               "than the event before it (2026-11-26T09:56:00+00:00): a computer's clock was "
                               "wrong, or KIDSMED_NOW was set back")]


def test_a_third_party_referral_past_consent_without_it(kidsmed, db_path):
    kidsmed.intake("--referrer-role", "school")
    kidsmed.intake("--referrer-role", "sendiass")
    kidsmed.intake("--referrer-role", "parent")
    write(db_path, "UPDATE cases SET status = 'awaiting-agreement'")
    write(db_path, "INSERT INTO consents (case_id, answer, on_date, recorded_by, recorded_at)"
                   " VALUES (2, 'given', '2026-11-25', 't', '2026-11-25T10:00:00+00:00')")
    assert found(kidsmed) == [("consent", "KM-2026-0001", "awaiting-agreement but the family's consent is "
                               "not recorded")]


def test_files_other_users_can_open(kidsmed, db_path, tmp_path):
    kidsmed.intake()
    backup = tmp_path / "nightly.db"
    assert kidsmed("backup", str(backup)).exit_code == 0
    os.chmod(db_path, 0o644)
    os.chmod(backup, 0o640)
    os.chmod(db_path.parent, 0o755)
    problems = found(kidsmed)
    assert ("file-permissions", None, f"{db_path} is mode rw-r--r-- (0644): other users can open it — "
            f"chmod 600 {db_path}") in problems
    assert ("file-permissions", None, f"{db_path.parent} is mode rwxr-xr-x (0755): other users can open it — "
            f"chmod 700 {db_path.parent}") in problems
    assert ("file-permissions", None, f"{backup} is mode rw-r----- (0640): its group can open it — "
            f"chmod 600 {backup}") in problems


def a_finished_process_id() -> int:
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_partial_copies_left_by_a_stopped_backup_are_named_then_removed_by_the_next(kidsmed, db_path, tmp_path):
    kidsmed.intake()
    backups = tmp_path / "backups"
    backups.mkdir(mode=0o700)
    assert kidsmed("backup", str(backups / "kidsmed-2026-11-25.db")).exit_code == 0
    dead = a_finished_process_id()
    # What `kill -9` of a backup and of a restore leaves: a whole copy and SQLite's journal beside it.
    left = [backups / f".kidsmed-2026-11-26.db.{dead}.partial",
            backups / f".kidsmed-2026-11-26.db.{dead}.partial-journal",
            db_path.parent / f".{db_path.name}.restoring.{dead}.partial"]
    running = backups / f".kidsmed-2026-11-26.db.{os.getppid()}.partial"  # a backup still at work
    for path in (*left, running):
        path.write_bytes(b"SQLite format 3\x00 every child's data")
        path.chmod(0o600)
    assert found(kidsmed) == [
        ("partial-copies", None, f"{path} was left by a backup or restore that was stopped and may hold every "
                                 "child's data — delete it (the next kidsmed backup does)")
        for path in sorted(left, key=lambda p: (str(p.parent), p.name))]
    assert kidsmed("backup", str(backups / "kidsmed-2026-11-26.db")).exit_code == 0
    assert [path for path in left if path.exists()] == [] and running.exists()
    assert found(kidsmed) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_case_book_someone_else_owns_or_reached_through_a_link(kidsmed, db_path, tmp_path, monkeypatch):
    kidsmed.intake()
    # While check has the book open, SQLite (run by root) gives the -wal and -shm it makes the book's owner.
    companions = [f"{db_path}-wal", f"{db_path}-shm"]
    for path in (db_path, *companions):
        if os.path.exists(path):
            os.chown(path, 65534, 65534)
    theirs = "belongs to user nobody, not to you: they can read and change every case — keep the case book " \
             "in a folder of your own, or in a staff group's folder (docs/admin.md)"
    assert found(kidsmed) == [("file-permissions", None, f"{path} {theirs}") for path in (db_path, *companions)]
    link = tmp_path / "mine" / "kidsmed.db"
    link.parent.mkdir(mode=0o700)
    link.symlink_to(db_path)
    monkeypatch.setenv("KIDSMED_DB", str(link))
    assert found(kidsmed)[0] == ("file-permissions", None, f"{link} is a link to {db_path}, which {theirs}")
    for path in (db_path, *companions):
        if os.path.exists(path):
            os.chown(path, 0, 0)
    assert found(kidsmed) == []


def test_a_folder_shared_by_a_group_of_staff_may_give_the_group_access(kidsmed, db_path):
    kidsmed.intake()
    os.chmod(db_path.parent, 0o2770)
    os.chmod(db_path, 0o660)
    assert found(kidsmed) == []
    os.chmod(db_path, 0o664)
    assert ("file-permissions", None, f"{db_path} is mode rw-rw-r-- (0664): other users can open it — "
            f"chmod 660 {db_path}") in found(kidsmed)


@pytest.mark.parametrize(("mode", "folder", "shared", "wrong"), [
    (0o600, False, False, False), (0o700, True, False, False), (0o640, False, False, True),
    (0o604, False, False, True), (0o660, False, True, False), (0o2770, True, True, False),
    (0o2775, True, True, True), (0o400, False, False, False),
])
def test_which_modes_are_private(mode, folder, shared, wrong):
    assert (file_problem("f", mode, folder, shared) is not None) is wrong


def test_a_damaged_file_is_reported_not_a_traceback(kidsmed, db_path):
    kidsmed("demo", "--cases", "400")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size, pages = conn.execute("PRAGMA page_size").fetchone()[0], conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    with open(db_path, "r+b") as file:
        file.seek(page_size * (pages // 2))
        file.write(b"\xde\xad" * (page_size // 2))
    result = kidsmed("check", "--json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    problems = json.loads(result.stdout)["problems"]
    assert problems[0]["check"] == "integrity"
    table = kidsmed("check")
    assert table.exit_code == 1 and "integrity" in table.stdout and table.stderr == ""


def test_check_never_creates_a_database(kidsmed, db_path):
    result = kidsmed("check")
    assert result.exit_code == 1
    assert result.stderr == f"Error: there is no database at {db_path} — check --db or KIDSMED_DB\n"
    assert not db_path.exists()


def test_problems_beyond_a_hundred_are_summed_up(kidsmed, db_path):
    kidsmed("demo", "--cases", "400")
    write(db_path, "UPDATE cases SET status = 'closed', closed_reason = 'mediation-concluded', closed_on = "
                   "received_on, kind = 'mediation'")
    problems = [p for p in found(kidsmed) if p[0] == "certificate-clock"]
    assert len(problems) == 101
    assert problems[-1] == ("certificate-clock", None, "more than 100 problems of this kind: put these right "
                            "and run kidsmed check again")
