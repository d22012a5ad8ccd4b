"""Closed cases past retention."""

from kidsmed.store.db import Database


def closed_before(db: Database, cutoff: str) -> list[dict]:
    """Closed cases, not yet anonymised, closed before `cutoff` (ISO date), oldest first."""
    return [dict(row) for row in db.query(
        "SELECT id, ref, kind, closed_on, closed_reason, erased_at FROM cases"
        " WHERE closed_on < ? AND status = 'closed' AND erased_at IS NULL"
        " ORDER BY closed_on, id", (cutoff,))]
