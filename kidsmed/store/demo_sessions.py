"""Bulk reads and writes for the sessions step of `kidsmed demo`."""

import json

from kidsmed.store.db import Database


def awaiting_agreement(db: Database) -> list[dict]:
    """Cases waiting only for the parties' agreement, oldest first."""
    rows = db.query(
        "SELECT id, ref, kind, issues, other_party, local_authority, received_on FROM cases"
        " WHERE status = 'awaiting-agreement' ORDER BY received_on, id")
    return [{**dict(r), "issues": json.loads(r["issues"])} for r in rows]


def set_statuses(db: Database, rows: list[tuple]) -> None:
    """(status, closed_on, closed_reason, case id) for each case the step moved on."""
    db.executemany("UPDATE cases SET status = ?, closed_on = ?, closed_reason = ? WHERE id = ?", rows)
