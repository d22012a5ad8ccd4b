"""What Tab completion offers from the case book: short, read-only look-ups, each through an
index, that never create, migrate or lock the file (a shell waits for them on every Tab)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

SHOWN = 50  # more than a screen of candidates helps nobody: type another character
_TOP = "\U0010ffff"  # sorts after any text: `name < prefix || _TOP` is "starts with prefix"

# Each look-up takes (prefix, prefix + _TOP, SHOWN).
LOOKUPS = {
    # Newest first: the case being worked on was most likely logged lately.
    "refs": "SELECT ref FROM cases WHERE ref >= ? AND ref < ? ORDER BY id DESC LIMIT ?",
    "mediators": "SELECT name FROM mediators WHERE retired_on IS NULL AND name >= ? AND name < ?"
                 " ORDER BY name LIMIT ?",
    "venues": "SELECT name FROM venues WHERE retired_on IS NULL AND name >= ? AND name < ? ORDER BY name LIMIT ?",
    "local_authorities": "SELECT name FROM local_authorities WHERE retired_on IS NULL AND name >= ? AND name < ?"
                         " ORDER BY name LIMIT ?",
    # Each owner once, jumping through the owner index rather than reading every case.
    "owners": """WITH RECURSIVE owner(name) AS (
                   SELECT min(owner) FROM cases WHERE owner >= ?1 AND owner < ?2
                   UNION ALL
                   SELECT (SELECT min(owner) FROM cases WHERE owner > owner.name AND owner < ?2)
                   FROM owner WHERE owner.name IS NOT NULL)
                 SELECT name FROM owner WHERE name IS NOT NULL LIMIT ?3""",
}


def lookup(path: str, what: str, prefix: str) -> list[str]:
    """The values of `what` (a key of LOOKUPS) starting with `prefix`; none when the case book
    is not there, cannot be read, or is too old to hold them."""
    if not Path(path).is_file():
        return []
    try:
        conn = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True, timeout=0.5)
        try:
            return [row[0] for row in conn.execute(LOOKUPS[what], (prefix, prefix + _TOP, SHOWN))]
        finally:
            conn.close()
    except sqlite3.Error:
        return []
