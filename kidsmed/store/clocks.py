"""Stored statutory clocks."""

from kidsmed.store.db import Database

# The stored state of the family's own deadline while it runs (DESIGN §2: never breached). Kept
# apart from 'running' so that the service's lists read past deadlines through the index, never
# every family's deadline that has passed.
FAMILY = "family"


def insert(db: Database, case_id: int, rule: str, start_event: str, started_on: str, due_on: str,
           state: str = "running") -> int:
    return db.execute(
        "INSERT INTO clocks (case_id, rule, start_event, started_on, due_on, state) VALUES (?, ?, ?, ?, ?, ?)",
        (case_id, rule, start_event, started_on, due_on, state),
    ).lastrowid


def running(db: Database, case_id: int, rule: str | None = None, state: str = "running") -> list[dict]:
    """The case's clocks still running (`state` FAMILY: the family's own deadline), oldest first."""
    sql = "SELECT * FROM clocks WHERE case_id = ? AND state = ?"
    params: tuple = (case_id, state)
    if rule:
        sql += " AND rule = ?"
        params += (rule,)
    return [dict(r) for r in db.query(sql + " ORDER BY id", params)]


def set_state(db: Database, clock_id: int, state: str, on: str) -> None:
    """End a clock: `met` or `stopped` on the day `on` (kept in met_on for both)."""
    db.execute("UPDATE clocks SET state = ?, met_on = ? WHERE id = ?", (state, on, clock_id))


def latest(db: Database, case_id: int, rule: str) -> dict | None:
    """The case's newest `rule` clock, whatever its state."""
    row = db.one("SELECT * FROM clocks WHERE case_id = ? AND rule = ? ORDER BY id DESC LIMIT 1", (case_id, rule))
    return dict(row) if row else None


def cases_with(db: Database, case_ids: list[int], rule: str) -> set[int]:
    """Which of the cases have a `rule` clock, in any state."""
    marks = ", ".join("?" for _ in case_ids) or "NULL"
    return {row["case_id"] for row in db.query(
        f"SELECT DISTINCT case_id FROM clocks WHERE rule = ? AND case_id IN ({marks})", (rule, *case_ids))}


def running_past_due(db: Database, rule: str, day: str) -> list[dict]:
    """Running `rule` clocks, across all cases, due before `day` (through clocks_state_due)."""
    return [dict(r) for r in db.query(_RUNNING_WITH_CASE + " AND k.due_on < ? AND k.rule = ? ORDER BY k.due_on, k.id",
                                      (day, rule))]


def replace(db: Database, clock_id: int, start_event: str, due_on: str) -> None:
    """A running clock now stands for something more precise (an agreed action), due on its own day."""
    db.execute("UPDATE clocks SET start_event = ?, due_on = ? WHERE id = ?", (start_event, due_on, clock_id))


def set_due(db: Database, clock_id: int, due_on: str) -> None:
    db.execute("UPDATE clocks SET due_on = ? WHERE id = ?", (due_on, clock_id))


# The queries below read the running clocks through the clocks_state_due index
# (state, due_on), so they cost the same however many closed cases the book holds.
_WITH_CASE = (
    "SELECT k.id, k.case_id, k.rule, k.start_event, k.started_on, k.due_on, k.state,"
    " c.ref, c.kind, c.local_authority, c.decision_date, c.owner"
    " FROM clocks k JOIN cases c ON c.id = k.case_id"
)
_RUNNING_WITH_CASE = _WITH_CASE + " WHERE k.state = 'running'"


def unmet(db: Database, today: str, *, due_before: str | None = None,
          la: str | None = None, owner: str | None = None) -> list[dict]:
    """Running clocks across all cases, soonest due first; `due_before` is exclusive. The family's
    own deadline is listed only until its day has passed (two index ranges, however many have)."""
    sql = _WITH_CASE + f" WHERE (k.state = 'running' OR (k.state = '{FAMILY}' AND k.due_on >= ?))"
    params: list = [today]
    if due_before is not None:
        sql += " AND k.due_on < ?"
        params.append(due_before)
    if la is not None:
        sql += " AND c.local_authority = ? COLLATE NOCASE"
        params.append(la)
    if owner is not None:
        sql += " AND c.owner = ?"
        params.append(owner)
    return [dict(r) for r in db.query(sql + " ORDER BY k.due_on, k.id", tuple(params))]


def running_across(db: Database, first: str, last: str) -> list[dict]:
    """Running clocks whose window (started_on, due_on] could hold a day from `first` to `last`."""
    return [dict(r) for r in db.query(
        _WITH_CASE + f" WHERE k.state IN ('running', '{FAMILY}') AND k.due_on >= ? AND k.started_on < ?"
        " ORDER BY k.due_on, k.id", (first, last))]
