"""Queries behind the reports: the facts the monthly counts are made of, and the day's cases.

The counting rules live in `kidsmed.domain.reports`; these queries only fetch rows in a date
range. Dates are Europe/London ISO dates; `lo`/`hi` bounds on UTC instants are
"YYYY-MM-DDTHH:MM:SS" with no offset, which compare correctly with stored instants however
their offset is written.
"""

import json

from kidsmed.store.db import Database


def _rows(db: Database, sql: str, params: tuple | dict = ()) -> list[dict]:
    return [dict(row) for row in db.query(sql, params)]


# --- facts for the monthly and annual counts ------------------------------------------------


def referrals(db: Database, first: str, last: str) -> list[dict]:
    return _rows(db, "SELECT received_on AS on_date, local_authority AS la, referrer_role, kind"
                     " FROM cases WHERE received_on BETWEEN ? AND ?", (first, last))


def closures(db: Database, first: str, last: str, concluding: tuple[str, ...], clock_rule: str) -> list[dict]:
    """Cases closed in the range; with, for a concluded mediation, its concluding outcome
    (the latest of `concluding` among its sessions) and its `clock_rule` clock (the latest)."""
    marks = ", ".join("?" for _ in concluding)
    rows = _rows(db, f"""
        SELECT c.closed_on AS on_date, c.local_authority AS la, c.closed_reason, c.kind, c.issues,
               c.appeal_lodged_on,
               (SELECT s.outcome FROM sessions s WHERE s.case_id = c.id AND s.outcome IN ({marks})
                 ORDER BY s.start_utc DESC, s.id DESC LIMIT 1) AS outcome,
               k.state AS clock_state, k.met_on AS clock_met_on, k.due_on AS clock_due_on
        FROM cases c
        LEFT JOIN clocks k ON k.id = (SELECT max(id) FROM clocks WHERE case_id = c.id AND rule = ?)
        WHERE c.closed_on BETWEEN ? AND ?""", (*concluding, clock_rule, first, last))
    return [{**row, "issues": json.loads(row["issues"])} for row in rows]


def certificates(db: Database, first: str, last: str) -> list[dict]:
    """Certificates issued in the range, leaving out corrected reissues."""
    return _rows(db, "SELECT ce.issued_on AS on_date, c.local_authority AS la, ce.type, ce.on_time"
                     " FROM certificates ce JOIN cases c ON c.id = ce.case_id"
                     " WHERE ce.issued_on BETWEEN ? AND ? AND ce.reissue_of IS NULL", (first, last))


def sessions_held(db: Database, lo: str, hi: str) -> list[dict]:
    return _rows(db, "SELECT s.start, c.local_authority AS la FROM sessions s JOIN cases c ON c.id = s.case_id"
                     " WHERE s.status = 'held' AND s.start_utc >= ? AND s.start_utc < ?", (lo, hi))


def sessions_cancelled(db: Database, lo: str, hi: str) -> list[dict]:
    return _rows(db, "SELECT s.cancelled_at, c.local_authority AS la FROM sessions s"
                     " JOIN cases c ON c.id = s.case_id"
                     " WHERE s.status = 'cancelled' AND s.cancelled_at >= ? AND s.cancelled_at < ?", (lo, hi))


def open_cases(db: Database, day: str) -> list[dict]:
    """How many cases each local authority had open at the end of `day`: those received by then
    less those closed by then (a case closes on or after the day it came in). Two counts over
    covering indexes, rather than a look at every case ever received."""
    received = _counts_by_la(db, "received_on", day)
    closed = _counts_by_la(db, "closed_on", day)
    return [{"la": la, "count": count - closed.get(la, 0)} for la, count in received.items()
            if count > closed.get(la, 0)]


def local_authorities(db: Database) -> list[str]:
    """The local authorities the book's cases name, by name (read from an index, not the cases)."""
    return [name for (name,) in db.query(
        "SELECT DISTINCT local_authority FROM cases ORDER BY local_authority COLLATE NOCASE")]


def _counts_by_la(db: Database, column: str, day: str) -> dict[str, int]:
    return dict(db.query(f"SELECT local_authority, count(*) FROM cases WHERE {column} <= ?"
                         " GROUP BY local_authority", (day,)))


def _first(db: Database, sql: str, order: str, params: tuple, limit: int) -> tuple[int, list[dict]]:
    rows = _rows(db, f"SELECT *, count(*) OVER () AS total FROM ({sql}) found ORDER BY {order} LIMIT ?",
                 (*params, limit))
    return (rows[0]["total"] if rows else 0), [{k: v for k, v in r.items() if k != "total"} for r in rows]


def _owned(owner: str | None, mediated: bool = False) -> tuple[str, tuple]:
    """The clause that narrows a day's section to one owner's cases (and, with `mediated`, the
    sessions they mediate), and its parameters. Written out only when asked for, so that the
    owner's indexes serve it and the whole service's query stays as it was."""
    if owner is None:
        return "", ()
    if mediated:
        return " AND (c.owner = ? OR m.name = ? COLLATE NOCASE)", (owner, owner)
    return " AND c.owner = ?", (owner,)


def day_sessions(db: Database, lo: str, hi: str, mediator: str | None, owner: str | None,
                 limit: int) -> tuple[int, list[dict]]:
    """Sessions starting in [lo, hi), cancelled ones left out."""
    mine, params = _owned(owner, mediated=True)
    return _first(db, f"""
        SELECT s.id, s.number, c.ref, s.start, s.end, m.name AS mediator, v.name AS venue, s.remote,
               c.local_authority, s.status, s.outcome, c.owner
        FROM sessions s
        JOIN cases c ON c.id = s.case_id
        JOIN mediators m ON m.id = s.mediator_id
        LEFT JOIN venues v ON v.id = s.venue_id
        WHERE s.start_utc >= ? AND s.start_utc < ? AND s.status <> 'cancelled'
          AND (? IS NULL OR m.name = ? COLLATE NOCASE){mine}""", "start, id",
                  (lo, hi, mediator, mediator, *params), limit)


def day_clocks(db: Database, day: str, family: str, owner: str | None, limit: int) -> tuple[int, list[dict]]:
    """Running clocks due on `day` or overdue, and the family's own deadlines (stored state
    `family`) due on `day` only."""
    mine, params = _owned(owner)
    return _first(db, f"""
        SELECT c.ref, c.local_authority, k.rule, k.started_on, k.due_on, c.owner
        FROM clocks k JOIN cases c ON c.id = k.case_id
        WHERE ((k.state = 'running' AND k.due_on <= ?) OR (k.state = ? AND k.due_on = ?)){mine}""",
                  "due_on, ref, rule", (day, family, day, *params), limit)


def day_chases(db: Database, day: str, owner: str | None, limit: int) -> tuple[int, list[dict]]:
    """Open cases whose next chase is due on `day` or overdue (closing a case clears its chase)."""
    mine, params = _owned(owner)
    return _first(db, f"""
        SELECT c.ref, c.status, c.local_authority, c.owner, c.chase_on, c.chase_party, c.chase_auto,
               p.chase_what
        FROM cases c LEFT JOIN case_personal p ON p.case_id = c.id
        WHERE c.chase_on <= ? AND c.status <> 'closed'{mine}""", "chase_on, ref", (day, *params), limit)


def day_referrals(db: Database, day: str, owner: str | None, limit: int) -> tuple[int, list[dict]]:
    mine, params = _owned(owner)
    return _first(db, "SELECT c.ref, c.received_at, c.kind, c.referrer_role, c.local_authority, c.status,"
                      f" c.owner FROM cases c WHERE c.received_on = ?{mine}", "received_at, ref",
                  (day, *params), limit)


def waiting_since(db: Database, latest: str, owner: str | None, limit: int) -> tuple[int, list[dict]]:
    """Cases awaiting consent or agreement on which nothing has moved since `latest` or before.

    A case waits since the last thing that moved it: received, consent, or any party's answer.
    """
    mine, params = _owned(owner)
    return _first(db, f"""
        SELECT * FROM (
            SELECT c.id, c.ref, c.status, c.local_authority, c.owner, c.kind, c.issues, c.other_party,
                   {db.engine.greatest}(c.received_on,
                       coalesce((SELECT max(on_date) FROM consents WHERE case_id = c.id), ''),
                       coalesce((SELECT max(on_date) FROM agreements WHERE case_id = c.id), '')) AS since
            FROM cases c
            WHERE c.status IN ('awaiting-consent', 'awaiting-agreement') AND c.received_on <= ?{mine}
        ) waiting
        WHERE since <= ?""", "since, ref", (latest, *params, latest), limit)


def unowned(db: Database, limit: int) -> tuple[int, list[dict]]:
    """Open cases nobody has been given (cases logged before kidsmed kept owners)."""
    return _first(db, """
        SELECT c.ref, c.status, c.received_on, c.local_authority FROM cases c
        WHERE c.owner IS NULL AND c.status IN ('awaiting-consent', 'awaiting-agreement',
                                               'ready-to-book', 'booked')""",
                  "received_on, ref", (), limit)


def forgotten(db: Database, latest: str, owner: str | None, limit: int) -> tuple[int, list[dict]]:
    """Waiting cases with no chase set and no contact since `latest` or before."""
    mine, params = _owned(owner)
    return _first(db, f"""
        SELECT c.ref, c.status, c.last_contact_on, c.local_authority, c.owner FROM cases c
        WHERE c.status IN ('awaiting-consent', 'awaiting-agreement') AND c.chase_on IS NULL
          AND c.last_contact_on <= ?{mine}""", "last_contact_on, ref", (latest, *params), limit)


def sessions_without_outcome(db: Database, before: str, mediator: str | None, owner: str | None,
                             limit: int) -> tuple[int, list[dict]]:
    """Sessions still only booked (no outcome recorded) that started before `before`."""
    mine, params = _owned(owner, mediated=True)
    return _first(db, f"""
        SELECT s.id, s.number, c.ref, s.start, s.end, m.name AS mediator, c.local_authority, c.owner
        FROM sessions s
        JOIN cases c ON c.id = s.case_id
        JOIN mediators m ON m.id = s.mediator_id
        WHERE s.status = 'booked' AND s.start_utc < ?
          AND (? IS NULL OR m.name = ? COLLATE NOCASE){mine}""", "start, id",
                  (before, mediator, mediator, *params), limit)


def sessions_on_days_off(db: Database, day: str, mediator: str | None, owner: str | None,
                         limit: int) -> tuple[int, list[dict]]:
    """Sessions still booked on a closure day or an added bank holiday from `day` on: to move."""
    mine, params = _owned(owner, mediated=True)
    return _first(db, f"""
        SELECT s.id, s.number, c.ref, s.start, s.end, m.name AS mediator, c.local_authority, h.name AS day_off,
               c.owner
        FROM holidays h
        JOIN sessions s ON s.status = 'booked' AND s.start_utc >= h.date AND s.start_utc < h.date || 'T24'
        JOIN cases c ON c.id = s.case_id
        JOIN mediators m ON m.id = s.mediator_id
        WHERE h.date >= ? AND (? IS NULL OR m.name = ? COLLATE NOCASE){mine}""",
                  "start, id", (day, mediator, mediator, *params), limit)


def mediator_name(db: Database, name: str) -> str | None:
    return db.scalar("SELECT name FROM mediators WHERE name = ? COLLATE NOCASE", (name,))
