"""The deadlines view across all cases (`kidsmed due`), and marking done the clocks no event meets."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from kidsmed.domain import actions, case_clocks, cases, las
from kidsmed.domain import clocks as rules
from kidsmed.domain.dates import LONDON, format_date
from kidsmed.domain.holidays import calendar_from
from kidsmed.domain.ranges import in_range
from kidsmed.errors import BadInput, Refused
from kidsmed.store import clocks as store
from kidsmed.store.db import Database

# The clocks staff mark done by hand: nothing else the service records meets them.
MARKED_DONE = ("health-notice", "agreement-actions")
# How every other clock is met, as the fix in the refusal.
MET_BY_EVENT = {
    "certificate-after-decline": "issue the certificate with 'kidsmed certificate issue {ref}'",
    "certificate-deemed": "issue the certificate with 'kidsmed certificate issue {ref}'",
    "certificate-after-mediation": "issue the certificate with 'kidsmed certificate issue {ref}'",
    "mediation-within-30-days": "record the first session with 'kidsmed schedule outcome {ref}'",
    "appeal-deadline": "it is the family's own deadline: record their appeal with "
                       "'kidsmed appeal {ref} --lodged-on DATE'",
}


def unmet(db: Database, today: date, *, overdue: bool = False, within: int | None = None,
          la: str | None = None, owner: str | None = None) -> list[dict]:
    """Running clocks across all cases (or one owner's), soonest due first.

    `overdue`: only those past due; `within`: only those due in the next `within` days
    (overdue ones included: they are the most urgent of all).
    """
    in_range(within, "--within", "the number of days ahead, e.g. --within 7")
    due_before = today if overdue else None
    if within is not None and not overdue:
        due_before = today + timedelta(days=within + 1)
    cal = calendar_from(db)
    running = store.unmet(db, today.isoformat(), due_before=due_before.isoformat() if due_before else None,
                          la=las.filter_name(db, la), owner=owner)
    # A deemed certificate owed because the 30 days ran out is listed though not yet stored.
    owed = [c for c in case_clocks.owed_deemed(db, running, today)
            if due_before is None or c["due_on"] < due_before.isoformat()]
    return [_row(clock, today, cal) for clock in sorted(running + owed, key=lambda c: c["due_on"])]


def _row(clock: dict, today: date, cal) -> dict:
    started, due = date.fromisoformat(clock["started_on"]), date.fromisoformat(clock["due_on"])
    return {
        "ref": clock["ref"],
        "rule": clock["rule"],
        "local_authority": clock["local_authority"],
        "owner": clock["owner"],
        "start_event": clock["start_event"],
        "started_on": clock["started_on"],
        "due_on": clock["due_on"],
        "due": format_date(due),
        "state": rules.clock_state("running", due, None, today, clock["rule"]),
        "days_over": max((today - due).days, 0),
        "description": rules.describe(clock["rule"], started, due, clock["start_event"], today, cal),
    }


def mark_done(db: Database, now: datetime, user: str, ref: str, rule_name: str,
              on: date | None = None, action: str | None = None) -> tuple[cases.Result, dict]:
    """Meet a `health-notice` or `agreement-actions` clock (of one agreed `action`, if the case has
    several); returns the case and the clock met."""
    rule = rules.rule(rule_name.strip().lower())
    today = now.astimezone(LONDON).date()
    on = on or today
    with db.transaction():
        case = cases.get(db, ref)
        if rule.name not in MARKED_DONE:
            raise Refused(f"{rule.name} is met when {rule.met_by}, not marked done",
                          MET_BY_EVENT[rule.name].format(ref=case["ref"]))
        clock = _to_mark(db, case, rule.name, action)
        if on > today:
            raise BadInput(f"{format_date(on)} is in the future", "give the day it was done with --on")
        if on.isoformat() < clock["started_on"]:
            raise BadInput(f"{format_date(on)} is before the clock started "
                           f"({format_date(date.fromisoformat(clock['started_on']))})", "check --on")
        case_clocks.meet_clock(db, now, user, case, clock, on)
        return cases.Result(cases.case_view(db, case["ref"], now)), {**clock, "met_on": on.isoformat()}


def _to_mark(db: Database, case: dict, rule: str, action: str | None) -> dict:
    if rule == actions.RULE:
        return actions.running_for(db, case, action)
    if action is not None:
        raise BadInput("--action says which agreed action was done", f"use it with {actions.RULE}")
    running = store.running(db, case["id"], rule)
    if not running:
        raise Refused(f"{case['ref']} has no running {rule} clock", f"see its clocks with 'kidsmed show {case['ref']}'")
    return running[0]
