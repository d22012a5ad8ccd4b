"""The audit trail: append-only and tamper-evident.

The database refuses to update or delete an event, or to insert one under an id already used
(REPLACE included). Each event also carries `hash`: SHA-256 over its own content and the hash of
the event before it. An event changed, removed or slipped in by hand — even by someone who first
drops those guards — no longer follows from its neighbour, and `kidsmed check` names the first
broken link. `event_hash` is the one definition of the chain, computed in Python so that every
engine kidsmed stores a book in keeps the same chain.
"""

import json
import sqlite3
from collections.abc import Iterable

from kidsmed.store.db import Database

# The "hash of the event before" the first event of a book.
GENESIS = ""
# An event as stored and hashed: at, user, case_id, action, detail (its JSON text, as stored).
Event = tuple[str, str, int | None, str, str]


def event_hash(previous: str | None, event_id: int, event: Event) -> str:
    """The chain link of one event: SHA-256 of the hash before it, its id and its content, as text
    joined by NUL characters (which no field can hold), NULL as the empty text. Plain text rather
    than JSON: `check` hashes every event ever recorded, and this is four times quicker."""
    at, user, case_id, action, detail = event
    content = "\0".join((previous or "", str(event_id), at, user, "" if case_id is None else str(case_id),
                         action, detail))
    from hashlib import sha256  # only writes and `check` hash: a read command never loads it

    return sha256(content.encode()).hexdigest()


def record(db: Database, at: str, user: str, case_id: int | None, action: str, detail: dict) -> int:
    """Append one event; its id. `detail` must hold no personal value (DESIGN §5)."""
    return append(db, [(at, user, case_id, action, json.dumps(detail, sort_keys=True))])


def append(db: Database, new: Iterable[Event]) -> int:
    """Append events in order, each chained to the one before; the id of the last.

    Call inside a write transaction: the last event read here stays the last until commit."""
    last = db.one("SELECT id, hash FROM events WHERE id = (SELECT max(id) FROM events)")
    event_id, previous = (last["id"], last["hash"]) if last else (0, GENESIS)
    rows = []
    for event in new:
        event_id += 1
        previous = event_hash(previous, event_id, event)
        rows.append((event_id, *event, previous))
    db.executemany("INSERT INTO events (id, at, user, case_id, action, detail, hash)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    return event_id


def chain(db: Database) -> Iterable[tuple]:
    """Every event in order as plain tuples (id, hash, at, user, case_id, action, detail), for checking
    the chain: millions of them, so not as sqlite3.Row."""
    cursor = db.conn.cursor()
    cursor.row_factory = None
    return cursor.execute("SELECT id, hash, at, user, case_id, action, detail FROM events ORDER BY id")


def chain_existing(conn: sqlite3.Connection, batch: int = 10_000) -> None:
    """Chain the events of a book from before the chain (a migration step), in id order.

    The update guard is lifted for this one transaction and put back exactly as it was."""
    guard = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'events_no_update'"
                         ).fetchone()
    if guard:
        conn.execute("DROP TRIGGER events_no_update")
    event_id, previous = 0, GENESIS
    while rows := conn.execute("SELECT id, at, user, case_id, action, detail FROM events WHERE id > ?"
                               " ORDER BY id LIMIT ?", (event_id, batch)).fetchall():
        links = []
        for event_id, *event in rows:
            previous = event_hash(previous, event_id, tuple(event))
            links.append((previous, event_id))
        conn.executemany("UPDATE events SET hash = ? WHERE id = ?", links)
    if guard:
        conn.execute(guard[0])


def for_case(db: Database, case_id: int) -> list[dict]:
    """The case's events in order, each with its note text and personal changes, if any."""
    events = [
        {**dict(row), "detail": json.loads(row["detail"]), "note": None, "changes": []}
        for row in db.query(
            "SELECT id, at, user, action, detail FROM events WHERE case_id = ? ORDER BY id",
            (case_id,),
        )
    ]
    by_id = {event["id"]: event for event in events}
    for row in db.query("SELECT event_id, text FROM notes WHERE case_id = ?", (case_id,)):
        by_id[row["event_id"]]["note"] = row["text"]
    for row in db.query(
        "SELECT event_id, field, old_value, new_value FROM personal_history"
        " WHERE case_id = ? ORDER BY id",
        (case_id,),
    ):
        by_id[row["event_id"]]["changes"].append(
            {"field": row["field"], "old": row["old_value"], "new": row["new_value"]}
        )
    return events
