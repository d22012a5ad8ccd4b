"""Sessions for `kidsmed demo`: fictional mediators and venues, and a share of the cases
agreed and booked — past sessions with their outcomes, upcoming ones this week and next,
some of them today.

Rows are made in memory and written in bulk, so 100,000 cases take seconds. Slots come
from a diary that hands each mediator and venue at most one session per half-day, so no
one is double-booked; sessions fall only on bookable days.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from kidsmed.domain import workflow
from kidsmed.domain.calendar import Calendar
from kidsmed.domain.cases import utc
from kidsmed.domain.clocks import RULES, due_date
from kidsmed.domain.dates import LONDON
from kidsmed.domain.holidays import calendar_from
from kidsmed.domain.registry import MEDIATORS, VENUES
from kidsmed.domain.scheduling import AGREED, CONCLUDING, HELD, THIRTY_DAYS
from kidsmed.store import demo as demo_store
from kidsmed.store import demo_sessions as store
from kidsmed.store import registry as registry_store
from kidsmed.store.db import Database

SHARE = 0.6  # of the cases offered, how many every party agrees to
SLOTS = ((time(9, 30), time(12, 30)), (time(13, 30), time(16, 30)))
OUTCOMES = {"agreement": 40, "partial": 20, "no-agreement": 15, "adjourned": 15, "did-not-proceed": 10}
UPCOMING_DAYS = 14  # this week and next
TODAY_AT_LEAST = 3
UPCOMING_AT_LEAST = 12
REMOTE_SHARE = 0.3
# One mediator per this many agreed cases keeps each one's diary about a quarter full.
CASES_PER_MEDIATOR = 125
MEDIATOR_FIRST = ("Jo", "Kim", "Lee", "Pat", "Chris", "Dana", "Eli", "Fran", "Gale", "Hal", "Indy", "Jules")
MEDIATOR_LAST = ("Fairweather", "Goodwin", "Peaceman", "Accord", "Middleton", "Harmon", "Bridges",
                 "Calmley", "Settle", "Tranter")
ROOMS = ("Oak Room", "Elm Room", "Ash Room", "Birch Room", "Willow Room", "Hazel Room", "Rowan Room",
         "Cedar Room")
LA_OFFICERS = ("Pat Casework", "Sam Plansworth", "Robin Provision", "Ash Reviewer", "Morgan Panel")


def candidates(db: Database) -> list[dict]:
    """The demo cases a session could follow: those waiting only for the parties' agreement."""
    return store.awaiting_agreement(db)


def add(db: Database, now: datetime, user: str, rng: random.Random, cases: list[dict]) -> int:
    """Register mediators and venues, then agree and book a share of `cases`; returns the
    number of sessions booked. Call inside the demo's transaction."""
    chosen = [case for case in cases if rng.random() < SHARE]
    if not chosen:
        return 0
    now = now.astimezone(LONDON)
    cal = calendar_from(db)
    upcoming = [day for day in (now.date() + timedelta(days=n) for n in range(UPCOMING_DAYS))
                if cal.is_bookable(day)]
    plan = _Plan(now, user, rng, cal, upcoming, _Diary(rng, *_register_people(db, len(chosen))))
    # However few the cases, the most recent ones make a fortnight worth showing.
    soon = {case["id"] for case in sorted(chosen, key=lambda c: c["received_on"])[-UPCOMING_AT_LEAST:]}
    for case in chosen:
        plan.agree_and_book(case, case["id"] in soon)
    demo_store.insert_batch(db, {"agreements": plan.agreements, "clocks": plan.clocks,
                                 "sessions": plan.sessions, "events": _clock_events(plan.clocks, now, user)})
    store.set_statuses(db, plan.statuses)
    return len(plan.sessions)


def _clock_events(clocks: list[dict], now: datetime, user: str) -> list[dict]:
    """Each clock's clock-started event, as `case_clocks.start` records it (kidsmed check looks
    for it), stamped with the moment the demo wrote it."""
    return [{"at": utc(now), "user": user, "case_id": clock["case_id"], "action": "clock-started",
             "detail": json.dumps({key: clock[key] for key in ("rule", "start_event", "started_on", "due_on")},
                                  sort_keys=True)}
            for clock in clocks]


def _register_people(db: Database, agreed: int) -> tuple[list[int], list[int]]:
    """Enough fictional mediators and venues for `agreed` cases a year; their ids."""
    mediators = max(6, math.ceil(agreed / CASES_PER_MEDIATOR))
    venues = max(4, math.ceil(agreed * (1 - REMOTE_SHARE) / CASES_PER_MEDIATOR))
    return (_add_new(db, MEDIATORS.table, [_mediator(i) for i in range(mediators)]),
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


@dataclass
class _Diary:
    """Who is busy when: one session per mediator and per venue in each half-day slot."""

    rng: random.Random
    mediators: list[int]
    venues: list[int]
    taken: set = field(default_factory=set)

    def place(self, day: date) -> tuple[int, int | None, tuple[time, time]] | None:
        """A free (mediator, venue or None for remote, slot) on `day`, or None if it is full."""
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

    def _free(self, kind: str, ids: list[int], day: date, slot) -> int | None:
        for _ in range(8):
            candidate = self.rng.choice(ids)
            if (kind, candidate, day, slot) not in self.taken:
                return candidate
        return None


@dataclass
class _Plan:
    """The rows the demo's agreed cases need, built case by case."""

    now: datetime
    user: str
    rng: random.Random
    cal: Calendar
    upcoming: list[date]  # the bookable days of this week and next
    diary: _Diary
    agreements: list[dict] = field(default_factory=list)
    clocks: list[dict] = field(default_factory=list)
    sessions: list[dict] = field(default_factory=list)
    statuses: list[tuple] = field(default_factory=list)
    booked_today: int = 0

    @property
    def today(self) -> date:
        return self.now.date()

    def agree_and_book(self, case: dict, soon: bool) -> None:
        """Every party agrees; then a past session with its outcome, or an upcoming one
        (certainly when `soon`), or none yet."""
        received = date.fromisoformat(case["received_on"])
        agreed_on = min(received + timedelta(days=self.rng.randint(1, 10)), self.today)
        self._agree(case, agreed_on)
        wanted = agreed_on + timedelta(days=self.rng.randint(7, 28))
        placed = self._book(case, self._day_for(wanted, soon))
        if placed is None:
            self._thirty_days(case, agreed_on, None)
            self.statuses.append(("ready-to-book", None, None, case["id"]))
            return
        day, result = placed
        self._thirty_days(case, agreed_on, day if result in HELD else None)
        if result in CONCLUDING:
            self._after_mediation(case, day, result)
            self.statuses.append(("closed", day.isoformat(), "mediation-concluded", case["id"]))
        else:
            self.statuses.append(("booked" if result is None else "ready-to-book", None, None, case["id"]))

    def _day_for(self, wanted: date, soon: bool) -> date | None:
        """A bookable day near `wanted`: before today it stays past (unless `soon`); otherwise
        within this week and next, the first few today; None for later than that."""
        if wanted < self.today and not soon:
            day = wanted
            while not self.cal.is_bookable(day):
                day += timedelta(days=1)
            if day < self.today:
                return day
        if not self.upcoming:
            return None
        if self.upcoming[0] == self.today and self.booked_today < TODAY_AT_LEAST:
            self.booked_today += 1
            return self.today
        if wanted in self.upcoming:
            return wanted
        return self.rng.choice(self.upcoming) if soon or self.rng.random() < 0.5 else None

    def _book(self, case: dict, day: date | None) -> tuple[date, str | None] | None:
        """Book the case on `day`; a past session gets its outcome. None if nothing was booked."""
        placed = self.diary.place(day) if day else None
        if placed is None:
            return None
        mediator, venue, (begins, ends) = placed
        start, end = datetime.combine(day, begins, LONDON), datetime.combine(day, ends, LONDON)
        result = None
        if day < self.today:
            result = self.rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
        booked_at = min(start - timedelta(days=self.rng.randint(7, 20)), self.now)
        self.sessions.append({
            "case_id": case["id"], "start": start.isoformat(), "end": end.isoformat(),
            "start_utc": utc(start), "end_utc": utc(end), "mediator_id": mediator, "venue_id": venue,
            "remote": None if venue else self.rng.choice(("video", "phone")),
            "la_officer": self.rng.choice(LA_OFFICERS) if self.rng.random() < 0.5 else None,
            "status": "booked" if result is None else ("held" if result in HELD else "did-not-proceed"),
            "outcome": result, "outcome_on": day.isoformat() if result else None,
            "booked_at": utc(booked_at), "booked_by": self.user,
        })
        return day, result

    def _agree(self, case: dict, on: date) -> None:
        recorded = utc(datetime.combine(on, time(11), LONDON))
        for party in workflow.required_parties(case["kind"], case["issues"], case["other_party"]):
            self.agreements.append({"case_id": case["id"], "party": party, "answer": "yes",
                                    "on_date": on.isoformat(), "recorded_by": self.user,
                                    "recorded_at": recorded})

    def _clock(self, case: dict, rule: str, start_event: str, started: date, met_on: date | None) -> None:
        if case["kind"] not in RULES[rule].kinds:
            return
        self.clocks.append({"case_id": case["id"], "rule": rule, "start_event": start_event,
                            "started_on": started.isoformat(),
                            "due_on": due_date(rule, started, self.cal).isoformat(),
                            "state": "met" if met_on else "running",
                            "met_on": met_on.isoformat() if met_on else None})

    def _thirty_days(self, case: dict, agreed_on: date, held_on: date | None) -> None:
        self._clock(case, THIRTY_DAYS, "family wants mediation", agreed_on, held_on)

    def _after_mediation(self, case: dict, day: date, result: str) -> None:
        self._clock(case, "certificate-after-mediation", "mediation concluded", day, None)
        if result in AGREED:
            done = day + timedelta(days=self.rng.randint(5, 14))
            self._clock(case, "agreement-actions", AGREED[result], day, done if done < self.today else None)
