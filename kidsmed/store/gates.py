"""Consents, agreements, the sessions a closure cancels, and erasure."""

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


# Where a family's and child's details are kept, and how each place is cleared.
# Sessions keep their LA officer (not the family); agreements keep the contact of
# every party but the family.
_ERASE = {
    "case_personal": "DELETE FROM case_personal WHERE case_id = ?",
    "personal_history": "DELETE FROM personal_history WHERE case_id = ?",
    "notes": "DELETE FROM notes WHERE case_id = ?",
    "consents": "UPDATE consents SET given_by = NULL, note = NULL WHERE case_id = ?"
                " AND (given_by IS NOT NULL OR note IS NOT NULL)",
    "agreements": "UPDATE agreements SET note = NULL,"
                  " contact = CASE WHEN party = 'family' THEN NULL ELSE contact END"
                  " WHERE case_id = ? AND (note IS NOT NULL"
                  " OR (party = 'family' AND contact IS NOT NULL))",
}


def erase_personal(db: Database, case_id: int) -> dict[str, int]:
    """Clear the case's personal values everywhere; how many rows each place lost or changed.

    `secure_delete` (set in open_db) overwrites the freed bytes; call `checkpoint` after the
    transaction commits so that the write-ahead log keeps no copy either.
    """
    return {table: db.execute(sql, (case_id,)).rowcount for table, sql in _ERASE.items()}


def checkpoint(db: Database) -> bool:
    """Copy the write-ahead log into the database file and empty it.

    False only when another connection's open read kept the log from being emptied.
    Inside a transaction this does nothing (the log is still needed): the caller
    checkpoints once its transaction has committed.
    """
    if db.conn.in_transaction or db.path == ":memory:":
        return True
    busy, _, _ = db.one("PRAGMA wal_checkpoint(TRUNCATE)")
    return not busy
