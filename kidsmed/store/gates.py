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


def cancel_booked_sessions(db: Database, case_id: int, at: str, reason: str) -> list[int]:
    """Cancel the sessions still booked for a case; returns their ids."""
    ids = [r["id"] for r in db.query(
        "SELECT id FROM sessions WHERE case_id = ? AND status = 'booked' ORDER BY id", (case_id,))]
    db.executemany(
        "UPDATE sessions SET status = 'cancelled', cancelled_at = ?, cancel_reason = ? WHERE id = ?",
        [(at, reason, session_id) for session_id in ids],
    )
    return ids
