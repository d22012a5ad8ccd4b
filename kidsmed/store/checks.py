"""The queries behind `kidsmed check`.

Each is one statement: a single pass over the rows it concerns, with indexed look-ups for
anything it correlates, stopped at `limit` rows, so a check costs the same whether or not
something is wrong. What counts as wrong is decided in `kidsmed.domain.checks`.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from kidsmed.files import stale_partials
from kidsmed.store import erasure, events
from kidsmed.store.db import Database, explain


def _rows(db: Database, sql: str, params: tuple = ()) -> list[dict]:
    """Rows as dicts; a database too damaged to answer becomes a one-line problem."""
    try:
        return [dict(row) for row in db.query(sql, params)]
    except sqlite3.DatabaseError as exc:
        raise explain(exc, db.path) from None


def _marks(values: tuple) -> str:
    return ", ".join("?" for _ in values)


def integrity(db: Database, limit: int) -> list[str]:
    """SQLite's own check of every page and index: [] when all is well."""
    messages = [row["integrity_check"] for row in _rows(db, f"PRAGMA integrity_check({int(limit)})")]
    return [] if messages == ["ok"] else messages


def broken_references(db: Database, limit: int) -> list[dict]:
    """Rows that point at a row that is not there (table, rowid, parent)."""
    return _rows(db, "PRAGMA foreign_key_check")[:limit]


def booked_cases(db: Database) -> list[dict]:
    """Cases with a booked session, each with the latest answer of every party that answered.

    Not limited: which of them break a rule is the domain's to decide, and booked sessions are
    the live few (an outcome is recorded once a session is held)."""
    return [
        {**row, "issues": json.loads(row["issues"]), "answers": json.loads(row["answers"])}
        for row in _rows(db, """
            SELECT c.ref, c.kind, c.issues, c.other_party,
                   (SELECT json_group_array(json_object('party', a.party, 'answer', a.answer))
                      FROM agreements a
                     WHERE a.case_id = c.id
                       AND NOT EXISTS (SELECT 1 FROM agreements later
                                        WHERE later.case_id = a.case_id AND later.party = a.party
                                          AND later.id > a.id)) AS answers
              FROM cases c
             WHERE c.id IN (SELECT case_id FROM sessions WHERE status = 'booked')
             ORDER BY c.id""")
    ]


def closed_without_clock(db: Database, kind: str, reason: str, rule: str, limit: int) -> list[str]:
    """Refs of `kind` cases closed for `reason` that never had a `rule` clock."""
    return [row["ref"] for row in _rows(db, """
        SELECT c.ref FROM cases c
         WHERE c.status = 'closed' AND c.closed_reason = ? AND c.kind = ?
           AND NOT EXISTS (SELECT 1 FROM clocks k WHERE k.case_id = c.id AND k.rule = ?)
         ORDER BY c.id LIMIT ?""", (reason, kind, rule, limit))]


def clocks_without_start_event(db: Database, limit: int) -> list[dict]:
    """Clocks whose case has no clock-started event for the same rule and start date."""
    return _rows(db, """
        SELECT c.ref, k.rule, k.started_on FROM clocks k JOIN cases c ON c.id = k.case_id
         WHERE NOT EXISTS (SELECT 1 FROM events e
                            WHERE e.case_id = k.case_id AND e.action = 'clock-started'
                              AND json_extract(e.detail, '$.rule') = k.rule
                              AND json_extract(e.detail, '$.started_on') = k.started_on)
         ORDER BY k.id LIMIT ?""", (limit,))


def running_clocks_of_closed_cases(db: Database, allowed: tuple[str, ...], limit: int) -> list[dict]:
    """Running clocks, other than the `allowed` rules, on closed cases."""
    return _rows(db, f"""
        SELECT c.ref, k.rule, c.closed_on FROM clocks k JOIN cases c ON c.id = k.case_id
         WHERE k.state = 'running' AND c.status = 'closed' AND k.rule NOT IN ({_marks(allowed)})
         ORDER BY k.id LIMIT ?""", (*allowed, limit))


def events_back_in_time(db: Database, skew_minutes: int, limit: int) -> list[dict]:
    """Events recorded more than `skew_minutes` earlier than the event before them.

    Events are never deleted, so their ids run without gaps and "the event before" is a rowid
    look-up (ten times faster than a window function over millions of events). The cheap text
    comparison of the UTC times goes first; only what it lets through is worked out in minutes.
    """
    return _rows(db, """
        SELECT e.id, e.at, p.at AS previous_at, c.ref
          FROM events e JOIN events p ON p.id = e.id - 1 LEFT JOIN cases c ON c.id = e.case_id
         WHERE e.at < p.at AND julianday(e.at) < julianday(p.at) - ? / 1440.0
         ORDER BY e.id LIMIT ?""", (skew_minutes, limit))


def consent_not_given(db: Database, self_roles: tuple[str, ...], statuses: tuple[str, ...],
                      closed_reasons: tuple[str, ...], limit: int) -> list[dict]:
    """Cases referred by someone other than the family, in one of `statuses` or closed for one of
    `closed_reasons`, whose latest consent answer is not 'given' (None: never recorded)."""
    return _rows(db, f"""
        SELECT ref, status, answer FROM (
            SELECT c.ref, c.status,
                   (SELECT k.answer FROM consents k WHERE k.case_id = c.id
                     ORDER BY k.id DESC LIMIT 1) AS answer
              FROM cases c
             WHERE c.referrer_role NOT IN ({_marks(self_roles)})
               AND (c.status IN ({_marks(statuses)}) OR c.closed_reason IN ({_marks(closed_reasons)}))
             ORDER BY c.id)
         WHERE answer IS NOT 'given' LIMIT ?""", (*self_roles, *statuses, *closed_reasons, limit))


def chain_breaks(db: Database, limit: int) -> list[dict]:
    """The links of the audit trail's hash chain that do not hold, in order, at most `limit`.

    Each is {id, ref, action, at, broken}: `missing` (events before `id` are gone, from
    `missing_from`), `unhashed` (no hash: not written by kidsmed) or `changed` (the hash does not
    follow from the event and the one before it). Every link is checked against the hash the
    event before it carries, so one changed event is one break, not a break for every later one.
    """
    found, expected_id, previous = [], 1, events.GENESIS
    try:
        for event_id, stored, *event in events.chain(db):
            if event_id != expected_id:
                broken = "missing" if event_id > expected_id else "changed"
            elif stored is None:
                broken = "unhashed"
            elif stored != events.event_hash(previous, event_id, tuple(event)):
                broken = "changed"
            else:
                broken = None
            if broken:
                found.append({"id": event_id, "case_id": event[2], "action": event[3], "at": event[0],
                              "broken": broken, "missing_from": expected_id})
                if len(found) == limit:
                    break
            expected_id, previous = event_id + 1, stored
        refs = {row["id"]: row["ref"] for row in _rows(db, f"SELECT id, ref FROM cases WHERE id IN "
                                                           f"({_marks(found)})", tuple(f["case_id"] for f in found))}
    except sqlite3.DatabaseError as exc:
        raise explain(exc, db.path) from None
    return [{**f, "ref": refs.get(f.pop("case_id"))} for f in found]


def erased_but_holding(db: Database, limit: int) -> list[dict]:
    """Anonymised cases that hold a personal value again (put back by hand): {ref, erased_at, place},
    `place` being the first table of erasure's list that holds one. One pass over the cases, with
    an indexed look-up in each place."""
    places = " ".join(f"WHEN EXISTS (SELECT 1 FROM {table} p WHERE p.{key} = c.id"
                      f" AND ({erasure.holding(columns, 'p.')})) THEN '{table}'"
                      for table, (key, columns) in erasure.PLACES.items())
    return _rows(db, f"""
        SELECT * FROM (SELECT c.ref, c.erased_at, CASE {places} END AS place
                         FROM cases c WHERE c.erased_at IS NOT NULL ORDER BY c.id)
         WHERE place IS NOT NULL LIMIT ?""", (limit,))


def audit_guards(db: Database) -> dict[str, str]:
    """The triggers on the events table, by name, with their SQL."""
    return {row["name"]: row["sql"] for row in _rows(
        db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")}


def backup_files(db: Database, limit: int) -> list[str]:
    """The files `kidsmed backup` has written, most recent first."""
    return [row["file"] for row in _rows(db, """
        SELECT json_extract(detail, '$.file') AS file, max(id) AS latest FROM events
         WHERE case_id IS NULL AND action = 'backup'
         GROUP BY file ORDER BY latest DESC LIMIT ?""", (limit,))]


def file_modes(db: Database, backups: list[str]) -> list[dict]:
    """The permission bits and owners of the database's folder, its files and the backups that
    still exist. A database reached through a symbolic link is looked at where the link leads
    (SQLite keeps its -wal and -shm there); `via` names the link.

    `shared` says the file's folder is set up for a group of staff (setgid, nothing for others);
    `mine` that the user running kidsmed owns it.
    """
    if db.path == ":memory:":
        return []
    link = Path(db.path).absolute()
    path = link.resolve()
    via = {path: str(link)} if link != path else {}
    candidates = [(path.parent, True), (path, False),
                  *((Path(f"{path}{suffix}"), False) for suffix in ("-wal", "-shm", "-journal")),
                  *((Path(b), False) for b in backups)]
    modes = []
    for candidate, is_folder in candidates:
        try:
            status = candidate.stat()
            folder_mode = (candidate if is_folder else candidate.parent).stat().st_mode
        except OSError:  # not there (no -wal between sessions, a backup since deleted)
            continue
        modes.append({"path": str(candidate), "mode": status.st_mode & 0o7777, "folder": is_folder,
                      "shared": bool(folder_mode & 0o2000) and not folder_mode & 0o007,
                      "mine": status.st_uid == os.geteuid(), "owner": _user_name(status.st_uid),
                      "via": via.get(candidate)})
    return modes


def _user_name(uid: int) -> str:
    import pwd

    try:
        return f"user {pwd.getpwuid(uid).pw_name}"
    except KeyError:  # a uid with no name here
        return f"user id {uid}"


def partial_files(db: Database, backups: list[str]) -> list[str]:
    """Partial copies left by a killed backup or restore beside the database or its backups."""
    if db.path == ":memory:":
        return []
    folders = {Path(db.path).resolve().parent, *(Path(b).parent for b in backups)}
    return [str(path) for folder in sorted(folders) for path in stale_partials(folder)]
