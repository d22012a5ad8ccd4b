"""Bank holidays and closure days that staff added (the rest come from rules and data/)."""

from kidsmed.store.db import Database


def added(db: Database) -> list[dict]:
    return [dict(r) for r in db.query("SELECT date, name, kind FROM holidays ORDER BY date")]


def insert(db: Database, day: str, name: str, kind: str, added_at: str, added_by: str) -> None:
    db.execute(
        "INSERT INTO holidays (date, name, kind, added_at, added_by) VALUES (?, ?, ?, ?, ?)",
        (day, name, kind, added_at, added_by),
    )
