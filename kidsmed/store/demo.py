"""Bulk writes for `kidsmed demo`: one transaction, many rows at once."""

import json
from operator import itemgetter

from kidsmed.store import events
from kidsmed.store.cases import CASE_COLUMNS, CASELOAD_COLUMNS, CHASE_PERSONAL, PERSONAL_COLUMNS
from kidsmed.store.db import Database

EVENT_COLUMNS = ("at", "user", "case_id", "action", "detail")


def has_cases(db: Database) -> bool:
    """Does the book hold cases, or did a book it replaced issue references (never to be reused)?"""
    return db.scalar("SELECT 1 FROM cases UNION ALL SELECT 1 FROM issued_references LIMIT 1") is not None


def insert_batch(db: Database, batch: dict[str, list[dict]]) -> None:
    """Insert a batch of generated rows, table by table.

    Cases carry their own `id` so that the rows that hang off them can name it; every row of a
    table carries every column, as the first row of its table names them.
    """
    case_columns = ("id", "ref", "year", "seq", "created_by", *CASE_COLUMNS, *CASELOAD_COLUMNS,
                    "closed_on", "closed_reason", "erased_at", "appeal_lodged_on")
    _insert(db, "cases", case_columns,
            [{**c, "issues": json.dumps(c["issues"])} for c in batch.get("cases", [])])
    _insert(db, "case_personal", ("case_id", *PERSONAL_COLUMNS, *CHASE_PERSONAL), batch.get("case_personal", []))
    for table, rows in batch.items():
        if table not in ("cases", "case_personal", "events") and rows:
            _insert(db, table, tuple(rows[0]), rows)
    events.append(db, map(itemgetter(*EVENT_COLUMNS), batch.get("events", [])))


def _insert(db: Database, table: str, columns: tuple, rows: list[dict]) -> None:
    if not rows:
        return
    db.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        map(itemgetter(*columns), rows),
    )


def next_case_id(db: Database) -> int:
    return db.scalar("SELECT coalesce(max(id), 0) + 1 FROM cases")
