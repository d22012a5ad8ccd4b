"""The case book file: schema, migrations, permissions and the append-only audit trail."""

import sqlite3
import stat

import pytest

from kidsmed.errors import KidsmedError
from kidsmed.store.db import open_db
from kidsmed.store.schema import STEPS


def _names(conn, kind):
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'",
                                       (kind,))}


def test_a_blank_file_gets_the_whole_schema(tmp_path):
    db = open_db(tmp_path / "k.db")
    assert _names(db.conn, "table") >= {
        "cases", "case_personal", "personal_history", "notes", "consents", "agreements", "clocks",
        "mediators", "venues", "sessions", "certificates", "holidays", "settings", "events",
        "_sqlite_migrations"}
    assert _names(db.conn, "index") >= {
        "cases_status_received", "cases_received", "clocks_state_due", "sessions_start",
        "sessions_mediator_start", "events_case"}
    assert _names(db.conn, "trigger") == {"events_no_update", "events_no_delete", "events_no_reuse",
                                          "sessions_numbered"}
    assert db.scalar("PRAGMA user_version") == len(STEPS)
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA foreign_keys") == 1
    assert db.scalar("PRAGMA secure_delete") == 1


def test_migrating_twice_changes_nothing(tmp_path):
    open_db(tmp_path / "k.db").close()
    before = sqlite3.connect(tmp_path / "k.db").execute("SELECT * FROM _sqlite_migrations").fetchall()
    open_db(tmp_path / "k.db").close()
    after = sqlite3.connect(tmp_path / "k.db").execute("SELECT * FROM _sqlite_migrations").fetchall()
    assert before == after and len(after) == len(STEPS)


def test_new_file_is_private(tmp_path):
    path = tmp_path / "private" / "k.db"
    open_db(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_audit_trail_refuses_update_and_delete(tmp_path):
    db = open_db(tmp_path / "k.db")
    db.execute("INSERT INTO events (at, user, action) VALUES ('2026-11-26T10:00:00+00:00', 't', 'x')")
    for sql in ("UPDATE events SET user = 'someone else'", "DELETE FROM events"):
        with pytest.raises(sqlite3.IntegrityError, match="the audit trail is append-only"):
            db.execute(sql)
    assert db.scalar("SELECT user FROM events") == "t"


def test_a_newer_schema_is_refused_not_downgraded(tmp_path):
    path = tmp_path / "k.db"
    open_db(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(STEPS) + 1}")
    conn.close()
    with pytest.raises(KidsmedError, match="written by a newer kidsmed"):
        open_db(path)


def test_a_transaction_is_all_or_nothing(tmp_path):
    db = open_db(tmp_path / "k.db")
    with pytest.raises(RuntimeError), db.transaction():
        db.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        raise RuntimeError("crash half way")
    assert db.scalar("SELECT count(*) FROM settings") == 0


def test_not_a_database_is_a_one_line_error(kidsmed, db_path):
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.write_bytes(b"this is not a database" * 100)
    result = kidsmed("cases")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {db_path} is not a usable kidsmed database")
    assert len(result.stderr.splitlines()) == 1


def test_every_folder_kidsmed_creates_is_private_whatever_the_umask(kidsmed, tmp_path):
    import os

    old = os.umask(0)
    try:
        result = kidsmed("--db", str(tmp_path / "new" / "a" / "b" / "k.db"), "cases")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    modes = {str(folder.relative_to(tmp_path)): stat.S_IMODE(folder.stat().st_mode)
             for folder in (tmp_path / "new", tmp_path / "new" / "a", tmp_path / "new" / "a" / "b")}
    assert modes == {"new": 0o700, "new/a": 0o700, "new/a/b": 0o700}
    assert stat.S_IMODE((tmp_path / "new" / "a" / "b" / "k.db").stat().st_mode) == 0o600
