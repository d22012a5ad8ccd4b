"""Bank holidays and closure days that staff added (the rest come from rules and data/)."""

from kidsmed.store.db import Database


def added(db: Database) -> list[dict]:
    return [dict(r) for r in db.query("SELECT date, name, kind FROM holidays ORDER BY date")]
