"""The service's own settings (its name and contact details on letters)."""

from kidsmed.store.db import Database


def stored(db: Database) -> dict[str, str]:
    return {r["key"]: r["value"] for r in db.query("SELECT key, value FROM settings")}


def put(db: Database, key: str, value: str) -> None:
    db.execute("INSERT INTO settings (key, value) VALUES (?, ?)"
               " ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


def remove(db: Database, key: str) -> None:
    db.execute("DELETE FROM settings WHERE key = ?", (key,))
