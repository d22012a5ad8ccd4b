"""The service's settings: one row per key, values stored as text."""

from kidsmed.store.db import Database


def get(db: Database, key: str) -> str | None:
    return db.scalar("SELECT value FROM settings WHERE key = ?", (key,))


def put(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
