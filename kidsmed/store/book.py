"""The case book's own identity: random, made once when the book was created (schema.CALENDAR)."""

from kidsmed.store.db import Database


def identity(db: Database) -> str:
    return db.scalar("SELECT identity FROM book")
