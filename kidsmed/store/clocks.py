"""Stored statutory clocks."""

from kidsmed.store.db import Database


def insert(db: Database, case_id: int, rule: str, start_event: str, started_on: str, due_on: str) -> int:
    return db.execute(
        "INSERT INTO clocks (case_id, rule, start_event, started_on, due_on, state)"
        " VALUES (?, ?, ?, ?, ?, 'running')",
        (case_id, rule, start_event, started_on, due_on),
    ).lastrowid


def running(db: Database, case_id: int, rule: str | None = None) -> list[dict]:
    sql = "SELECT * FROM clocks WHERE case_id = ? AND state = 'running'"
    params: tuple = (case_id,)
    if rule:
        sql += " AND rule = ?"
        params += (rule,)
    return [dict(r) for r in db.query(sql + " ORDER BY id", params)]


def set_state(db: Database, clock_id: int, state: str, met_on: str | None = None) -> None:
    db.execute("UPDATE clocks SET state = ?, met_on = ? WHERE id = ?", (state, met_on, clock_id))
