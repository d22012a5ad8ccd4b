"""Copies of the case book: made with SQLite's online backup API, read back before they count.

A copy is written to a hidden partial file created mode 0600, checked, and only then renamed to
its name: a backup that exists is whole, private and verified. Restoring goes the other way
through the same API, so colleagues with the file open see either the old book or the new one.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from kidsmed.errors import NotFound, Refused
from kidsmed.store.db import Database, DatabaseProblem, explain, upgrade
from kidsmed.store.schema import STEPS

SQLITE_HEADER = b"SQLite format 3\x00"
KIDSMED_TABLES = {"cases", "events", "_sqlite_migrations"}


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in every table, by table name."""
    tables = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def backup(db: Database, target: Path, force: bool) -> dict[str, int]:
    """Copy the live database to `target`; returns the rows copied per table."""
    if _same_file(target, Path(db.path)):
        raise Refused(f"{target} is the database itself", "give a new file name for the backup")
    if target.exists() and not force:
        raise Refused(f"{target} already exists", "give a new file name, or --force to replace it")
    return _copy(db, target)


def keep_aside(db: Database, target: Path) -> None:
    """Keep a copy of the database as it is now, before a restore replaces it."""
    if target.exists():
        raise Refused(f"{target} already exists", "wait a second and restore again")
    _copy(db, target)


def _copy(db: Database, target: Path) -> dict[str, int]:
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        counts = _snapshot(db, partial)
        _verify(partial, counts, target)
        os.replace(partial, target)
        _sync_folder(target.parent)
    except OSError as exc:
        raise Refused(f"cannot write {target} ({exc.strerror})",
                      "choose a folder you can write to; nothing was kept") from None
    except sqlite3.DatabaseError as exc:
        raise explain(exc, db.path) from None
    finally:
        partial.unlink(missing_ok=True)
    return counts


def _snapshot(db: Database, partial: Path) -> dict[str, int]:
    """Copy one consistent snapshot: others keep writing, the copy and its counts do not move."""
    dest = sqlite3.connect(partial, isolation_level=None)
    try:
        with db.transaction(write=False):
            counts = row_counts(db.conn)
            db.conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
    finally:
        dest.close()
    return counts


def _verify(path: Path, counts: dict[str, int], name: Path) -> None:
    conn = _read_only(path)
    try:
        intact = not _damage(conn)
        same = row_counts(conn) == counts
    finally:
        conn.close()
    if not (intact and same):
        raise DatabaseProblem(f"the copy for {name} did not read back as written",
                              "check the disk and try again; nothing was kept")


def _damage(conn: sqlite3.Connection) -> list[str]:
    messages = [row[0] for row in conn.execute("PRAGMA integrity_check(10)")]
    return [] if messages == ["ok"] else messages


def inspect(db: Database, source: Path) -> dict[str, int]:
    """Check that `source` is a whole kidsmed database, other than `db`, that this kidsmed can use;
    its rows per table."""
    if _same_file(source, Path(db.path)):
        raise Refused(f"{source} is the database itself", "give the backup file to restore from")
    if not source.is_file():
        raise NotFound(f"there is no file {source}", "check the name of the backup")
    if not os.access(source, os.R_OK):
        raise DatabaseProblem(f"cannot read {source}", "check its owner and permissions")
    with open(source, "rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise DatabaseProblem(f"{source} is not a kidsmed backup (not an SQLite database)",
                                  "choose a file made by 'kidsmed backup'; nothing was changed")
    conn = _read_only(source)
    try:
        return _inspect(conn, source)
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(f"{source} is damaged ({exc})",
                              "choose another backup; nothing was changed") from None
    finally:
        conn.close()


def _inspect(conn: sqlite3.Connection, source: Path) -> dict[str, int]:
    counts = row_counts(conn)
    if not set(counts) >= KIDSMED_TABLES:
        raise DatabaseProblem(f"{source} is not a kidsmed backup (it has no case book in it)",
                              "choose a file made by 'kidsmed backup'; nothing was changed")
    if conn.execute("PRAGMA user_version").fetchone()[0] > len(STEPS):
        raise DatabaseProblem(f"{source} was written by a newer kidsmed",
                              "upgrade kidsmed before restoring it; nothing was changed")
    if damage := _damage(conn):
        raise DatabaseProblem(f"{source} is damaged ({damage[0]})",
                              "choose another backup; nothing was changed")
    return counts


def restore(db: Database, source: Path, counts: dict[str, int]) -> None:
    """Replace the live database's contents with `source` (already inspected), then upgrade it."""
    conn = _read_only(source)
    try:
        conn.backup(db.conn)
        restored = row_counts(db.conn)
    except sqlite3.DatabaseError as exc:
        raise explain(exc, db.path) from None
    finally:
        conn.close()
    if restored != counts:
        raise DatabaseProblem(f"the restored database {db.path} does not match {source}",
                              "restore the copy kept aside, then try again")
    upgrade(db)


def has_history(db: Database) -> bool:
    """Has anything ever been recorded in this database?"""
    return db.scalar("SELECT 1 FROM events LIMIT 1") is not None


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True, isolation_level=None)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _sync_folder(folder: Path) -> None:
    """Make the rename itself survive a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
