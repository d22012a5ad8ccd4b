"""The one way to open the case book.

A `Database` wraps a connection in autocommit mode and the `Engine` it speaks to (the storage
seam, kidsmed.store.engine); every command runs inside one `transaction()` (on SQLite BEGIN
IMMEDIATE for writes) holding its changes and its audit events together. --db or KIDSMED_DB
naming a PostgreSQL database opens it through kidsmed.store.postgres instead of a file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from kidsmed.errors import KidsmedError, Refused
from kidsmed.files import make_private_folders
from kidsmed.store.engine import SQLITE, Engine, is_postgres
from kidsmed.store.schema import STEPS

BUSY_TIMEOUT_MS = 10_000


class DatabaseProblem(KidsmedError):
    """The database file itself cannot be used (unreadable, corrupt, too new)."""

    exit_code = 1


class Database:
    def __init__(self, conn: sqlite3.Connection, path: str, read_only: bool = False, engine: Engine = SQLITE):
        self.conn = conn
        self.path = path  # where the book is, as it may be shown: never a password
        self.read_only = read_only
        self.engine = engine

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: tuple | dict = ()):
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows) -> sqlite3.Cursor:
        return self.conn.executemany(sql, rows)

    @contextlib.contextmanager
    def transaction(self, write: bool = True) -> Iterator[Database]:
        """One command's work: all of it is recorded, or none of it."""
        if self.conn.in_transaction:  # nested: the outer transaction decides
            yield self
            return
        if write and self.read_only:
            raise DatabaseProblem(f"the database {self.path} is read-only",
                                  "check its owner and permissions; nothing was changed")
        try:
            self.conn.execute(self.engine.begin_write if write else self.engine.begin_read)
        except sqlite3.OperationalError as exc:  # busy past the timeout, or a read-only file
            raise explain(exc, self.path) from None
        try:
            yield self
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.commit()

    def checkpoint(self) -> bool:
        """Copy the write-ahead log into the file and empty it, so that erased values leave no
        older copy behind in the -wal file. While someone else is reading, it waits up to the
        busy timeout and then leaves the rest to the next checkpoint: False when it had to.
        Inside a transaction it does nothing (the log is still needed): call it after commit."""
        if self.conn.in_transaction or self.path == ":memory:":
            return True
        busy, _, _ = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy

    def close(self) -> None:
        self.conn.close()


def open_db(path: str | Path, *, create: bool = True) -> Database:
    """Open (and if need be create and migrate) the case book at `path`.

    `path` may instead be a PostgreSQL URL or service (kidsmed.store.postgres).
    ":memory:" gives a private in-memory case book, for tests of the domain. A file this
    user may read but not write is opened read-only: reading works, a change is refused.
    """
    path = str(path)
    if is_postgres(path):
        from kidsmed.store import postgres

        return postgres.open_book(path)
    read_only = path != ":memory:" and _prepare_file(Path(path), create)
    try:
        conn = _connect(path, read_only)
        conn.row_factory = sqlite3.Row
        _configure(conn, read_only)
        _migrate(conn, path, read_only)
    except sqlite3.DatabaseError as exc:
        raise explain(exc, path) from None
    return Database(conn, path, read_only)


def _prepare_file(path: Path, create: bool) -> bool:
    """Make sure `path` can be opened; True when it exists but may only be read."""
    try:
        exists = path.exists()
    except PermissionError:  # a folder on the way that this user may not enter
        folder = _closed_folder(path)
        raise DatabaseProblem(f"you may not enter the folder {folder}, which holds the database",
                              f"ask whoever looks after the server to let you in (chmod u+x or g+x {folder}), "
                              "or point --db or KIDSMED_DB elsewhere") from None
    if exists:
        if not os.access(path, os.R_OK):
            raise DatabaseProblem(
                f"cannot read the database {path}", "check its owner and permissions"
            )
        return not os.access(path, os.W_OK)
    if not create:
        raise DatabaseProblem(f"there is no database at {path}", "check --db or KIDSMED_DB")
    # The case book holds children's data: nobody but its owner may read it.
    try:
        make_private_folders(path.parent)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise DatabaseProblem(
            f"cannot create the database {path} ({exc.strerror})",
            "choose a folder you can write to with --db or KIDSMED_DB",
        ) from None
    return False


def _closed_folder(path: Path) -> Path:
    """The first folder on the way to `path` that this user may not enter."""
    return next((folder for folder in reversed(path.absolute().parents) if not os.access(folder, os.X_OK)),
                path.absolute().parent)


def _connect(path: str, read_only: bool) -> sqlite3.Connection:
    timeout = BUSY_TIMEOUT_MS / 1000
    if read_only:
        uri = Path(path).absolute().as_uri() + "?mode=ro"
        return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=timeout)
    return sqlite3.connect(path, isolation_level=None, timeout=timeout)


def _configure(conn: sqlite3.Connection, read_only: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    # Freed pages are overwritten, so erased personal details leave no copy on disk.
    conn.execute("PRAGMA secure_delete = ON")
    if not read_only and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")


def _migrate(conn: sqlite3.Connection, path: str, read_only: bool) -> None:
    if _schema_version(conn) == len(STEPS):
        return
    if read_only:
        raise DatabaseProblem(
            f"the database {path} is read-only and was written by an older kidsmed",
            "open it once with write access so that kidsmed can upgrade it",
        )
    from kidsmed.store import migrations

    # Several staff may open a new file at once: the first to get the write lock migrates.
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _schema_version(conn) < len(STEPS):
            migrations.apply(conn)
            conn.execute(f"PRAGMA user_version = {len(STEPS)}")
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def _schema_version(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(STEPS):
        raise DatabaseProblem(
            "this database was written by a newer kidsmed",
            "upgrade kidsmed before using it (nothing was changed)",
        )
    return version


def explain(exc: sqlite3.Error, path: str | None = None) -> KidsmedError:
    """What SQLite said, as one line a member of staff can act on."""
    text = str(exc)
    where = f"the database {path}" if path else "the database"
    if "locked" in text or "busy" in text:
        return Refused("the database stayed busy with another member of staff's work",
                       "try again in a moment; nothing was changed")
    if "readonly" in text or "read-only" in text:
        if path and (stale := _read_only_companion(path)):
            mode = os.stat(path).st_mode & 0o777
            return DatabaseProblem(f"{stale} is read-only though the database is not: it was left by reading the "
                                   "database while it was read-only",
                                   f"chmod {mode:o} {stale}; nothing was changed")
        return DatabaseProblem(f"{where} is read-only",
                               "check its owner and permissions; nothing was changed")
    if "unable to open" in text:
        return DatabaseProblem(f"cannot open {where}",
                               "check the owner and permissions of the file and of its folder")
    if "full" in text or ("disk I/O error" in text and path and _disk_full(path)):
        # Even a read needs room: SQLite makes the -wal and -shm files beside the database first.
        return DatabaseProblem(f"the disk holding {where} is full",
                               "free some space and try again; nothing was changed")
    if "disk I/O error" in text:
        return DatabaseProblem(f"the disk holding {where} could not be read or written (disk I/O error)",
                               "ask whoever looks after the server to check the disk; nothing was changed")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseProblem(f"{path or 'the database'} is not a usable kidsmed database ({text})",
                               "restore it from a backup with 'kidsmed restore FILE'")
    return DatabaseProblem(f"{where} could not be used ({text})", "run 'kidsmed check'; nothing was changed")


def _read_only_companion(path: str) -> str | None:
    """The -wal or -shm file beside a writable database that this user may not write, if any.

    Reading a read-only book leaves its -shm (and -wal) with the book's read-only mode; after
    `chmod 600` on the book alone, SQLite still refuses every change, naming only the book."""
    if not os.access(path, os.W_OK):
        return None
    return next((companion for companion in (f"{path}-shm", f"{path}-wal")
                 if os.path.exists(companion) and not os.access(companion, os.W_OK)), None)


def _disk_full(path: str) -> bool:
    """Whether the disk holding `path` has no room left (a few pages' worth)."""
    import shutil

    try:
        return shutil.disk_usage(Path(path).absolute().parent).free < 64 * 1024
    except OSError:
        return False
