"""The schema steps of `kidsmed.store.schema` as a `sqlite_utils.Migrations` set.

Imported only when a database has steps pending: sqlite_utils takes about
100 ms to import, which is more than a whole daily command may cost.
"""

import sqlite3

from sqlite_utils import Database, Migrations

from kidsmed.store import events, las
from kidsmed.store.schema import STEPS

migrations = Migrations("kidsmed")
# Steps that also fill what they create, after their SQL has run.
FILLS = {"m005_local_authorities": las.fill, "m008_events_hash_chain": events.chain_existing}


def _register(name: str, sql: str) -> None:
    @migrations(name=name)
    def step(db: Database) -> None:
        # executescript would COMMIT the transaction Migrations opened around the step.
        for statement in _statements(sql):
            db.execute(statement)
        if fill := FILLS.get(name):
            fill(db.conn)


def _statements(sql: str) -> list[str]:
    """Split a script into complete statements (triggers contain inner semicolons)."""
    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    return statements


for _name, _sql in STEPS:
    _register(_name, _sql)


def apply(conn: sqlite3.Connection) -> None:
    migrations.apply(Database(conn))
