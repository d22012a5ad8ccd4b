"""The calendar as this case book knows it: the law's bank holidays plus what staff added.

Adding a bank holiday moves the due date of every running clock whose window holds it,
each move audited on its case. A closure day only blocks bookings: the law's working days
are not the office's, so a closure never moves a clock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from kidsmed.domain import clocks as rules
from kidsmed.domain.calendar import Calendar
from kidsmed.domain.dates import format_date, format_time, utc, utc_bound, year_in_range
from kidsmed.domain.text import limited
from kidsmed.errors import BadInput, Refused
from kidsmed.store import clocks as clock_store
from kidsmed.store import events
from kidsmed.store import holidays as store
from kidsmed.store import sessions as session_store
from kidsmed.store.db import Database

GOVUK_DIVISION = "england-and-wales"
GOVUK_FIX = "give GOV.UK's bank-holidays.json (https://www.gov.uk/bank-holidays.json)"


def calendar_from(db: Database) -> Calendar:
    rows = store.added(db)
    return Calendar(
        extra_bank_holidays={date.fromisoformat(r["date"]): r["name"] for r in rows
                             if r["kind"] == "bank-holiday"},
        closures={date.fromisoformat(r["date"]): r["name"] for r in rows if r["kind"] == "closure"},
    )


@dataclass
class Change:
    """What adding days did: the days added, how many were known already, the clocks moved."""

    added: list[dict] = field(default_factory=list)  # {date, name, kind}
    already_known: int = 0
    moved: list[dict] = field(default_factory=list)  # {ref, rule, old_due_on, new_due_on}
    warnings: list[str] = field(default_factory=list)
    to_move: list[dict] = field(default_factory=list)  # sessions booked on the days added: {ref, number, ...}


def listing(db: Database, year: int) -> list[dict]:
    """The bank holidays and closure days of `year`, each saying where it came from."""
    return [{"date": h.date.isoformat(), "name": h.name, "kind": h.kind, "source": h.source,
             "note": h.note} for h in calendar_from(db).holidays(year)]


def add(db: Database, now: datetime, user: str, day: date, name: str, closure: bool = False,
        force: bool = False) -> Change:
    """Add a newly announced bank holiday, or a day the office is closed.

    A closure over booked sessions is refused unless `force`: the office chose the day and may
    choose another. A bank holiday is the law's, so it is added and its sessions listed to move.
    """
    kind = "closure" if closure else "bank-holiday"
    day, name = _checked(day, name)
    with db.transaction():
        cal = calendar_from(db)
        _check_new(cal, day, kind)
        booked = _booked_on(db, [day])
        if closure and booked and not force:
            raise Refused(f"{format_date(day)} has {len(booked)} session{'s' if len(booked) != 1 else ''} booked: "
                          + ", ".join(map(session_words, booked)),
                          f"move {'them' if len(booked) != 1 else 'it'} first, or add --force to close the day"
                          f" and move {'them' if len(booked) != 1 else 'it'} afterwards")
        return _add_days(db, now, user, kind, {day: name}, already_known=0)


def import_govuk(db: Database, now: datetime, user: str, text: str) -> Change:
    """Add the bank holidays in GOV.UK's bank-holidays.json that this case book does not know."""
    days = parse_govuk(text)
    with db.transaction():
        cal = calendar_from(db)
        # A weekend day is never a working day: adding it would change nothing.
        new = {day: name for day, name in days.items() if cal.is_working_day(day)}
        change = _add_days(db, now, user, "bank-holiday", new, already_known=len(days) - len(new))
        change.warnings = _moved_away(cal, days)
        return change


def parse_govuk(text: str) -> dict[date, str]:
    """The england-and-wales days of a GOV.UK bank-holidays.json, or BadInput saying why not."""
    try:
        found = json.loads(text)[GOVUK_DIVISION]["events"]
        days = [(date.fromisoformat(event["date"]), str(event["title"])) for event in found]
    except json.JSONDecodeError:
        raise BadInput("the file is not JSON", GOVUK_FIX) from None
    except RecursionError:  # thousands of nested brackets: no bank-holidays.json looks like that
        raise BadInput("the file is nested too deeply to be a list of bank holidays", GOVUK_FIX) from None
    except (KeyError, TypeError, ValueError):
        raise BadInput(f"the file has no {GOVUK_DIVISION} events with a date and a title", GOVUK_FIX) from None
    return dict(_checked(day, title) for day, title in days)


def _moved_away(cal: Calendar, days: dict[date, str]) -> list[str]:
    """Regular bank holidays the file names on another date: moved days kidsmed still counts.

    A move (the 2022 spring bank holiday went to 2 June) is a fact for the data file; until
    kidsmed ships it, the old day stays a bank holiday here, and staff should know.
    """
    return [
        f"the file moves {known.name} from {format_date(known.date)} to {format_date(day)}, but kidsmed "
        f"still counts {format_date(known.date)} as a bank holiday — ask for a kidsmed update "
        "(moved days are kept in its data file)"
        for day, title in sorted(days.items())
        for known in cal.holidays(day.year)
        if known.kind == "bank-holiday" and known.date != day and known.date not in days
        and title.startswith(known.name)
    ]


def _checked(day: date, name: str) -> tuple[date, str]:
    """A day and its name as `holidays add` and `holidays import` both take them, or BadInput."""
    year_in_range(day.year, f"the holiday on {day.isoformat()} is outside the years kidsmed's calendar covers")
    return day, _checked_name(name)


def _checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise BadInput("the holiday needs a name", 'e.g. kidsmed holidays add 4/6/2029 "Extra bank holiday"')
    if not name.isprintable():
        raise BadInput("the holiday name is not plain text", "type it again without control characters")
    return limited(name, "name", "the holiday name")


def _check_new(cal: Calendar, day: date, kind: str) -> None:
    known = {(h.date, h.kind): h.name for h in cal.holidays(day.year)}
    words = "a bank holiday" if kind == "bank-holiday" else "a closure day"
    if day.weekday() >= 5:
        raise Refused(f"{format_date(day)} is a weekend day, never a working day",
                      "add the weekday announced instead")
    if (day, "bank-holiday") in known:
        raise Refused(f"{format_date(day)} is already a bank holiday ({known[day, 'bank-holiday']})",
                      "nothing to add" if kind == "bank-holiday" else "the office is shut that day anyway")
    if (day, kind) in known:
        raise Refused(f"{format_date(day)} is already {words} ({known[day, kind]})", "nothing to add")


def _add_days(db: Database, now: datetime, user: str, kind: str, days: dict[date, str],
              already_known: int) -> Change:
    change = Change(already_known=already_known)
    for day, name in sorted(days.items()):
        store.insert(db, day.isoformat(), name, kind, utc(now), user)
        events.record(db, utc(now), user, None, "holiday-added",
                      {"date": day.isoformat(), "name": name, "kind": kind})
        change.added.append({"date": day.isoformat(), "name": name, "kind": kind})
    if kind == "bank-holiday" and days:
        change.moved = _move_clocks(db, now, user, sorted(days))
    change.to_move = _booked_on(db, sorted(days))
    return change


def _booked_on(db: Database, days: list[date]) -> list[dict]:
    """The sessions still booked on these days, in time order."""
    return [session for day in days for session in session_store.between(
        db, utc_bound(day), utc_bound(day + timedelta(days=1))) if session["status"] == "booked"]


def session_words(session: dict) -> str:
    """'session 2 of KM-2026-0862 (10:00–13:00, Jo Mediator)'"""
    start, end = (format_time(datetime.fromisoformat(session[key])) for key in ("start", "end"))
    return f"session {session['number']} of {session['ref']} ({start}–{end}, {session['mediator']})"


def _move_clocks(db: Database, now: datetime, user: str, new_days: list[date]) -> list[dict]:
    """Work out again every running clock whose window holds a new bank holiday; audit each move.

    The family's appeal deadline is worked out with its case's decision date, on the clock and
    on the certificate's letter alike (see certificates.rework_appeal)."""
    from kidsmed.domain import case_clocks, certificates  # they count on this module's calendar

    cal = calendar_from(db)
    because = {"bank_holidays_added": [d.isoformat() for d in new_days]}
    moved, appeals = [], {}
    for clock in clock_store.running_across(db, new_days[0].isoformat(), new_days[-1].isoformat()):
        case = {"id": clock["case_id"], "ref": clock["ref"], "decision_date": clock["decision_date"]}
        if clock["rule"] == rules.APPEAL:
            appeals[case["id"]] = case
        elif rules.rule(clock["rule"]).unit != "working-days":
            continue  # calendar days and weeks end where they end, bank holiday or not
        elif move := case_clocks.move_due(db, now, user, case, clock, rules.due_date(
                clock["rule"], date.fromisoformat(clock["started_on"]), cal), because):
            moved.append(move)
    for case in appeals.values():
        moved.extend(certificates.rework_appeal(db, now, user, case, because))
    return moved
