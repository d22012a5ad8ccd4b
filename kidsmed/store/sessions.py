"""Sessions: the clash checks, the mediator's list, and the changes made to a session.

Instants compare as UTC ISO 8601 text (one fixed format, so text order is time order).
"""

from kidsmed.store.db import Database

_SELECT = (
    "SELECT s.*, c.ref, c.local_authority, m.name AS mediator, v.name AS venue, v.address AS venue_address"
    " FROM sessions s JOIN cases c ON c.id = s.case_id"
    " JOIN mediators m ON m.id = s.mediator_id LEFT JOIN venues v ON v.id = s.venue_id"
)
# Who may not be in two places at once, and the columns that say who it is.
_WHO = ("mediator_id", "venue_id", "la_officer")


def insert(db: Database, row: dict) -> int:
    """A new session; the database numbers it after the case's others (schema.CALENDAR)."""
    columns = tuple(row)
    return db.execute(
        f"INSERT INTO sessions ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        tuple(row.values()),
    ).lastrowid


def update(db: Database, session_id: int, changes: dict) -> None:
    """Change a session; its calendar event's sequence rises, so calendars take the new version."""
    assignments = ", ".join(f"{column} = ?" for column in changes)
    db.execute(f"UPDATE sessions SET {assignments}, sequence = sequence + 1 WHERE id = ?",
               (*changes.values(), session_id))


def moved(db: Database, session_id: int, from_utc: str) -> None:
    """Remember where a moved session was: a calendar of that period must hear of the move."""
    db.execute("INSERT INTO session_moves (session_id, from_utc) VALUES (?, ?)", (session_id, from_utc))


def numbered(db: Database, case_id: int, number: int) -> dict | None:
    """The case's session with this number."""
    row = db.one(_SELECT + " WHERE s.case_id = ? AND s.number = ?", (case_id, number))
    return None if row is None else dict(row)


def get(db: Database, session_id: int) -> dict | None:
    row = db.one(_SELECT + " WHERE s.id = ?", (session_id,))
    return None if row is None else dict(row)


def booked(db: Database, case_id: int) -> list[dict]:
    """A case's sessions still waiting to be held, soonest first."""
    return [dict(r) for r in db.query(
        _SELECT + " WHERE s.case_id = ? AND s.status = 'booked' ORDER BY s.start_utc, s.id", (case_id,))]


def last_held(db: Database, case_id: int) -> dict | None:
    """The case's latest session that took place: the mediation an after-mediation letter speaks of."""
    row = db.one(_SELECT + " WHERE s.case_id = ? AND s.status = 'held' ORDER BY s.start_utc DESC LIMIT 1",
                 (case_id,))
    return None if row is None else dict(row)


def first_overlap(db: Database, column: str, value, start_utc: str, end_utc: str,
                  earliest_utc: str, ignore_id: int | None) -> dict | None:
    """The first live session of this mediator, venue or LA officer overlapping [start, end).

    Touching is not overlapping. `earliest_utc` bounds the index range: no session that
    started before it can still be running at `start_utc`.
    """
    if column not in _WHO:
        raise ValueError(f"{column!r} is not a session's mediator, venue or LA officer")
    same = f"s.{column} = ?" + (" COLLATE NOCASE" if column == "la_officer" else "")
    row = db.one(
        _SELECT + f" WHERE {same} AND s.start_utc < ? AND s.start_utc > ? AND s.end_utc > ?"
        " AND s.status != 'cancelled' AND s.id IS NOT ? ORDER BY s.start_utc LIMIT 1",
        (value, end_utc, earliest_utc, start_utc, ignore_id),
    )
    return None if row is None else dict(row)


def busy(db: Database, mediator_id: int, venue_id: int | None, from_utc: str, to_utc: str,
         ignore_id: int | None) -> list[tuple[str, str]]:
    """(start_utc, end_utc) of the live sessions of a mediator or a venue starting in [from, to)."""
    return [(r["start_utc"], r["end_utc"]) for r in db.query(
        "SELECT start_utc, end_utc FROM sessions WHERE (mediator_id = ? OR venue_id = ?)"
        " AND start_utc >= ? AND start_utc < ? AND status != 'cancelled' AND id IS NOT ?",
        (mediator_id, venue_id, from_utc, to_utc, ignore_id))]


def between(db: Database, from_utc: str, to_utc: str, *, mediator_id: int | None = None,
            venue_id: int | None = None, la: str | None = None, owner: str | None = None,
            include_cancelled: bool = False, moved_away: bool = False) -> list[dict]:
    """Sessions starting in [from, to), in time order; with `moved_away`, also those moved away
    from a start in [from, to), so a calendar of the period learns where they went. `owner`: the
    sessions of the cases they own and those they mediate."""
    span, params = "s.start_utc >= ? AND s.start_utc < ?", [from_utc, to_utc]
    if moved_away:
        span = (f"({span} OR s.id IN (SELECT session_id FROM session_moves"
                " WHERE from_utc >= ? AND from_utc < ?))")
        params += [from_utc, to_utc]
    where = [span]
    for column, value in (("s.mediator_id", mediator_id), ("s.venue_id", venue_id)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if la is not None:
        where.append("c.local_authority = ? COLLATE NOCASE")
        params.append(la)
    if owner is not None:
        where.append("(c.owner = ? OR m.name = ? COLLATE NOCASE)")
        params.extend([owner, owner])
    if not include_cancelled:
        where.append("s.status != 'cancelled'")
    return [dict(r) for r in db.query(
        _SELECT + " WHERE " + " AND ".join(where) + " ORDER BY s.start_utc, s.id", tuple(params))]
