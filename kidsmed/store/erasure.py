"""The one list of places a family's or child's details can be kept, and clearing them."""

from kidsmed.store.db import Database

# Each place, by table: the column that names the case, and the columns that hold a name or free
# text (which may name someone), emptied on erasure; None when the rows are nothing but personal
# values and go whole. What the counts need (dates, kinds, roles, LAs, issues, outcomes, clocks) stays.
PLACES: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "cases": ("id", ("referrer_org",)),
    "case_personal": ("case_id", None),
    "personal_history": ("case_id", None),
    "notes": ("case_id", None),
    "consents": ("case_id", ("given_by", "note")),
    "agreements": ("case_id", ("contact", "note")),
    "sessions": ("case_id", ("la_officer", "force_reason", "cancel_reason")),
    "certificates": ("case_id", ("reissue_reason",)),
}


def holding(columns: tuple[str, ...] | None, alias: str = "") -> str:
    """SQL true for a row of a place that still holds a personal value."""
    return "1" if columns is None else " OR ".join(f"{alias}{column} IS NOT NULL" for column in columns)


def erase_personal(db: Database, case_id: int) -> dict[str, int]:
    """Clear the case's personal values everywhere; how many rows each place lost or changed.

    `secure_delete` (set in open_db) overwrites the freed bytes; checkpoint after the
    transaction commits so that the write-ahead log keeps no copy either.
    """
    counts = {}
    for table, (key, columns) in PLACES.items():
        clear = (f"DELETE FROM {table}" if columns is None
                 else f"UPDATE {table} SET {', '.join(f'{column} = NULL' for column in columns)}")
        counts[table] = db.execute(f"{clear} WHERE {key} = ? AND ({holding(columns)})", (case_id,)).rowcount
    return counts

