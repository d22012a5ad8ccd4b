"""The one list of places a family's or child's details can be kept, and clearing them."""

from kidsmed.store.db import Database

# How each place is cleared. Rows that are nothing but personal values go; elsewhere the
# columns that hold a name or free text (which may name someone) are emptied. What the
# counts need (dates, kinds, roles, LAs, issues, outcomes, clocks) stays.
_ERASE = {
    "cases": "UPDATE cases SET referrer_org = NULL WHERE id = ? AND referrer_org IS NOT NULL",
    "case_personal": "DELETE FROM case_personal WHERE case_id = ?",
    "personal_history": "DELETE FROM personal_history WHERE case_id = ?",
    "notes": "DELETE FROM notes WHERE case_id = ?",
    "consents": "UPDATE consents SET given_by = NULL, note = NULL WHERE case_id = ?"
                " AND (given_by IS NOT NULL OR note IS NOT NULL)",
    "agreements": "UPDATE agreements SET contact = NULL, note = NULL WHERE case_id = ?"
                  " AND (contact IS NOT NULL OR note IS NOT NULL)",
    "sessions": "UPDATE sessions SET la_officer = NULL, force_reason = NULL, cancel_reason = NULL"
                " WHERE case_id = ? AND (la_officer IS NOT NULL OR force_reason IS NOT NULL"
                " OR cancel_reason IS NOT NULL)",
    "certificates": "UPDATE certificates SET reissue_reason = NULL WHERE case_id = ?"
                    " AND reissue_reason IS NOT NULL",
}


def erase_personal(db: Database, case_id: int) -> dict[str, int]:
    """Clear the case's personal values everywhere; how many rows each place lost or changed.

    `secure_delete` (set in open_db) overwrites the freed bytes; checkpoint after the
    transaction commits so that the write-ahead log keeps no copy either.
    """
    return {table: db.execute(sql, (case_id,)).rowcount for table, sql in _ERASE.items()}
