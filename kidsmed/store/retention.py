"""Closed cases past retention, and the one list of places a personal value can be."""

from kidsmed.store.cases import PERSONAL_COLUMNS
from kidsmed.store.db import Database

# Every column that can hold a person's details or free text about them: (table, columns).
# personal_history rows are deleted outright, being nothing but personal values. What the
# counts need (dates, kinds, roles, LAs, issues, outcomes) is kept.
PERSONAL = (
    ("case_personal", PERSONAL_COLUMNS),
    ("notes", ("text",)),
    ("consents", ("given_by", "note")),
    ("agreements", ("contact", "note")),
    ("sessions", ("la_officer", "force_reason", "cancel_reason")),
    ("certificates", ("reissue_reason",)),
)


def closed_before(db: Database, cutoff: str) -> list[dict]:
    """Closed cases, not yet anonymised, closed before `cutoff` (ISO date), oldest first."""
    return [dict(row) for row in db.query(
        "SELECT id, ref, kind, closed_on, closed_reason, erased_at FROM cases"
        " WHERE closed_on < ? AND status = 'closed' AND erased_at IS NULL"
        " ORDER BY closed_on, id", (cutoff,))]


def erase_personal(db: Database, case_id: int) -> dict[str, int]:
    """Clear every personal value of a case; returns the rows cleared in each table."""
    cleared = {}
    for table, columns in PERSONAL:
        assignments = ", ".join(f"{column} = NULL" for column in columns)
        cleared[table] = db.execute(
            f"UPDATE {table} SET {assignments} WHERE case_id = ?", (case_id,)).rowcount
    cleared["personal_history"] = db.execute(
        "DELETE FROM personal_history WHERE case_id = ?", (case_id,)).rowcount
    return cleared
