"""The day's cases: what staff need in front of them when the office opens.

Every section is read through an index (sessions by status and start, clocks by state and
due date, cases by status and date received) and lists at most DAY_LIMIT rows with a count of
all, so the report costs about the same at any size of case book.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from kidsmed.domain import case_clocks
from kidsmed.domain.calendar import Calendar
from kidsmed.domain.clocks import THIRTY_DAYS
from kidsmed.domain.dates import utc_bound
from kidsmed.domain.holidays import calendar_from
from kidsmed.domain.ranges import in_range
from kidsmed.errors import NotFound
from kidsmed.store import clocks as clock_store
from kidsmed.store import reports as store
from kidsmed.store.db import Database

# A case waiting on consent or an agreement for longer than this needs chasing.
WAITING_WORKING_DAYS = 5
# A waiting case with no chase set and no contact for this long has fallen through the gaps.
FORGOTTEN_WORKING_DAYS = 10
# The most rows a section lists (the longest waiting, the most overdue first); `totals` counts all.
DAY_LIMIT = 10  # five sections of ten rows: the day fits one screen


def day_report(db: Database, day: date, *, mediator: str | None = None, owner: str | None = None,
               limit: int = DAY_LIMIT) -> dict:
    """The day's sessions, clocks due or overdue, chases due, referrals received, cases waiting too
    long, past sessions with no outcome, sessions still booked on a day the office is now shut, and
    what has fallen through the gaps (open cases with no owner, waiting cases nobody has touched);
    each section its first `limit` rows, with `totals`.
    `mediator` narrows the two session sections; `owner` (a name `caseload.owner_filter` checked)
    narrows every section to that person's cases and the sessions they mediate, and leaves out
    the cases with no owner, which are nobody's day yet."""
    in_range(limit, "--limit", "e.g. --limit 100")
    if mediator is not None:
        mediator = _mediator(db, mediator)
    cal = calendar_from(db)
    lo, hi = utc_bound(day), utc_bound(day + timedelta(days=1))
    sections = {
        "sessions": store.day_sessions(db, lo, hi, mediator, owner, limit),
        "clocks": store.day_clocks(db, day.isoformat(), clock_store.FAMILY, owner, limit),
        "chases": store.day_chases(db, day.isoformat(), owner, limit),
        "referrals": store.day_referrals(db, day.isoformat(), owner, limit),
        "waiting": store.waiting_since(db, latest_start(day, cal, WAITING_WORKING_DAYS).isoformat(), owner, limit),
        "sessions_without_outcome": store.sessions_without_outcome(db, lo, mediator, owner, limit),
        "sessions_on_days_off": store.sessions_on_days_off(db, day.isoformat(), mediator, owner, limit),
        **({} if owner else {"unowned": store.unowned(db, limit)}),
        "forgotten": store.forgotten(db, latest_start(day, cal, FORGOTTEN_WORKING_DAYS - 1).isoformat(),
                                     owner, limit),
    }
    report = {"date": day.isoformat(), "mediator": mediator, "owner": owner, "limit": limit,
              "totals": {name: total for name, (total, _) in sections.items()}}
    report.update({name: rows for name, (_, rows) in sections.items()})
    _add_owed_deemed(db, report, day, owner, limit)
    for clock in report["clocks"]:
        clock["days_over"] = (day - date.fromisoformat(clock["due_on"])).days
    report["chases"] = [_chase(case, day) for case in report["chases"]]
    report["waiting"] = [_waiting(db, case, day, cal) for case in report["waiting"]]
    for case in report["forgotten"]:
        case["working_days"] = cal.working_days_between(date.fromisoformat(case["last_contact_on"]), day)
    return report


def _add_owed_deemed(db: Database, report: dict, day: date, owner: str | None, limit: int) -> None:
    """A deemed certificate owed because the 30 days ran out is not stored until it is issued:
    list it, due or overdue on `day`, with the stored clocks (of `owner`'s cases, if given)."""
    late = [c for c in clock_store.running_past_due(db, THIRTY_DAYS, day.isoformat())
            if owner is None or c["owner"] == owner]
    owed = [{key: c[key] for key in ("ref", "local_authority", "rule", "started_on", "due_on", "owner")}
            for c in case_clocks.owed_deemed(db, late, day) if c["due_on"] <= day.isoformat()]
    if owed:
        report["totals"]["clocks"] += len(owed)
        report["clocks"] = sorted(report["clocks"] + owed, key=lambda c: (c["due_on"], c["ref"], c["rule"]))[:limit]


def latest_start(day: date, cal: Calendar, working_days: int) -> date:
    """The last date something can have started and be more than `working_days` working days old on `day`."""
    since = day - timedelta(days=1)
    while cal.working_days_between(since, day) <= working_days:
        since -= timedelta(days=1)
    return since


def _mediator(db: Database, name: str) -> str:
    found = store.mediator_name(db, name.strip())
    if found is None:
        shown = "".join(c for c in name if c.isprintable())[:40]
        raise NotFound(f"there is no mediator '{shown}'", "check the name with 'kidsmed mediators list'")
    return found


def _waiting(db: Database, case: dict, day: date, cal: Calendar) -> dict:
    """A waiting case, naming the party holding it up (the family for consent)."""
    from kidsmed.domain.caseload import waiting_on
    from kidsmed.store.cases import agreements

    since = date.fromisoformat(case["since"])
    case["issues"] = json.loads(case["issues"])
    return {
        "ref": case["ref"],
        "waiting_on": "consent" if case["status"] == "awaiting-consent" else "agreement",
        "party": waiting_on(case, agreements(db, case["id"])),
        "since": case["since"],
        "working_days": cal.working_days_between(since, day),
        "local_authority": case["local_authority"],
        "owner": case["owner"],
    }


def _chase(case: dict, day: date) -> dict:
    return {"ref": case["ref"], "status": case["status"], "local_authority": case["local_authority"],
            "owner": case["owner"], "chase": {"on": case["chase_on"], "what": case["chase_what"],
                                              "party": case["chase_party"], "default": bool(case["chase_auto"])},
            "days_over": (day - date.fromisoformat(case["chase_on"])).days}
