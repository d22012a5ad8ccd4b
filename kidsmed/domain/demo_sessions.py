"""Sessions for `kidsmed demo`: fictional mediators and venues, and the sessions of every case
the story left ready to book — past ones with their outcomes (some cancelled and booked again,
some adjourned), upcoming ones this week and next, a few of them today.

The sessions are one more step of a case's story (`sessions`), so their rows are made with the
case's other rows and written in bulk. Slots come from a `Diary` that hands each mediator and
venue at most one session per half-day, so no one is double-booked; sessions fall only on
bookable days.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from kidsmed.domain.calendar import Calendar
from kidsmed.domain.dates import LONDON
from kidsmed.domain.demo_story import (
    OFFICE_MINUTES,
    Story,
    World,
    close,
    later,
    meet_clock,
    start_clock,
    utc,
)
from kidsmed.domain.registry import MEDIATORS, VENUES
from kidsmed.domain.scheduling import AGREED, CONCLUDING, HELD, THIRTY_DAYS
from kidsmed.store import registry as registry_store
from kidsmed.store.db import Database

SLOTS = ((time(9, 30), time(12, 30)), (time(13, 30), time(16, 30)))
OUTCOMES = {"agreement": 40, "partial": 20, "no-agreement": 15, "adjourned": 15, "did-not-proceed": 10}
BOOKED_WITHIN_DAYS = 7  # staff book a session this soon after the last yes or the last session
NOTICE_DAYS = (6, 24)  # how far ahead of the booking the session is
UPCOMING_DAYS = 14  # this week and next: the sessions to come are booked no further ahead
TODAY_AT_LEAST = 3
TRIES = 10  # days tried, one after the other, when a day's diary is full
CANCELLED_SHARE = 0.08
CANCEL_REASONS = ("family unwell", "mediator unwell", "LA officer unavailable",
                  "family asked to rearrange", "venue unavailable")
# A session in the last few working days may still be waiting for its outcome to be recorded.
OUTCOME_LATE_WORKING_DAYS = 2
OUTCOME_LATE_SHARE = 0.25
REMOTE_SHARE = 0.3
# One mediator per this many cases a year keeps each one's diary about a quarter full.
CASES_PER_MEDIATOR = 200
MEDIATOR_FIRST = ("Jo", "Kim", "Lee", "Pat", "Chris", "Dana", "Eli", "Fran", "Gale", "Hal", "Indy", "Jules")
MEDIATOR_LAST = ("Fairweather", "Goodwin", "Peaceman", "Accord", "Middleton", "Harmon", "Bridges",
                 "Calmley", "Settle", "Tranter")
ROOMS = ("Oak Room", "Elm Room", "Ash Room", "Birch Room", "Willow Room", "Hazel Room", "Rowan Room",
         "Cedar Room")
LA_OFFICERS = ("Pat Casework", "Sam Plansworth", "Robin Provision", "Ash Reviewer", "Morgan Panel")


def diary(db: Database, rng: random.Random, cal: Calendar, today: date, cases_a_year: int) -> Diary:
    """Register enough fictional mediators and venues for `cases_a_year`; their empty diary."""
    mediators = max(6, math.ceil(cases_a_year / CASES_PER_MEDIATOR))
    venues = max(4, math.ceil(cases_a_year * (1 - REMOTE_SHARE) / CASES_PER_MEDIATOR))
    return Diary(rng, cal, today, _add_new(db, MEDIATORS.table, [_mediator(i) for i in range(mediators)]),
                 _add_new(db, VENUES.table, [_venue(i) for i in range(venues)]))


def _mediator(i: int) -> dict:
    # A stride coprime to the number of pairs walks every first and last name pairing once.
    pairs = len(MEDIATOR_FIRST) * len(MEDIATOR_LAST)
    n = i * 7 % pairs
    first, last = MEDIATOR_FIRST[n % len(MEDIATOR_FIRST)], MEDIATOR_LAST[n // len(MEDIATOR_FIRST)]
    name = f"{first} {last}" + (f" {i // pairs + 1}" if i >= pairs else "")
    return {"name": name, "email": f"{first}.{last}@example.org".lower(), "phone": f"07700 900{i % 1000:03d}"}


def _venue(i: int) -> dict:
    room = ROOMS[i % len(ROOMS)] + (f" {i // len(ROOMS) + 1}" if i >= len(ROOMS) else "")
    return {"name": room, "address": f"{room}, Example Civic Centre"}


def _add_new(db: Database, table: str, people: list[dict]) -> list[int]:
    """Add the ones whose names are free (staff may have added some already); all their ids."""
    known = {e["name"].casefold(): e["id"] for e in registry_store.entries(db, table)}
    return [known.get(p["name"].casefold()) or registry_store.insert(db, table, p["name"], p) for p in people]


Placed = tuple[date, int, int | None, tuple[time, time]]  # day, mediator, venue (None: remote), slot


@dataclass
class Diary:
    """Who is busy when: one session per mediator and per venue in each half-day slot of a
    bookable day. Sessions still to come are booked this week and next, the first few today."""

    rng: random.Random
    cal: Calendar
    today: date
    mediators: list[int]
    venues: list[int]
    taken: set = field(default_factory=set)
    booked_today: int = 0
    upcoming: set[date] = field(init=False)

    def __post_init__(self) -> None:
        days = (self.today + timedelta(days=n) for n in range(UPCOMING_DAYS))
        self.upcoming = {day for day in days if self.cal.is_bookable(day)}

    def place(self, booked_on: date, wanted: date) -> Placed | None:
        """A free slot on the first bookable day from `wanted` that has one; None if the session
        would be further ahead than this week and next."""
        day = self._first_day(booked_on, wanted)
        for _ in range(TRIES):
            if day is None:
                return None
            if found := self._free_slot(day):
                if day == self.today:
                    self.booked_today += 1
                return (day, *found)
            day = self._within_reach(self._bookable_from(day + timedelta(days=1)))
        return None

    def _first_day(self, booked_on: date, wanted: date) -> date | None:
        day = self._bookable_from(wanted)
        if booked_on < self.today < day and self.today in self.upcoming and self.booked_today < TODAY_AT_LEAST:
            return self.today  # however few the cases, the day's list shows a few sessions
        return self._within_reach(day)

    def _bookable_from(self, day: date) -> date:
        while not self.cal.is_bookable(day):
            day += timedelta(days=1)
        return day

    def _within_reach(self, day: date) -> date | None:
        return day if day < self.today or day in self.upcoming else None

    def _free_slot(self, day: date) -> tuple[int, int | None, tuple[time, time]] | None:
        for slot in self.rng.sample(SLOTS, len(SLOTS)):
            mediator = self._free("mediator", self.mediators, day, slot)
            if mediator is None:
                continue
            # Remote by choice, or when no venue is free in that slot.
            venue = None if self.rng.random() < REMOTE_SHARE else self._free("venue", self.venues, day, slot)
            self.taken.add(("mediator", mediator, day, slot))
            if venue is not None:
                self.taken.add(("venue", venue, day, slot))
            return mediator, venue, slot
        return None

    def _free(self, kind: str, ids: list[int], day: date, slot: tuple[time, time]) -> int | None:
        for _ in range(8):
            candidate = self.rng.choice(ids)
            if (kind, candidate, day, slot) not in self.taken:
                return candidate
        return None


@dataclass
class Booked:
    """A session the story booked: its row, and its times as the steps reason with them."""

    row: dict
    start: datetime
    end: datetime

    @property
    def day(self) -> date:
        return self.start.date()


def sessions(story: Story, world: World) -> None:
    """A case every party has agreed to is booked, and its sessions go as the time since allows:
    held with an outcome, cancelled and booked again, adjourned or not proceeding and booked
    again, or still to come."""
    while story.case["status"] == "ready-to-book":
        booked = later(story, world, BOOKED_WITHIN_DAYS)
        session = booked and _book(story, world, booked)
        if not session:
            return  # not yet booked, or nothing free this week and next
        if _cancelled(story, world, session, booked):
            continue
        if not _outcome_known(world, session.day):
            return
        _outcome(story, world, session)


def _book(story: Story, world: World, booked: datetime) -> Booked | None:
    """As `schedule book` does: a session in a free slot, and the case is booked."""
    wanted = booked.date() + timedelta(days=world.rng.randint(*NOTICE_DAYS))
    placed = world.diary.place(booked.date(), wanted)
    if placed is None:
        return None
    day, mediator, venue, (begins, ends) = placed
    start, end = datetime.combine(day, begins, LONDON), datetime.combine(day, ends, LONDON)
    row = {
        "start": start.isoformat(), "end": end.isoformat(), "start_utc": utc(start), "end_utc": utc(end),
        "mediator_id": mediator, "venue_id": venue, "remote": None if venue else world.rng.choice(("video", "phone")),
        "la_officer": world.rng.choice(LA_OFFICERS) if world.rng.random() < 0.5 else None,
        "status": "booked", "outcome": None, "outcome_on": None, "booked_at": utc(booked),
        "booked_by": world.user, "force_reason": None, "cancelled_at": None, "cancel_reason": None,
        "number": len(story.rows["sessions"]) + 1, "sequence": 0,
    }
    story.rows["sessions"].append(row)
    story.case["status"] = "booked"
    return Booked(row, start, end)


def _cancelled(story: Story, world: World, session: Booked, booked: datetime) -> bool:
    """As `schedule cancel` does, for a few sessions: in office hours on a weekday between the
    booking and the session."""
    if world.rng.random() >= CANCELLED_SHARE:
        return False
    between = (booked.date() + timedelta(days=n) for n in range(1, (session.day - booked.date()).days))
    weekdays = [day for day in between if day.weekday() < 5]
    if not weekdays:
        return False
    at = datetime.combine(world.rng.choice(weekdays), time(9), LONDON) + timedelta(
        minutes=world.rng.randrange(OFFICE_MINUTES))
    if at > world.now:
        return False
    session.row.update(status="cancelled", cancelled_at=utc(at), cancel_reason=world.rng.choice(CANCEL_REASONS),
                       sequence=1)
    story.moment = max(story.moment, at)
    story.case["status"] = "ready-to-book"
    return True


def _outcome_known(world: World, day: date) -> bool:
    """A past session has its outcome, but the last few days' may not be recorded yet."""
    if day >= world.today:
        return False
    recent = world.cal.working_days_between(day, world.today) <= OUTCOME_LATE_WORKING_DAYS
    return not (recent and world.rng.random() < OUTCOME_LATE_SHARE)


def _outcome(story: Story, world: World, session: Booked) -> None:
    """As `schedule outcome` does: a held session meets the 30-day clock; a concluding outcome
    closes the case and starts the certificate and agreed-actions clocks."""
    result = world.rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
    day = session.day
    session.row.update(status="held" if result in HELD else "did-not-proceed", outcome=result,
                       outcome_on=day.isoformat(), sequence=1)
    story.moment = max(story.moment, session.end)
    if result in HELD:
        meet_clock(story, THIRTY_DAYS, day)
    if result not in CONCLUDING:
        story.case["status"] = "ready-to-book"
        return
    close(story, "mediation-concluded", day)
    start_clock(story, world, "certificate-after-mediation", "mediation concluded", day)
    if result in AGREED:
        start_clock(story, world, "agreement-actions", AGREED[result], day)
