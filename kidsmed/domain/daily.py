"""The day's cases: what staff need in front of them when the office opens.

Every section is read through an index (sessions by status and start, clocks by state and
due date, cases by status and date received) and lists at most DAY_LIMIT rows with a count of
all, so the report costs about the same at any size of case book.
"""

from __future__ import annotations

from datetime import date, timedelta

from kidsmed.domain import case_clocks
from kidsmed.domain.calendar import Calendar
from kidsmed.domain.clocks import INFORMATIONAL, THIRTY_DAYS
from kidsmed.domain.dates import utc_bound
from kidsmed.domain.holidays import calendar_from
from kidsmed.errors import BadInput, NotFound
from kidsmed.store import clocks as clock_store
from kidsmed.store import reports as store
from kidsmed.store.db import Database

# A case waiting on consent or an agreement for longer than this needs chasing.
WAITING_WORKING_DAYS = 5
# The most rows a section lists (the longest waiting, the most overdue first); `totals` counts all.
DAY_LIMIT = 10  # five sections of ten rows: the day fits one screen


def day_report(db: Database, day: date, *, mediator: str | None = None, limit: int = DAY_LIMIT) -> dict:
    """The day's sessions, clocks due or overdue, referrals received, cases waiting too long,
    past sessions with no outcome and sessions still booked on a day the office is now shut;
    each section its first `limit` rows, with `totals`. `mediator` narrows the session sections."""
    if limit < 1:
        raise BadInput("--limit must be at least 1", "e.g. --limit 100")
    if mediator is not None:
        mediator = _mediator(db, mediator)
    cal = calendar_from(db)
    lo, hi = utc_bound(day), utc_bound(day + timedelta(days=1))
    sections = {
        "sessions": store.day_sessions(db, lo, hi, mediator, limit),
        "clocks": store.day_clocks(db, day.isoformat(), INFORMATIONAL, limit),
        "referrals": store.day_referrals(db, day.isoformat(), limit),
        "waiting": store.waiting_since(db, latest_waiting_start(day, cal).isoformat(), limit),
        "sessions_without_outcome": store.sessions_without_outcome(db, lo, mediator, limit),
        "sessions_on_days_off": store.sessions_on_days_off(db, day.isoformat(), mediator, limit),
    }
    report = {"date": day.isoformat(), "mediator": mediator, "limit": limit,
              "totals": {name: total for name, (total, _) in sections.items()}}
    report.update({name: rows for name, (_, rows) in sections.items()})
    _add_owed_deemed(db, report, day, limit)
    for clock in report["clocks"]:
        clock["days_over"] = (day - date.fromisoformat(clock["due_on"])).days
    report["waiting"] = [_waiting(case, day, cal) for case in report["waiting"]]
    return report


def _add_owed_deemed(db: Database, report: dict, day: date, limit: int) -> None:
    """A deemed certificate owed because the 30 days ran out is not stored until it is issued:
    list it, due or overdue on `day`, with the stored clocks."""
    late = clock_store.running_past_due(db, THIRTY_DAYS, day.isoformat())
    owed = [{key: c[key] for key in ("ref", "local_authority", "rule", "started_on", "due_on")}
            for c in case_clocks.owed_deemed(db, late, day) if c["due_on"] <= day.isoformat()]
    if owed:
        report["totals"]["clocks"] += len(owed)
        report["clocks"] = sorted(report["clocks"] + owed, key=lambda c: (c["due_on"], c["ref"], c["rule"]))[:limit]


def latest_waiting_start(day: date, cal: Calendar) -> date:
    """The last date a case can have started waiting and be waiting more than 5 working days on `day`."""
    since = day - timedelta(days=1)
    while cal.working_days_between(since, day) <= WAITING_WORKING_DAYS:
        since -= timedelta(days=1)
    return since


def _mediator(db: Database, name: str) -> str:
    found = store.mediator_name(db, name.strip())
    if found is None:
        shown = "".join(c for c in name if c.isprintable())[:40]
        raise NotFound(f"there is no mediator '{shown}'", "check the name with 'kidsmed mediators list'")
    return found


def _waiting(case: dict, day: date, cal: Calendar) -> dict:
    since = date.fromisoformat(case["since"])
    return {
        "ref": case["ref"],
        "waiting_on": "consent" if case["status"] == "awaiting-consent" else "agreement",
        "since": case["since"],
        "working_days": cal.working_days_between(since, day),
        "local_authority": case["local_authority"],
    }
