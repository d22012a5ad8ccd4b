"""Copies of the case book: made with SQLite's online backup API, read back before they count.

A copy is written to a hidden partial file created mode 0600, checked, and only then renamed to
its name: a backup that exists is whole, private and verified. Restoring goes the other way
through the same API, so colleagues with the file open see either the old book or the new one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from kidsmed.errors import NotFound, Refused
from kidsmed.files import partial_name, remove_partial, remove_stale_partials
from kidsmed.store.db import Database, DatabaseProblem, explain, open_db
from kidsmed.store.schema import STEPS

SQLITE_HEADER = b"SQLite format 3\x00"
KIDSMED_TABLES = {"cases", "events", "_sqlite_migrations"}



def row_counts(conn: sqlite3.Connection, schema: str = "main") -> dict[str, int]:
    """Rows in every table, by table name."""
    tables = [row[0] for row in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {table: conn.execute(f'SELECT count(*) FROM {schema}."{table}"').fetchone()[0] for table in tables}


def backup(db: Database, target: Path, force: bool) -> dict[str, int]:
    """Copy the live database to `target`; returns the rows copied per table."""
    if _same_file(target, Path(db.path)):
        raise Refused(f"{target} is the database itself", "give a new file name for the backup")
    if target.exists() and not force:
        raise Refused(f"{target} already exists", "give a new file name, or --force to replace it")
    for folder in {target.parent, Path(db.path).absolute().parent}:  # what killed copies left
        remove_stale_partials(folder)
    with db.transaction(write=False):  # one snapshot: others keep writing, the copy does not move
        return _copy(db.conn, target, db.path)


def keep_aside(db: Database, target: Path) -> None:
    """Keep a copy of the database as it is now, before a restore replaces it.

    Called while `db` holds the write lock, so the copy is the book at the moment of the swap.
    It is read through a second connection: SQLite cannot copy from one that is writing."""
    if target.exists():
        raise Refused(f"{target} already exists", "wait a second and restore again")
    conn = _read_only(Path(db.path))
    try:
        conn.execute("BEGIN")
        _copy(conn, target, db.path)
    finally:
        conn.close()


def _copy(conn: sqlite3.Connection, target: Path, db_path: str) -> dict[str, int]:
    """Copy what `conn` sees (inside its read transaction) to `target`, via a private partial file."""
    partial = partial_name(target)
    try:
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        counts = _snapshot(conn, partial)
        _verify(partial, counts, target)
        os.replace(partial, target)
        _sync_folder(target.parent)
    except OSError as exc:
        raise Refused(f"cannot write {target} ({exc.strerror})",
                      "choose a folder you can write to; nothing was kept") from None
    except sqlite3.DatabaseError as exc:
        raise explain(exc, db_path) from None
    finally:
        remove_partial(partial)
    return counts


def _snapshot(conn: sqlite3.Connection, partial: Path) -> dict[str, int]:
    """Copy what `conn` sees to `partial` as one self-contained file; the rows copied per table."""
    dest = sqlite3.connect(partial, isolation_level=None)
    try:
        counts = row_counts(conn)
        conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")  # no -wal beside it
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


def inspect(db: Database, source: Path) -> None:
    """Check that `source` is a whole kidsmed database, other than `db`, that this kidsmed can use."""
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
        _inspect(conn, source)
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(f"{source} is damaged ({exc})",
                              "choose another backup; nothing was changed") from None
    finally:
        conn.close()


def _inspect(conn: sqlite3.Connection, source: Path) -> None:
    if damage := _damage(conn):
        raise DatabaseProblem(f"{source} is damaged ({damage[0]})",
                              "choose another backup; nothing was changed")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(STEPS):
        raise DatabaseProblem(f"{source} was written by a newer kidsmed",
                              "upgrade kidsmed before restoring it; nothing was changed")
    if version < 1 or not set(row_counts(conn)) >= KIDSMED_TABLES:
        raise DatabaseProblem(f"{source} is not a kidsmed backup (it has no case book in it)",
                              "choose a file made by 'kidsmed backup'; nothing was changed")
    recorded = [name for (name,) in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'kidsmed' ORDER BY id")]
    if recorded != [name for name, _ in STEPS[:version]] or _shape(conn) != _released_shape(version):
        raise DatabaseProblem(f"{source} is not a kidsmed backup (its tables or its record of schema "
                              "steps are not those of a kidsmed case book)",
                              "choose a file made by 'kidsmed backup'; nothing was changed")


def _shape(conn: sqlite3.Connection, schema: str = "main") -> set[tuple]:
    """Every table, index and trigger kidsmed made, by its SQL (sqlite-utils' own table aside)."""
    return {(kind, name, " ".join(sql.split())) for kind, name, sql in conn.execute(
        f"SELECT type, name, sql FROM {schema}.sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        " AND tbl_name != '_sqlite_migrations'")}


def _released_shape(version: int) -> set[tuple]:
    """The schema a book has after the first `version` steps."""
    conn = sqlite3.connect(":memory:")
    try:
        for _, sql in STEPS[:version]:
            conn.executescript(sql)
        return _shape(conn)
    finally:
        conn.close()


@contextlib.contextmanager
def staged(db: Database, source: Path) -> Iterator[Database]:
    """A private copy of the (inspected) backup beside the database, upgraded to this schema.

    Everything a restore checks is checked on it before the live book is touched."""
    path = partial_name(Path(f"{Path(db.path).absolute()}.restoring"))
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        conn = _read_only(source)
        try:
            conn.execute("BEGIN")
            _snapshot(conn, path)
        finally:
            conn.close()
    except OSError as exc:
        remove_partial(path)
        raise Refused(f"cannot write beside the database {db.path} ({exc.strerror})",
                      "free some space or check the folder's permissions; nothing was changed") from None
    except sqlite3.DatabaseError as exc:
        remove_partial(path)
        raise DatabaseProblem(f"{source} is damaged ({exc})", "choose another backup; nothing was changed") from None
    try:
        copy = open_db(path)
        try:
            yield copy
        finally:
            copy.close()
    finally:
        remove_partial(path)


@contextlib.contextmanager
def attached(db: Database, staged_copy: Database) -> Iterator[None]:
    """Make the staged copy readable from `db` as the schema `incoming` (outside any transaction).

    Foreign keys are not enforced meanwhile: the staged rows already passed kidsmed check's
    `references` check, and checking every moved row again costs minutes on a large book, with
    colleagues waiting for the write lock."""
    db.execute("ATTACH DATABASE ? AS incoming", (staged_copy.path,))
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("DETACH DATABASE incoming")


def take_incoming(db: Database) -> dict[str, int]:
    """Replace every row of the book with the attached copy's, inside the caller's write
    transaction (so others wait, and see the old book or the new one, never a mixture).

    The audit triggers are lifted for the swap and put back before it commits."""
    if _shape(db.conn) != _shape(db.conn, "incoming"):
        raise DatabaseProblem(f"the backup and the database {db.path} are not the same kidsmed schema",
                              "run 'kidsmed check' on both; nothing was changed")
    triggers = db.query("SELECT name, sql FROM main.sqlite_master WHERE type = 'trigger'")
    for trigger in triggers:
        db.execute(f'DROP TRIGGER main."{trigger["name"]}"')
    for table in db.query("SELECT name FROM main.sqlite_master WHERE type = 'table'"
                          " AND (name NOT LIKE 'sqlite_%' OR name = 'sqlite_sequence')"):
        name = table["name"]
        columns = ", ".join(f'"{row["name"]}"' for row in db.query(f'PRAGMA main.table_info("{name}")'))
        db.execute(f'DELETE FROM main."{name}"')
        db.execute(f'INSERT INTO main."{name}" ({columns}) SELECT {columns} FROM incoming."{name}"')
    for trigger in triggers:
        db.execute(trigger["sql"])
    counts = row_counts(db.conn)
    if counts != row_counts(db.conn, "incoming"):
        raise DatabaseProblem(f"the backup did not copy whole into {db.path}",
                              "check the disk and try again; nothing was changed")
    return counts


def erased_refs(db: Database) -> set[str]:
    """References of the cases whose personal details were erased."""
    return {row["ref"] for row in db.query("SELECT ref FROM cases WHERE erased_at IS NOT NULL")}


def not_erased(db: Database, refs: set[str]) -> list[dict]:
    """Those of `refs` whose cases still hold personal details."""
    return [dict(row) for row in db.query("SELECT id, ref, erased_at FROM cases WHERE erased_at IS NULL")
            if row["ref"] in refs]


def issued(db: Database) -> list[tuple[int, int]]:
    """(year, highest reference number) this book, or any book it replaced, has issued."""
    return [tuple(row) for row in db.query(
        "SELECT year, max(seq) FROM (SELECT year, seq FROM cases"
        " UNION ALL SELECT year, last_seq FROM issued_references) GROUP BY year")]


def keep_issued(db: Database, numbers: list[tuple[int, int]]) -> None:
    """Remember references issued by a replaced book, so that numbering carries on after them."""
    db.executemany("INSERT INTO issued_references (year, last_seq) VALUES (?, ?)"
                   " ON CONFLICT (year) DO UPDATE SET last_seq = max(last_seq, excluded.last_seq)", numbers)


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
