"""Queries over cases and the personal details kept beside them."""

import json

from kidsmed.store.db import Database

CASE_COLUMNS = (
    "kind", "status", "received_at", "received_on", "referrer_role", "referrer_org",
    "local_authority", "other_party", "issues", "decision_date", "consent_status",
)
PERSONAL_COLUMNS = (
    "referrer_name", "family_name", "relationship", "phone", "email",
    "child_name", "child_dob", "setting", "referrer_phone", "address", "preferred_contact",
)
# Who handles the case and when to chase whom next; what to chase is free text, so personal.
CASELOAD_COLUMNS = ("owner", "chase_on", "chase_party", "chase_auto", "last_contact_on")
CHASE_PERSONAL = ("chase_what",)


def next_sequence(db: Database, year: int) -> int:
    """The next reference number in `year`, after any this book or a book it replaced issued;
    call inside the write transaction that uses it."""
    return db.scalar("SELECT max(last) + 1 FROM (SELECT coalesce(max(seq), 0) AS last FROM cases WHERE year = ?"
                     " UNION ALL SELECT last_seq FROM issued_references WHERE year = ?)", (year, year))


def insert_case(db: Database, ref: str, year: int, seq: int, user: str, values: dict) -> int:
    """A new case from its column values; the personal ones go to case_personal."""
    row = {column: values.get(column) for column in CASE_COLUMNS + CASELOAD_COLUMNS}
    row["issues"] = json.dumps(values["issues"])
    columns = ", ".join(["ref", "year", "seq", "created_by", *row])
    marks = ", ".join("?" for _ in range(4 + len(row)))
    case_id = db.execute(
        f"INSERT INTO cases ({columns}) VALUES ({marks})", (ref, year, seq, user, *row.values())
    ).lastrowid
    db.execute(
        f"INSERT INTO case_personal (case_id, {', '.join(PERSONAL_COLUMNS)})"
        f" VALUES (?, {', '.join('?' for _ in PERSONAL_COLUMNS)})",
        (case_id, *(values.get(column) for column in PERSONAL_COLUMNS)),
    )
    return case_id


def get_case(db: Database, ref: str) -> dict | None:
    personal = ", ".join(f"p.{column}" for column in PERSONAL_COLUMNS + CHASE_PERSONAL)
    row = db.one(
        f"SELECT c.*, {personal} FROM cases c LEFT JOIN case_personal p ON p.case_id = c.id"
        " WHERE c.ref = ?",
        (ref,),
    )
    return None if row is None else _case(row)


def _case(row) -> dict:
    case = dict(row)
    case["issues"] = json.loads(case["issues"])
    return case


def update_case(db: Database, case_id: int, changes: dict) -> None:
    """Write changed columns; personal columns go to case_personal."""
    for table, key, allowed in (
        ("cases", "id", CASE_COLUMNS + CASELOAD_COLUMNS
         + ("closed_on", "closed_reason", "erased_at", "appeal_lodged_on")),
        ("case_personal", "case_id", PERSONAL_COLUMNS + CHASE_PERSONAL),
    ):
        values = {c: v for c, v in changes.items() if c in allowed}
        if c := values.get("issues"):
            values["issues"] = json.dumps(c)
        if values:
            assignments = ", ".join(f"{column} = ?" for column in values)
            db.execute(f"UPDATE {table} SET {assignments} WHERE {key} = ?", (*values.values(), case_id))


def add_personal_history(db: Database, case_id: int, event_id: int, field: str, old, new) -> None:
    db.execute(
        "INSERT INTO personal_history (case_id, event_id, field, old_value, new_value)"
        " VALUES (?, ?, ?, ?, ?)",
        (case_id, event_id, field, old, new),
    )


def add_note(db: Database, case_id: int, event_id: int, text: str) -> None:
    db.execute(
        "INSERT INTO notes (case_id, event_id, text) VALUES (?, ?, ?)", (case_id, event_id, text)
    )


def list_cases(db: Database, filters: dict, limit: int | None) -> tuple[list[dict], int]:
    """Cases newest first (at most `limit`), and how many match in all.

    `filters` may hold status, kind, la, received_from, received_to (ISO dates) and search,
    which matches refs, names, organisations and settings.
    """
    where, params = _where(filters)
    base = " FROM cases c LEFT JOIN case_personal p ON p.case_id = c.id" + where
    # Only a text search needs the personal details to count; without it the index alone does.
    total = db.scalar("SELECT count(*)" + (base if filters.get("search") else " FROM cases c" + where), params)
    sql = ("SELECT c.*, p.family_name, p.child_name, p.chase_what" + base
           # received_on leads so that the (status, received_on) index gives the order.
           + " ORDER BY c.received_on DESC, c.received_at DESC, c.id DESC"
           + (" LIMIT ?" if limit else ""))
    return [_case(row) for row in db.query(sql, params + ((limit,) if limit else ()))], total


def _where(filters: dict) -> tuple[str, tuple]:
    clauses, params = [], []
    for clause, key in (
        ("c.status = ?", "status"),
        ("c.kind = ?", "kind"),
        ("c.owner = ?", "owner"),
        ("c.local_authority = ? COLLATE NOCASE", "la"),
        ("c.received_on >= ?", "received_from"),
        ("c.received_on <= ?", "received_to"),
    ):
        if filters.get(key) is not None:
            clauses.append(clause)
            params.append(filters[key])
    if search := filters.get("search"):
        fields = ("c.ref", "c.referrer_org", "c.local_authority", "p.family_name",
                  "p.child_name", "p.referrer_name", "p.setting")
        clauses.append("(" + " OR ".join(f"{f} LIKE ?" for f in fields) + ")")
        params.extend([f"%{search}%"] * len(fields))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)


def agreements(db: Database, case_id: int) -> list[dict]:
    return [dict(r) for r in db.query(
        "SELECT party, answer, contact, on_date, recorded_by, recorded_at, note FROM agreements"
        " WHERE case_id = ? ORDER BY id", (case_id,))]


def latest_consent(db: Database, case_id: int) -> dict | None:
    row = db.one(
        "SELECT answer, given_by, relationship, method, on_date, recorded_by, recorded_at, note"
        " FROM consents WHERE case_id = ? ORDER BY id DESC LIMIT 1", (case_id,))
    return None if row is None else dict(row)


def clocks(db: Database, case_id: int) -> list[dict]:
    return [dict(r) for r in db.query(
        "SELECT id, case_id, rule, start_event, started_on, due_on, state, met_on FROM clocks"
        " WHERE case_id = ? ORDER BY started_on, id", (case_id,))]


def sessions(db: Database, case_id: int) -> list[dict]:
    return [dict(r) for r in db.query(
        "SELECT s.id, s.number, s.start, s.end, m.name AS mediator, v.name AS venue, s.remote,"
        " s.la_officer, s.status, s.outcome FROM sessions s"
        " JOIN mediators m ON m.id = s.mediator_id LEFT JOIN venues v ON v.id = s.venue_id"
        " WHERE s.case_id = ? ORDER BY s.start_utc, s.id", (case_id,))]


def certificates(db: Database, case_id: int) -> list[dict]:
    return [dict(r) for r in db.query(
        "SELECT number, type, due_on, issued_on, issued_by, on_time, appeal_deadline, appeal_rule"
        " FROM certificates WHERE case_id = ? ORDER BY id", (case_id,))]


def staff_names(db: Database) -> list[str]:
    """Every name that owns a case or mediates: the names staff go by.

    The owners are read one by one, each the next name up in the owner index: a handful of
    look-ups, where DISTINCT would read the index whole (36 ms at 100,000 cases)."""
    owners, last = [], ""
    while (name := db.scalar("SELECT min(owner) FROM cases WHERE owner > ?", (last,))) is not None:
        owners.append(name)
        last = name
    return [*owners, *(row[0] for row in db.query("SELECT name FROM mediators"))]


def open_or_since(db: Database, since: str) -> list[dict]:
    """Every open case, and every case received on or after `since`, with what a repeat referral
    is recognised by: the child's name and date of birth, the family's phone and email."""
    columns = ("SELECT c.ref, c.status, c.received_on, c.local_authority, p.child_name, p.child_dob,"
               " p.phone, p.email FROM cases c JOIN case_personal p ON p.case_id = c.id WHERE ")
    # Two indexed reads (by status, by date received) rather than one scan of every case ever logged.
    return [dict(r) for r in db.query(
        columns + "c.status IN ('awaiting-consent', 'awaiting-agreement', 'ready-to-book', 'booked')"
        " UNION " + columns + "c.received_on >= ? ORDER BY 3 DESC, 1 DESC", (since,))]
