"""A case book on a PostgreSQL server, through psycopg 3 (the optional `postgres` extra).

Imported only when --db or KIDSMED_DB names a PostgreSQL database, so SQLite start-up never
pays for psycopg. `PgConnection` gives the store the same small interface as `sqlite3.Connection`
(execute, executemany, in_transaction, commit, rollback, close), with rows read by name or
position like `sqlite3.Row`.

A new database is made a case book on first use: the same schema steps as SQLite's, written for
PostgreSQL by kidsmed.store.pg_schema, recorded in the engine's own `kidsmed_migrations` table.
Work in progress (issue 18): only the commands in kidsmed.cli.common.POSTGRES_READY run here yet.
"""

from __future__ import annotations

from kidsmed.errors import BadInput, KidsmedError
from kidsmed.store.engine import POSTGRES, shown
from kidsmed.store.schema import STEPS

INSTALL = 'pip install "kidsmed[postgres]"'
CONNECT_TIMEOUT_S = 10
# Each engine keeps its own record of the steps it has taken (SQLite: PRAGMA user_version and
# sqlite-utils' _sqlite_migrations table).
RECORD = "CREATE TABLE IF NOT EXISTS kidsmed_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"


class ServerProblem(KidsmedError):
    """The PostgreSQL server cannot be reached or refuses this login."""

    exit_code = 1


def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise BadInput("a case book on PostgreSQL needs the postgres extra", f"install it: {INSTALL}") from None
    return psycopg


class Row(tuple):
    """A result row read by position or by column name, as sqlite3.Row is."""

    def __new__(cls, names: tuple[str, ...], values):
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key):
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor):
    names = tuple(column.name for column in cursor.description or ())
    return lambda values: Row(names, values)


class PgCursor:
    """A psycopg cursor with sqlite3's `lastrowid`: the id the insert just drew from its table's
    identity column (lastval() is this connection's own, so other writers cannot change it)."""

    def __init__(self, cursor):
        self.raw = cursor

    def fetchall(self):
        return self.raw.fetchall() if self.raw.description else []

    def fetchone(self):
        return self.raw.fetchone() if self.raw.description else None

    def __iter__(self):
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return self.raw.rowcount

    @property
    def lastrowid(self) -> int:
        return self.raw.connection.execute("SELECT lastval()").fetchone()[0]


class PgConnection:
    """A psycopg connection in autocommit mode, behind the interface the store uses."""

    def __init__(self, conn):
        self.raw = conn

    def execute(self, sql: str, params: tuple | dict = ()):
        if not params:  # no parameters: psycopg sends the text as it is
            return PgCursor(self.raw.execute(sql))
        return PgCursor(self.raw.execute(POSTGRES.sql(sql), params))

    def executemany(self, sql: str, rows):
        cursor = self.raw.cursor()
        cursor.executemany(POSTGRES.sql(sql), list(rows))
        return PgCursor(cursor)

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status.name != "IDLE"

    def commit(self) -> None:
        self.raw.execute("COMMIT")

    def rollback(self) -> None:
        self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()


def connect(target: str) -> PgConnection:
    """A connection to the server `target` names (a libpq URL or key=value string; the password
    from ~/.pgpass or PGPASSWORD as libpq reads them). A failure is one line, without the password."""
    psycopg = _psycopg()
    try:
        conn = psycopg.connect(target, autocommit=True, row_factory=_row_factory,
                               connect_timeout=CONNECT_TIMEOUT_S, application_name="kidsmed")
    except psycopg.Error as exc:
        raise ServerProblem(f"cannot connect to the PostgreSQL case book {shown(target)} ({_reason(exc)})",
                            "check the URL, that the server is running, and ~/.pgpass or PGPASSWORD") from None
    # Every stored value is text, as in SQLite: typed so that `? IS NULL` and `? || x` need no casts.
    conn.adapters.register_dumper(str, psycopg.types.string.StrDumper)
    return PgConnection(conn)


def _reason(exc) -> str:
    """The server's or libpq's reason, first line only (libpq adds hints on further lines).
    Neither ever repeats a password."""
    return (str(exc).strip().splitlines() or ["no reason given"])[0].strip()


def taken_steps(conn: PgConnection) -> list[str]:
    """The schema steps this PostgreSQL book has taken, in order (its own record: none yet in a
    new database, whose record is made with its first step)."""
    if conn.execute("SELECT to_regclass('kidsmed_migrations')").fetchone()[0] is None:
        return []
    return [row[0] for row in conn.execute("SELECT name FROM kidsmed_migrations ORDER BY name").fetchall()]


def open_book(target: str):
    """The PostgreSQL case book at `target`, as a `Database`, or a one-line refusal."""
    from kidsmed.store.db import Database

    conn = connect(target)
    try:
        pending = [name for name, _ in STEPS if name not in set(taken_steps(conn))]
    except _psycopg().Error as exc:
        conn.close()
        raise ServerProblem(f"the PostgreSQL case book {shown(target)} refused kidsmed ({_reason(exc)})",
                            "check that this login may read the database") from None
    if pending:
        migrate(conn)
    return Database(conn, shown(target), engine=POSTGRES)


# Several staff may open a new book at once: the first to take this lock makes it.
MIGRATION_LOCK = 0x6B6964736D6564  # "kidsmed"


def migrate(conn: PgConnection) -> None:
    """Take the schema steps this book has not taken, all in one transaction, each recorded."""
    from datetime import UTC, datetime

    from kidsmed.store import las
    from kidsmed.store.pg_schema import NOCASE, postgres_statements

    fills = {"m005_local_authorities": las.fill_shipped}
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        conn.execute(RECORD)
        conn.execute(NOCASE)
        taken = set(taken_steps(conn))
        for name, sql in STEPS:
            if name in taken:
                continue
            for statement in postgres_statements(sql):
                conn.execute(statement)
            if fill := fills.get(name):
                fill(conn)
            conn.execute("INSERT INTO kidsmed_migrations (name, applied_at) VALUES (?, ?)",
                         (name, datetime.now(UTC).isoformat(timespec="seconds")))
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
