"""Backing up and restoring the case book, each recorded in the audit trail.

Where a backup was written is kept in its event, so `kidsmed check` can look at the
permissions of every backup kidsmed made that still exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kidsmed.domain.cases import utc
from kidsmed.store import backup as store
from kidsmed.store import events
from kidsmed.store.db import Database


@dataclass(frozen=True)
class Copy:
    """A verified copy: where it is and the rows it holds, table by table."""

    file: str
    rows: dict[str, int]
    kept_aside: str | None = None  # restore: where the database as it was now lies
    recorded: bool = True  # False: a read-only database could not record the backup in its trail

    @property
    def cases(self) -> int:
        return self.rows.get("cases", 0)


def backup(db: Database, now: datetime, user: str, target: str, force: bool = False) -> Copy:
    """Copy the database to `target` while others keep working; refuses to overwrite unless `force`."""
    path = Path(target).absolute()
    rows = store.backup(db, path, force)
    if db.read_only:  # a copy still matters more than its record
        return Copy(str(path), rows, recorded=False)
    with db.transaction():
        events.record(db, utc(now), user, None, "backup",
                      {"file": str(path), "cases": rows.get("cases", 0), "rows": sum(rows.values())})
    return Copy(str(path), rows)


def aside_name(db_path: str, now: datetime) -> Path:
    """Where a restore keeps the database it replaces: beside it, named by the UTC time."""
    return Path(f"{db_path}.before-restore-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}")


def restore(db: Database, now: datetime, user: str, source: str) -> Copy:
    """Replace the database with the backup `source`, once the backup has been checked.

    The database as it was is kept aside (unless nothing was ever recorded in it).
    """
    path = Path(source).absolute()
    rows = store.inspect(db, path)
    aside = None
    if store.has_history(db):
        aside = aside_name(db.path, now)
        store.keep_aside(db, aside)
    store.restore(db, path, rows)
    with db.transaction():
        events.record(db, utc(now), user, None, "restored",
                      {"file": str(path), "kept_aside": str(aside) if aside else None,
                       "cases": rows.get("cases", 0)})
    return Copy(str(path), rows, str(aside) if aside else None)
