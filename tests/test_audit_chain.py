"""The audit trail is append-only and tamper-evident (issue 12, items 11 and 12).

The database refuses any insert that reuses an event id (REPLACE included). Each event carries a
hash over its content and the previous event's hash; `kidsmed check` verifies the chain and names
the first broken link, a removed guard, and an anonymised case whose personal values came back.
"""

import json
import sqlite3

import pytest
from conftest import checksum, rows, write

from kidsmed.store.events import GENESIS, event_hash

FIX = "the file was changed outside kidsmed — see 'Keeping the data safe' in docs/admin.md"
AT = "2026-11-26T10:00:00+00:00"


def problems(kidsmed, *checks: str) -> list[tuple]:
    result = kidsmed("check", "--json")
    report = json.loads(result.stdout)
    assert result.exit_code == (1 if report["problems"] else 0)
    return [(p["check"], p["ref"], p["problem"]) for p in report["problems"] if p["check"] in checks]


@pytest.fixture
def book(kidsmed, db_path):
    """Two cases and a few events: intake, notes, an edit."""
    kidsmed.intake()
    kidsmed.intake()
    kidsmed("note", "KM-2026-0001", "rang the family")
    kidsmed("edit", "KM-2026-0002", "--decision-date", "2026-11-03")
    assert rows(db_path, "SELECT count(*) FROM events") == [(4,)]
    return db_path


def unguard(db_path) -> None:
    """What someone must do before they can change the trail by hand."""
    write(db_path, "DROP TRIGGER events_no_update")
    write(db_path, "DROP TRIGGER events_no_delete")


@pytest.mark.parametrize("sql", [
    "REPLACE INTO events (id, at, user, case_id, action, detail) VALUES (2, ?, 'mallory', 1, 'note', '{}')",
    "INSERT OR REPLACE INTO events (id, at, user, case_id, action, detail) VALUES (2, ?, 'mallory', 1, 'note', '{}')",
    "INSERT INTO events (id, at, user, case_id, action, detail) VALUES (2, ?, 'mallory', 1, 'note', '{}')"
    " ON CONFLICT (id) DO UPDATE SET action = 'note'",
])
def test_the_database_refuses_to_reuse_an_event_id(book, sql):
    before = checksum(book)
    with pytest.raises(sqlite3.IntegrityError, match="an audit event id is never reused"):
        write(book, sql, (AT,))
    assert checksum(book) == before


def test_an_id_below_the_last_is_never_used_again_even_after_a_delete(book):
    unguard(book)
    write(book, "DELETE FROM events WHERE id = 2")
    with pytest.raises(sqlite3.IntegrityError, match="an audit event id is never reused"):
        write(book, "INSERT INTO events (id, at, user, action, detail) VALUES (2, ?, 'mallory', 'note', '{}')", (AT,))


def test_every_event_carries_its_link_in_the_chain(book):
    previous = GENESIS
    for event_id, stored, *event in rows(book, "SELECT id, hash, at, user, case_id, action, detail FROM events"
                                               " ORDER BY id"):
        assert stored == event_hash(previous, event_id, tuple(event))
        previous = stored


def test_the_chain_is_defined_once_and_the_same_on_every_engine():
    """The link is SHA-256 of previous hash, id, at, user, case id, action and detail joined by NUL: pinned
    here, so that another store (PostgreSQL) keeps the very same chain."""
    import hashlib

    first = event_hash(GENESIS, 1, (AT, "tester", None, "backup", "{}"))
    assert first == hashlib.sha256("\0".join(["", "1", AT, "tester", "", "backup", "{}"]).encode()).hexdigest()
    second = event_hash(first, 2, (AT, "tester", 7, "note", "{}"))
    assert second == hashlib.sha256("\0".join([first, "2", AT, "tester", "7", "note", "{}"]).encode()).hexdigest()


def test_a_sound_book_passes(kidsmed, book):
    assert problems(kidsmed, "audit-chain", "audit-guards", "erased-values") == []


def test_an_edited_event_is_named(kidsmed, book):
    unguard(book)
    write(book, "UPDATE events SET user = 'someone else' WHERE id = 3")
    assert problems(kidsmed, "audit-chain") == [
        ("audit-chain", "KM-2026-0001", f"event 3 (note, {AT}) does not match its hash: it was changed, or put "
                                        f"in, after it was recorded: {FIX}")]


def test_a_deleted_event_is_named(kidsmed, book):
    unguard(book)
    write(book, "DELETE FROM events WHERE id = 2")
    assert problems(kidsmed, "audit-chain") == [
        ("audit-chain", "KM-2026-0001", f"event 2 before event 3 (note, {AT}) is missing: {FIX}")]


def test_an_event_put_in_by_hand_is_named(kidsmed, book):
    write(book, "INSERT INTO events (at, user, case_id, action, detail) VALUES (?, 'mallory', 2, 'note', '{}')",
          (AT,))
    assert problems(kidsmed, "audit-chain") == [
        ("audit-chain", "KM-2026-0002", f"event 5 (note, {AT}) has no hash: it was put in the audit trail by "
                                        f"hand, not by kidsmed: {FIX}")]
    write(book, "INSERT INTO events (at, user, case_id, action, detail, hash) VALUES (?, 'mallory', 2, 'note',"
                " '{}', 'made-up')", (AT,))
    assert [p[2][:8] for p in problems(kidsmed, "audit-chain")] == ["event 5 ", "event 6 "]


def test_the_first_broken_link_comes_first_and_one_change_is_one_break(kidsmed, book):
    kidsmed("note", "KM-2026-0002", "a later note")
    unguard(book)
    write(book, "UPDATE events SET detail = '{\"x\": 1}' WHERE id = 4")
    write(book, "UPDATE events SET at = '2026-11-26T10:00:01+00:00' WHERE id = 2")
    assert [p[2].split(" (")[0] for p in problems(kidsmed, "audit-chain")] == ["event 2", "event 4"]


def test_dropped_guards_are_named(kidsmed, book):
    unguard(book)
    write(book, "DROP TRIGGER events_no_reuse")
    assert problems(kidsmed, "audit-guards") == [
        ("audit-guards", None, f"the trigger events_no_{name}, which makes the database refuse to {verb} an audit "
                               f"event, is missing: {FIX}")
        for name, verb in (("update", "change"), ("delete", "delete"), ("reuse", "reuse the id of"))]


def test_an_anonymised_case_whose_values_were_put_back_is_named(kidsmed, db_path):
    kidsmed.intake("--referrer-role", "school", "--phone", "07700 900123")
    assert kidsmed("consent", "KM-2026-0001", "--refused").exit_code == 0
    assert problems(kidsmed, "erased-values") == []
    write(db_path, "INSERT INTO case_personal (case_id, family_name) VALUES (1, 'Sam Example')")
    assert problems(kidsmed, "erased-values") == [
        ("erased-values", "KM-2026-0001", f"anonymised on 2026-11-26 but personal values are back in "
                                          f"case_personal: {FIX}")]


def test_a_demo_book_is_chained_too(kidsmed, db_path):
    assert kidsmed("demo", "--cases", "30").exit_code == 0
    assert problems(kidsmed, "audit-chain") == []
    assert rows(db_path, "SELECT count(*) FROM events WHERE hash IS NULL") == [(0,)]


def test_an_older_book_gets_the_chain_when_it_is_opened(kidsmed, tmp_path, monkeypatch):
    from pathlib import Path

    from kidsmed.store.db import open_db

    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    conn.executescript((Path(__file__).with_name("fixtures") / "schema-001.sql").read_text())
    conn.close()
    old.chmod(0o600)
    events = rows(old, "SELECT id, at, user, case_id, action, detail FROM events ORDER BY id")
    assert len(events) > 3

    open_db(old).close()

    assert rows(old, "SELECT id, at, user, case_id, action, detail FROM events ORDER BY id") == events
    assert rows(old, "SELECT count(*) FROM events WHERE hash IS NULL") == [(0,)]
    monkeypatch.setenv("KIDSMED_DB", str(old))
    assert problems(kidsmed, "audit-chain", "audit-guards") == []
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        write(old, "UPDATE events SET hash = NULL")
