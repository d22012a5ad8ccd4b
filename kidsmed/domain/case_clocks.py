"""Starting, meeting and stopping a case's statutory clocks, each change audited.

The rules themselves (lengths, units, what meets them) are in `kidsmed.domain.clocks`;
this module applies them to a stored case inside the caller's transaction.
"""

from datetime import date, datetime

from kidsmed.domain import clocks as rules
from kidsmed.domain.dates import utc
from kidsmed.domain.holidays import calendar_from
from kidsmed.store import clocks as store
from kidsmed.store import events
from kidsmed.store.db import Database


def start(db: Database, now: datetime, user: str, case: dict, rule: str, start_event: str,
          started_on: date, due: date | None = None) -> date | None:
    """Start `rule` from `start_event` on `started_on`, if it applies to this kind of case; due
    by the rule, or on `due` where what was agreed sets its own day (an agreed action).

    Returns the due date, or None when the rule does not apply (e.g. a certificate clock on a
    disagreement-resolution case).
    """
    if case["kind"] not in rules.rule(rule).kinds:
        return None
    due = due or rules.due_date(rule, started_on, calendar_from(db), decision_of(case))
    store.insert(db, case["id"], rule, start_event, started_on.isoformat(), due.isoformat(),
                 store.FAMILY if rules.rule(rule).informational else "running")
    events.record(db, utc(now), user, case["id"], "clock-started",
                  {"rule": rule, "start_event": start_event, "started_on": started_on.isoformat(),
                   "due_on": due.isoformat()})
    return due


def owed_deemed(db: Database, clocks: list[dict], today: date) -> list[dict]:
    """The certificate-deemed clocks the law owes that nothing has stored yet (DESIGN §2).

    One for each `mediation-within-30-days` clock in `clocks` (stored rows with `case_id`) still
    running after its due date — no session was held — on a case with no certificate-deemed
    clock: it runs from the day after that due date. It is shown wherever clocks are, and
    stored when the certificate is issued.
    """
    late = [c for c in clocks if c["rule"] == rules.THIRTY_DAYS and c["state"] == "running"
            and c["due_on"] < today.isoformat()]
    if not late:
        return []
    have = store.cases_with(db, [c["case_id"] for c in late], rules.DEEMED)
    cal = calendar_from(db)
    owed = []
    for clock in late:
        if clock["case_id"] not in have:
            started, due = rules.deemed_after(date.fromisoformat(clock["due_on"]), cal)
            owed.append({**clock, "id": None, "rule": rules.DEEMED, "start_event": rules.NO_SESSION,
                         "started_on": started.isoformat(), "due_on": due.isoformat(), "met_on": None})
    return owed


def decision_of(case: dict) -> date | None:
    """The day written notice of the LA's decision was sent, if the case knows it."""
    return date.fromisoformat(case["decision_date"]) if case.get("decision_date") else None


def meet(db: Database, now: datetime, user: str, case: dict, rule: str, met_on: date) -> bool:
    """Mark the running `rule` clock met on `met_on`; False if none was running."""
    running = store.running(db, case["id"], rule)
    for clock in running:
        meet_clock(db, now, user, case, clock, met_on)
    return bool(running)


def meet_clock(db: Database, now: datetime, user: str, case: dict, clock: dict, met_on: date) -> None:
    """Mark one stored clock met on `met_on` (late if after its due date), audited."""
    store.set_state(db, clock["id"], "met", met_on.isoformat())
    events.record(db, utc(now), user, case["id"], "clock-met",
                  {"rule": clock["rule"], "met_on": met_on.isoformat(), "due_on": clock["due_on"],
                   "late": met_on.isoformat() > clock["due_on"]})


def move_due(db: Database, now: datetime, user: str, case: dict, clock: dict, due: date,
             because: dict) -> dict | None:
    """Give a running clock the due date worked out again, audited on its case with `because`;
    returns the move ({ref, rule, old_due_on, new_due_on}), or None when the date is the same."""
    if due.isoformat() == clock["due_on"]:
        return None
    store.set_due(db, clock["id"], due.isoformat())
    events.record(db, utc(now), user, case["id"], "clock-due-moved",
                  {"rule": clock["rule"], "due_on": {"old": clock["due_on"], "new": due.isoformat()}, **because})
    return {"ref": case["ref"], "rule": clock["rule"], "old_due_on": clock["due_on"], "new_due_on": due.isoformat()}


def stop_all(db: Database, now: datetime, user: str, case: dict, why: str, on: date) -> list[dict]:
    """Stop every running clock of a case made moot (closed, withdrawn) on `on`; returns them.

    A clock already past its due date on `on` was missed before it became moot: it stays
    `breached` (see clocks.clock_state), and its event says it was late. The family's appeal
    deadline is theirs, not the service's: closing the case never stops it.
    """
    running = store.running(db, case["id"])  # the family's deadline is stored apart: never stopped
    for clock in running:
        store.set_state(db, clock["id"], "stopped", on.isoformat())
        events.record(db, utc(now), user, case["id"], "clock-stopped",
                      {"rule": clock["rule"], "why": why, "stopped_on": on.isoformat(),
                       "due_on": clock["due_on"], "late": on.isoformat() > clock["due_on"]})
    return running
