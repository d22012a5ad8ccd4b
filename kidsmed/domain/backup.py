"""Backing up and restoring the case book, each recorded in the audit trail.

Where a backup was written is kept in its event, so `kidsmed check` can look at the
permissions of every backup kidsmed made that still exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kidsmed.domain import checks, gates
from kidsmed.domain.cases import utc
from kidsmed.store import backup as store
from kidsmed.store import events
from kidsmed.store.db import Database, DatabaseProblem


@dataclass(frozen=True)
class Copy:
    """A verified copy: where it is and the rows it holds, table by table."""

    file: str
    rows: dict[str, int]
    kept_aside: str | None = None  # restore: where the database as it was now lies
    recorded: bool = True  # False: a read-only database could not record the backup in its trail
    reapplied: int = 0  # restore: erasures of the replaced book applied again to the restored one
    warnings: list[str] = field(default_factory=list)

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
    """Replace the database with the backup `source`, once the backup has passed every check.

    The swap holds the write lock throughout: colleagues' changes wait for it and then go into
    the restored book. The database as it was at that moment is kept aside (unless nothing was
    ever recorded in it); erasures it had recorded are applied again, and no reference it issued
    is handed out again. Done and recorded in the audit trail, or not done at all.
    """
    path = Path(source).absolute()
    store.inspect(db, path)
    with store.staged(db, path) as staged:
        _refuse_unless_clean(staged, path)
        with store.attached(db, staged):
            return _swap(db, now, user, path)


def _refuse_unless_clean(staged: Database, path: Path) -> None:
    if problems := checks.run(staged, checks.CONTENT_CHECKS):
        first = problems[0]
        raise DatabaseProblem(f"{path} does not pass kidsmed check ({first.check}"
                              + (f", {first.ref}" if first.ref else "") + f": {first.problem})",
                              "choose another backup; nothing was changed")


def _swap(db: Database, now: datetime, user: str, path: Path) -> Copy:
    aside = None
    try:
        with db.transaction():  # the write lock, from before the copy aside until the swap is recorded
            erased, issued = store.erased_refs(db), store.issued(db)
            if store.has_history(db):
                target = aside_name(db.path, now)
                store.keep_aside(db, target)
                aside = target
            rows = store.take_incoming(db)
            store.keep_issued(db, issued)
            again = store.not_erased(db, erased)
            for case in again:
                gates.erase(db, now, user, case, "restore: erased in the book the restore replaced")
            events.record(db, utc(now), user, None, "restored",
                          {"file": str(path), "kept_aside": str(aside) if aside else None,
                           "cases": rows.get("cases", 0), "erasures_reapplied": len(again)})
    except BaseException:
        if aside:  # not done: a copy aside would only suggest it was
            aside.unlink(missing_ok=True)
        raise
    forgotten = gates.forget_copies(db)  # no copy of the replaced book's pages stays in the -wal
    return Copy(str(path), rows, str(aside) if aside else None, reapplied=len(again),
                warnings=[] if forgotten or not again else [gates.COPY_WARNING])
