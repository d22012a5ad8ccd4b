"""The audit trail: append-only events (the database refuses UPDATE and DELETE)."""

import json

from kidsmed.store.db import Database


def record(db: Database, at: str, user: str, case_id: int | None, action: str, detail: dict) -> int:
    """Append one event. `detail` must hold no personal value (DESIGN §5)."""
    cursor = db.execute(
        "INSERT INTO events (at, user, case_id, action, detail) VALUES (?, ?, ?, ?, ?)",
        (at, user, case_id, action, json.dumps(detail, sort_keys=True)),
    )
    return cursor.lastrowid


def for_case(db: Database, case_id: int) -> list[dict]:
    """The case's events in order, each with its note text and personal changes, if any."""
    events = [
        {**dict(row), "detail": json.loads(row["detail"]), "note": None, "changes": []}
        for row in db.query(
            "SELECT id, at, user, action, detail FROM events WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
    ]
    by_id = {event["id"]: event for event in events}
    for row in db.query("SELECT event_id, text FROM notes WHERE case_id = ?", (case_id,)):
        by_id[row["event_id"]]["note"] = row["text"]
    for row in db.query(
        "SELECT event_id, field, old_value, new_value FROM personal_history"
        " WHERE case_id = ? ORDER BY id",
        (case_id,),
    ):
        by_id[row["event_id"]]["changes"].append(
            {"field": row["field"], "old": row["old_value"], "new": row["new_value"]}
        )
    return events
