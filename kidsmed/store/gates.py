"""Consents, agreements, and the sessions a closure cancels."""

from kidsmed.store.db import Database


def add_consent(db: Database, case_id: int, row: dict) -> int:
    return db.execute(
        "INSERT INTO consents (case_id, answer, given_by, relationship, method, on_date,"
        " recorded_by, recorded_at, note) VALUES (:case_id, :answer, :given_by, :relationship,"
        " :method, :on_date, :recorded_by, :recorded_at, :note)",
        {**row, "case_id": case_id},
    ).lastrowid


def add_agreement(db: Database, case_id: int, row: dict) -> int:
    return db.execute(
        "INSERT INTO agreements (case_id, party, answer, contact, on_date, recorded_by,"
        " recorded_at, note) VALUES (:case_id, :party, :answer, :contact, :on_date, :recorded_by,"
        " :recorded_at, :note)",
        {**row, "case_id": case_id},
    ).lastrowid


def cancel_booked_sessions(db: Database, case_id: int, at: str, reason: str) -> list[dict]:
    """Cancel the sessions still booked for a case, soonest first; returns them (id, number, start, end)."""
    cancelled = [dict(r) for r in db.query(
        "SELECT id, number, start, end FROM sessions WHERE case_id = ? AND status = 'booked'"
        " ORDER BY start_utc, id", (case_id,))]
    db.executemany(
        "UPDATE sessions SET status = 'cancelled', cancelled_at = ?, cancel_reason = ?,"
        " sequence = sequence + 1 WHERE id = ?",
        [(at, reason, session["id"]) for session in cancelled],
    )
    return cancelled
