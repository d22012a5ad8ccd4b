"""Sessions: booking them safely, moving and cancelling them, and recording how they went.

Times are Europe/London wall time — a 10:00 session is at 10:00 whichever side of a
clock change it falls — and clashes are checked on the UTC instants stored beside them.
What can never be booked (a closed day, outside 09:00–17:00, a double-booked mediator or
venue) is refused with the nearest free slot; what staff may override (short notice, past
the 30-day deadline, a time in the past) needs `force` and a reason, which is audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from kidsmed.domain import case_clocks, gates, las, registry
from kidsmed.domain.calendar import Calendar
from kidsmed.domain.cases import Result, case_view, utc
from kidsmed.domain.cases import get as get_case
from kidsmed.domain.clocks import RULES
from kidsmed.domain.dates import LONDON, format_date, format_datetime, format_span, session_span
from kidsmed.domain.holidays import calendar_from
from kidsmed.domain.ranges import RANGES, in_range, span
from kidsmed.domain.registry import MEDIATORS, VENUES
from kidsmed.domain.text import limited
from kidsmed.domain.vocab import choose
from kidsmed.errors import BadInput, NotFound, Refused
from kidsmed.store import book as book_store
from kidsmed.store import cases as case_store
from kidsmed.store import clocks as clock_store
from kidsmed.store import events
from kidsmed.store import sessions as store
from kidsmed.store.db import Database

DAY_START, DAY_END = time(9), time(17)
# A session lasts from half an hour to the whole bookable day (09:00 to 17:00), however it is typed.
SHORTEST, LONGEST = (timedelta(hours=h) for h in RANGES["--hours"])
DEFAULT_HOURS = 3
NOTICE_WORKING_DAYS = 5
SUGGESTION_STEP = timedelta(minutes=30)
SUGGESTION_DAYS = 30  # how far either side of the day asked for to look for a free slot
LIST_DAYS = 14
THIRTY_DAYS = "mediation-within-30-days"
REMOTE = ("video", "phone")
CONCLUDING = ("agreement", "partial", "no-agreement")
RESULTS = (*CONCLUDING, "adjourned", "did-not-proceed")
HELD = (*CONCLUDING, "adjourned")  # the session took place: the 30-day clock is met
CONCLUDED = "the mediation has concluded"
AGREED = {"agreement": "agreement reached", "partial": "partial agreement reached"}


@dataclass
class Booking:
    """What staff asked for on `schedule book`."""

    at: datetime
    mediator: str
    hours: float | None = None
    until: time | None = None
    venue: str | None = None
    remote: str | None = None
    la_officer: str | None = None
    short_notice_agreed: bool = False
    force: bool = False
    reason: str | None = None


@dataclass
class SessionResult(Result):
    """A write command's result, with the session it booked, moved, cancelled or finished."""

    session: dict = field(default_factory=dict)
    was: dict | None = None  # the session before a move


@dataclass
class Slot:
    """A session's place in time, and who and where it ties up."""

    start: datetime
    end: datetime
    mediator: dict
    venue: dict | None
    la_officer: str | None
    moving: int | None = None  # the session being moved, which cannot clash with itself

    @property
    def span(self) -> str:
        return format_span(self.start, self.end)


# --- booking -------------------------------------------------------------------------------

def book(db: Database, now: datetime, user: str, ref: str, booking: Booking) -> SessionResult:
    """Book a session for a case every party has agreed to; the case becomes `booked`."""
    start, end = _span(booking)
    remote = _remote(booking)
    reason = _force_reason(booking.force, booking.reason)
    la_officer = limited(" ".join((booking.la_officer or "").split()) or None, "name", "--la-officer")
    with db.transaction():
        case = get_case(db, ref)
        gates.check_can_book(db, case)
        venue = registry.bookable(db, VENUES, booking.venue) if booking.venue else None
        slot = Slot(start, end, registry.bookable(db, MEDIATORS, booking.mediator), venue, la_officer)
        overridden, warnings = _check_slot(db, now, case, slot, force=booking.force,
                                           notice_agreed=booking.short_notice_agreed,
                                           override="add --force --reason TEXT to book anyway")
        session_id = store.insert(db, {
            "case_id": case["id"], **_times(slot), "mediator_id": slot.mediator["id"],
            "venue_id": venue["id"] if venue else None, "remote": remote, "la_officer": la_officer,
            "status": "booked", "booked_at": utc(now), "booked_by": user, "force_reason": reason,
        })
        _record(db, now, user, case, "session-booked", {
            "session": session_id, "start": slot.start.isoformat(), "end": slot.end.isoformat(),
            "mediator": slot.mediator["name"], "venue": venue["name"] if venue else None,
            "remote": remote, "overridden": overridden,
            "short_notice_agreed": booking.short_notice_agreed or None,
        }, note=reason, personal={"la_officer": la_officer})
        if case["status"] != "booked":
            gates.set_status(db, now, user, case, "booked")
        return _result(db, now, case, session_id, warnings)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=LONDON)


def _span(booking: Booking) -> tuple[datetime, datetime]:
    start = booking.at.astimezone(LONDON)
    if booking.hours is not None and booking.until is not None:
        raise BadInput("give --hours or --until, not both", "e.g. --hours 3 or --until 13:00")
    if booking.until is not None:
        end = _at(start.date(), booking.until)
        if end <= start:
            raise BadInput(f"the session would end at {format_datetime(end)}, before it starts",
                           "give an --until after the start time")
        if not SHORTEST <= end - start <= LONGEST:
            raise BadInput(f"a session cannot last {_duration(end - start)}",
                           "give an --until from 30 minutes to 8 hours after the start")
        return start, end
    hours = DEFAULT_HOURS if booking.hours is None else booking.hours
    low, high = RANGES["--hours"]
    if not low <= hours <= high:  # NaN included
        raise BadInput(f"a session cannot last {hours:g} hours", f"give --hours from {span('--hours')}")
    # Aware arithmetic in one zone is wall-clock arithmetic: 10:00 + 3 hours is 13:00.
    return start, start + timedelta(hours=hours)


def _duration(length: timedelta) -> str:
    """3 hours, 1 minute, 8 hours 30 minutes."""
    hours, minutes = divmod(round(length.total_seconds() / 60), 60)
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in ((hours, "hour"), (minutes, "minute")) if n]
    return " ".join(words) or "no time"


def _remote(booking: Booking) -> str | None:
    if booking.venue and booking.remote:
        raise BadInput("a session is at a venue or remote, not both", "give --venue NAME or --remote video|phone")
    if not booking.venue and not booking.remote:
        raise BadInput("say where the session is", "give --venue NAME or --remote video|phone")
    return choose(booking.remote, REMOTE, "kind of remote session") if booking.remote else None


def _force_reason(force: bool, reason: str | None) -> str | None:
    reason = limited((reason or "").strip() or None, "reason", "--reason")
    if force and not reason:
        raise BadInput("--force needs a reason", "add --reason TEXT saying why, e.g. 'family asked for this date'")
    if reason and not force:
        raise BadInput("--reason explains --force", "add --force, or leave --reason out")
    return reason


def _times(slot: Slot) -> dict:
    return {"start": slot.start.isoformat(), "end": slot.end.isoformat(),
            "start_utc": utc(slot.start), "end_utc": utc(slot.end)}


# --- the checks ----------------------------------------------------------------------------

def _check_slot(db: Database, now: datetime, case: dict, slot: Slot, *, force: bool,
                notice_agreed: bool, override: str) -> tuple[list[str], list[str]]:
    """Refuse what can never be booked; return the warnings overridden and the ones to print.

    Warnings that need a reason stop the booking unless `force`; an LA officer booked
    elsewhere at the same time is only printed.
    """
    cal = calendar_from(db)
    if problem := _never_bookable(db, cal, slot):
        raise Refused(problem, _suggestion(db, cal, _earliest(cal, now, notice_agreed or force), slot))
    needing = _needing_reason(db, cal, now, case, slot, notice_agreed)
    if needing and not force:
        also = (", or --short-notice-agreed if the family agreed to less notice"
                if "short-notice" in needing else "")
        raise Refused(f"{case['ref']} on {slot.span} needs a reason to go ahead: "
                      + "; ".join(needing.values()), override + also)
    return list(needing), [*needing.values(), *_la_officer_warning(db, slot)]


def _never_bookable(db: Database, cal: Calendar, slot: Slot) -> str | None:
    day = slot.start.date()
    if not cal.is_bookable(day):
        return _closed(cal, day)
    if slot.start.time() < DAY_START or slot.end > _at(day, DAY_END):
        return f"sessions run between 09:00 and 17:00, and {slot.span} does not"
    for column, entry in (("mediator_id", slot.mediator), ("venue_id", slot.venue)):
        if entry and (other := _overlap(db, column, entry["id"], slot)):
            return f"{entry['name']} is already booked for {other['ref']} on {session_span(other)}"
    return None


def _closed(cal: Calendar, day: date) -> str:
    return f"{format_date(day)} is {cal.why_shut(day)}"


def _overlap(db: Database, column: str, value, slot: Slot) -> dict | None:
    return store.first_overlap(db, column, value, utc(slot.start), utc(slot.end),
                               utc(slot.start - LONGEST), slot.moving)


def _la_officer_warning(db: Database, slot: Slot) -> list[str]:
    if slot.la_officer and (other := _overlap(db, "la_officer", slot.la_officer, slot)):
        return [f"LA officer {slot.la_officer} is also booked for {other['ref']} on {session_span(other)}"]
    return []


def _needing_reason(db: Database, cal: Calendar, now: datetime, case: dict, slot: Slot,
                    notice_agreed: bool) -> dict[str, str]:
    """The warnings that stop a booking unless staff give a reason, by code."""
    found = {}
    day = slot.start.date()
    if slot.start < now:
        found["past"] = (f"{format_datetime(slot.start)} is in the past: "
                         "this records a session that has already happened")
    else:
        notice = cal.working_days_between(now.astimezone(LONDON).date(), day)
        if notice < NOTICE_WORKING_DAYS and not notice_agreed:
            days = "1 working day's" if notice == 1 else f"{notice} working days'"
            found["short-notice"] = (f"{format_date(day)} gives the family {days} notice, "
                                     f"fewer than {NOTICE_WORKING_DAYS}")
    for clock in clock_store.running(db, case["id"], THIRTY_DAYS):
        if day > date.fromisoformat(clock["due_on"]):
            elapsed = (day - date.fromisoformat(clock["started_on"])).days
            found["after-30-days"] = (f"{format_date(day)} is day {elapsed} of {RULES[THIRTY_DAYS].length}"
                                      " — a deemed certificate will be due")
    return found


def _earliest(cal: Calendar, now: datetime, short_notice_allowed: bool) -> datetime:
    """The first start worth suggesting: one that needs no further reason to book, so the first
    day giving the family full notice, unless they agreed to less (or staff are overriding)."""
    if short_notice_allowed:
        return now
    full_notice = cal.add_working_days(now.astimezone(LONDON).date(), NOTICE_WORKING_DAYS)
    return max(now, _at(full_notice, time(0)))


def _suggestion(db: Database, cal: Calendar, earliest: datetime, slot: Slot) -> str:
    who = slot.mediator["name"] + (f" at {slot.venue['name']}" if slot.venue else "")
    found = nearest_free_slot(db, cal, earliest, slot)
    if found is None:
        return f"{who} has no free slot within {SUGGESTION_DAYS} days: try another mediator or venue"
    return f"the nearest free slot for {who} is {format_span(*found)}"


def nearest_free_slot(db: Database, cal: Calendar, earliest: datetime, slot: Slot
                      ) -> tuple[datetime, datetime] | None:
    """The free slot of the same length nearest the one asked for, for the same mediator (and
    venue), on a bookable day within 09:00–17:00 and not before `earliest`; None within 30 days."""
    length, wanted = slot.end - slot.start, slot.start
    first = wanted.date() - timedelta(days=SUGGESTION_DAYS)
    last = wanted.date() + timedelta(days=SUGGESTION_DAYS)
    busy = [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in store.busy(
        db, slot.mediator["id"], slot.venue["id"] if slot.venue else None,
        utc(_at(first, time(0)) - LONGEST), utc(_at(last + timedelta(days=1), time(0))), slot.moving)]
    free = (
        start
        for day in _days(first, last) if cal.is_bookable(day)
        for start in _starts(day, length, wanted.time())
        if start >= earliest and not any(a < start + length and b > start for a, b in busy)
    )
    best = min(free, key=lambda start: _distance(start, wanted), default=None)
    return None if best is None else (best, best + length)


def _distance(start: datetime, wanted: datetime) -> tuple[int, int, bool]:
    """Nearest means the nearest day, then the nearest time of day; a tie goes to the later slot."""
    minutes = abs((start.hour * 60 + start.minute) - (wanted.hour * 60 + wanted.minute))
    return abs((start.date() - wanted.date()).days), minutes, start < wanted


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _starts(day: date, length: timedelta, wanted: time) -> Iterator[datetime]:
    """Half-hourly starts that fit the day, and the time of day asked for if it fits."""
    close = _at(day, DAY_END)
    start = _at(day, DAY_START)
    while start + length <= close:
        yield start
        start += SUGGESTION_STEP
    asked = _at(day, wanted)
    if wanted >= DAY_START and asked + length <= close:
        yield asked


# --- changing a session --------------------------------------------------------------------

def move(db: Database, now: datetime, user: str, ref: str, to: datetime, reason: str, *,
         session_id: int | None = None, force: bool = False,
         short_notice_agreed: bool = False) -> SessionResult:
    """Move a booked session to a new start, same length; every booking check is run again."""
    reason = _required(reason, "move")
    to = to.astimezone(LONDON)
    with db.transaction():
        case = get_case(db, ref)
        gates.check_can_book(db, case)
        session = _pick(db, case, session_id, "moved")
        old_start, old_end = _session_times(session)
        if to == old_start:
            raise Refused(f"session {session['number']} of {case['ref']} is already at {format_datetime(to)}",
                          "give another --to")
        venue = registry.bookable(db, VENUES, session["venue"]) if session["venue"] else None
        slot = Slot(to, to + (old_end - old_start), registry.bookable(db, MEDIATORS, session["mediator"]),
                    venue, session["la_officer"], moving=session["id"])
        overridden, warnings = _check_slot(db, now, case, slot, force=force, notice_agreed=short_notice_agreed,
                                           override="add --force to move it anyway (your --reason is recorded)")
        store.update(db, session["id"], {**_times(slot), **({"force_reason": reason} if force else {})})
        store.moved(db, session["id"], session["start_utc"])
        _record(db, now, user, case, "session-moved", {
            "session": session["id"],
            "start": {"old": session["start"], "new": slot.start.isoformat()},
            "end": {"old": session["end"], "new": slot.end.isoformat()},
            "overridden": overridden, "short_notice_agreed": short_notice_agreed or None,
        }, note=reason)
        result = _result(db, now, case, session["id"], warnings)
        result.was = session_view(session)
        return result


def cancel(db: Database, now: datetime, user: str, ref: str, reason: str, *,
           session_id: int | None = None) -> SessionResult:
    """Cancel a booked session; the case is ready to book again when none is left booked."""
    reason = _required(reason, "cancel")
    with db.transaction():
        case = get_case(db, ref)
        session = _pick(db, case, session_id, "cancelled")
        store.update(db, session["id"], {"status": "cancelled", "cancelled_at": utc(now),
                                         "cancel_reason": reason})
        _record(db, now, user, case, "session-cancelled",
                {"session": session["id"], "start": session["start"]}, note=reason)
        _after_session(db, now, user, case)
        return _result(db, now, case, session["id"], [])


def record_outcome(db: Database, now: datetime, user: str, ref: str, result: str, *,
                   session_id: int | None = None, on: date | None = None, note: str | None = None,
                   force: bool = False, reason: str | None = None) -> SessionResult:
    """Record how a session went.

    agreement, partial and no-agreement conclude the mediation: the case closes
    (mediation-concluded), the 30-day clock is met and the certificate and agreed-actions
    clocks start. adjourned and did-not-proceed leave the case ready to book again.
    `on` dates the outcome (and so the clocks it starts); the 30-day clock is met on the
    day the session was held, whenever its outcome is typed (DESIGN §2).
    """
    result = choose(result, RESULTS, "session result")
    reason = _force_reason(force, reason)
    note = limited((note or "").strip() or None, "note", "--note")
    with db.transaction():
        case = get_case(db, ref)
        if case["status"] == "closed":
            raise Refused(f"{case['ref']} is closed ({case['closed_reason']})",
                          "nothing more can be recorded on its sessions")
        session = _pick(db, case, session_id, "given an outcome")
        start, _ = _session_times(session)
        on = _outcome_date(case, session, start, on, now, force)
        if start > now:
            _record(db, now, user, case, "outcome-before-session",
                    {"session": session["id"], "start": session["start"]}, note=reason)
        store.update(db, session["id"], {"status": "held" if result in HELD else "did-not-proceed",
                                         "outcome": result, "outcome_on": on.isoformat()})
        _record(db, now, user, case, "session-outcome",
                {"session": session["id"], "result": result, "on": on.isoformat()}, note=note)
        if result in HELD:
            # A session recorded before its day (--force) cannot be held after the outcome.
            case_clocks.meet(db, now, user, case, THIRTY_DAYS, min(start.date(), on))
        warnings = []
        if result in CONCLUDING:
            # A concluded mediation needs no more sessions: free their mediators and venues.
            warnings = [f"{session} was cancelled: {CONCLUDED}"
                        for session in gates.cancel_booked(db, now, user, case, CONCLUDED)]
            _conclude(db, now, user, case, result, on)
        else:
            _after_session(db, now, user, case)
        return _result(db, now, case, session["id"], warnings)


def _outcome_date(case: dict, session: dict, start: datetime, on: date | None, now: datetime,
                  force: bool) -> date:
    today = now.astimezone(LONDON).date()
    if start > now and not force:
        raise Refused(f"session {session['number']} of {case['ref']} has not started yet "
                      f"(it starts {format_datetime(start)})",
                      "record the outcome once it has been held, or add --force --reason TEXT")
    on = on or min(start.date(), today)
    if on > today:
        raise BadInput(f"{format_date(on)} is in the future", "give the date the outcome happened with --on")
    if on < start.date() <= today:
        raise BadInput(f"{format_date(on)} is before the session on {format_date(start)}", "check --on")
    return on


def _conclude(db: Database, now: datetime, user: str, case: dict, result: str, on: date) -> None:
    # Closing stops what was still running (it is moot); then the after-mediation clocks start.
    gates.close_case(db, now, user, case, "mediation-concluded", on)
    case_clocks.start(db, now, user, case, "certificate-after-mediation", "mediation concluded", on)
    if result in AGREED:
        case_clocks.start(db, now, user, case, "agreement-actions", AGREED[result], on)


def _required(reason: str | None, verb: str) -> str:
    reason = limited((reason or "").strip(), "reason", "--reason")
    if not reason:
        raise BadInput(f"say why you {verb} the session", "give --reason TEXT")
    return reason


def _pick(db: Database, case: dict, session_id: int | None, done: str) -> dict:
    """The session asked for by its number within the case, or the case's only booked one."""
    ref = case["ref"]
    in_range(session_id, "--session", f"see the sessions' numbers with 'kidsmed show {ref}'")
    if session_id is None:
        booked = store.booked(db, case["id"])
        if not booked:
            raise Refused(f"{ref} has no booked session", f"book one with 'kidsmed schedule book {ref}'")
        if len(booked) > 1:
            listed = ", ".join(f"{s['number']} on {session_span(s)}" for s in booked)
            raise BadInput(f"{ref} has {len(booked)} booked sessions ({listed})", "say which with --session N")
        return booked[0]
    session = store.numbered(db, case["id"], session_id)
    if session is None:
        raise NotFound(f"{ref} has no session {session_id}", f"see its sessions with 'kidsmed show {ref}'")
    if session["status"] != "booked":
        was = f"{session['status']} ({session['outcome']})" if session["outcome"] else session["status"]
        raise Refused(f"session {session_id} of {ref} is {was}", f"only a booked session can be {done}")
    return session


def _session_times(session: dict) -> tuple[datetime, datetime]:
    return (datetime.fromisoformat(session["start"]).astimezone(LONDON),
            datetime.fromisoformat(session["end"]).astimezone(LONDON))


def _after_session(db: Database, now: datetime, user: str, case: dict) -> None:
    """A booked case with nothing left booked is ready to book again."""
    if case["status"] == "booked" and not store.booked(db, case["id"]):
        gates.set_status(db, now, user, case, "ready-to-book")


def _record(db: Database, now: datetime, user: str, case: dict, action: str, detail: dict,
            note: str | None = None, personal: dict | None = None) -> None:
    """One audited change. Free text (reasons, notes) goes to the erasable notes table, and
    personal values (a person's name) to the erasable companion of the events: never the event."""
    event_id = events.record(db, utc(now), user, case["id"], action,
                             {k: v for k, v in detail.items() if v not in (None, [])})
    if note:
        case_store.add_note(db, case["id"], event_id, note)
    for column, value in (personal or {}).items():
        if value is not None:
            case_store.add_personal_history(db, case["id"], event_id, column, None, value)


def _result(db: Database, now: datetime, case: dict, session_id: int, warnings: list[str]) -> SessionResult:
    return SessionResult(case_view(db, case["ref"], now), warnings, session_view(store.get(db, session_id)))


# --- the mediator's view -------------------------------------------------------------------

def window(today: date, first: date | None, last: date | None, days: int | None) -> tuple[date, date]:
    """The days a list covers: from `first` (today), to `last` or for `days` (14)."""
    first = first or today
    if last is not None and days is not None:
        raise BadInput("give --to or --days, not both", "e.g. --days 7")
    in_range(days, "--days", "e.g. --days 7")
    last = last or first + timedelta(days=(days or LIST_DAYS) - 1)
    if last < first:
        raise BadInput(f"--to {format_date(last)} is before --from {format_date(first)}", "swap them")
    return first, last


def sessions_between(db: Database, first: date, last: date, *, mediator: str | None = None,
                     la: str | None = None, owner: str | None = None,
                     include_cancelled: bool = False) -> list[dict]:
    """Sessions starting on the days from `first` to `last`, in time order. `owner` keeps the
    sessions of the cases they own and those they mediate."""
    return [session_view(row) for row in _rows_between(db, first, last, mediator=mediator, la=la,
                                                       owner=owner, include_cancelled=include_cancelled)]


def _rows_between(db: Database, first: date, last: date | None, *, mediator: str | None = None,
                  venue: str | None = None, la: str | None = None, **wanted) -> list[dict]:
    """The session rows from `first` to `last` (or for ever) of a mediator, venue or LA."""
    mediator_id = registry.find(db, MEDIATORS, mediator)["id"] if mediator else None
    venue_id = registry.find(db, VENUES, venue)["id"] if venue else None
    to_utc = utc(_at(last + timedelta(days=1), time(0))) if last else FOREVER
    return store.between(db, utc(_at(first, time(0))), to_utc, mediator_id=mediator_id, venue_id=venue_id,
                         la=las.filter_name(db, la), **wanted)


# --- calendars -----------------------------------------------------------------------------

FOREVER = "9999-12-31"  # later than any UTC instant kidsmed stores
FEED_PAST_DAYS = 30


class CalendarExport(NamedTuple):
    """The sessions a calendar program is given, and the book they come from."""

    name: str            # the calendar's name: "Mediation sessions of Jo Mediator"
    book: str            # the book's identity, part of every event's id
    sessions: list[dict]  # session views, with `sequence` and `location`


def calendar(db: Database, first: date, last: date | None, *, mediator: str | None = None,
             venue: str | None = None, la: str | None = None, owner: str | None = None) -> CalendarExport:
    """Every session of the period, cancelled ones and ones moved away too: importing the
    export again makes a calendar true, as a cancelled event is cancelled and a moved one moves."""
    rows = _rows_between(db, first, last, mediator=mediator, venue=venue, la=la, owner=owner,
                         include_cancelled=True, moved_away=True)
    whose = " · ".join(name for name in (mediator, venue, la, owner) if name)
    return CalendarExport(f"Mediation sessions{' of ' + ' '.join(whose.split()) if whose else ''}",
                          book_store.identity(db),
                          [{**session_view(row), "sequence": row["sequence"], "location": location(row)}
                           for row in rows])


def feed(db: Database, today: date, *, mediator: str | None, venue: str | None) -> CalendarExport:
    """A mediator's or a venue's whole calendar: the last 30 days and every session to come."""
    if (mediator is None) == (venue is None):
        raise BadInput("a feed is one mediator's or one venue's calendar",
                       "give --mediator NAME or --venue NAME")
    return calendar(db, today - timedelta(days=FEED_PAST_DAYS), None, mediator=mediator, venue=venue)


def location(session: dict) -> str:
    """Where a session is, as a calendar or a letter says it: the venue and its address,
    'Remote (video)' or 'Telephone'."""
    venue, address = session["venue"], session.get("venue_address")
    if not venue:
        return "Telephone" if session["remote"] == "phone" else "Remote (video)"
    if address and address.casefold().startswith(venue.casefold()):
        return address  # an address often names the room already: "Oak Room, Civic Centre"
    return ", ".join(part for part in (venue, address) if part)


def session_view(row: dict) -> dict:
    """A session as lists, JSON and calendars show it: no family or child details."""
    return {
        "id": row["id"], "number": row["number"], "ref": row["ref"], "date": row["start"][:10], "start": row["start"],
        "end": row["end"], "mediator": row["mediator"], "venue": row["venue"], "remote": row["remote"],
        "local_authority": row["local_authority"], "la_officer": row["la_officer"],
        "status": row["status"], "outcome": row["outcome"], "outcome_on": row["outcome_on"],
    }
