"""Realistic, obviously fictional cases for training, demonstrations and benchmarks.

Every name is invented; phone numbers are in Ofcom's drama range (07700 900xxx) and
email addresses are at example.org. Cases are spread over the 12 months before now.

Each case is told as a `Story`: logged on the phone, then taken through `STEPS`
(consent, agreement, closure) as far as the time since the call allows, by the same
rules the commands follow (`workflow.answer_effects`, `clocks.due_date`), and
written in bulk. A later step (booking sessions for ready-to-book cases, say) is
one more function appended to `STEPS`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from kidsmed.domain import demo_sessions, workflow
from kidsmed.domain.calendar import Calendar
from kidsmed.domain.clocks import due_date
from kidsmed.domain.clocks import rule as clock_rule
from kidsmed.domain.dates import LONDON
from kidsmed.domain.holidays import calendar_from
from kidsmed.domain.vocab import CONSENT_METHODS, ISSUES, REFERRER_ROLES
from kidsmed.errors import Refused
from kidsmed.store import demo as store
from kidsmed.store import events
from kidsmed.store.db import Database

LOCAL_AUTHORITIES = ("Northshire", "Southvale", "Eastborough", "Westmere", "Midford City")
FIRST_NAMES = ("Alex", "Sam", "Jordan", "Riley", "Morgan", "Casey", "Jamie", "Robin", "Charlie",
               "Frankie", "Ash", "Billie", "Rowan", "Sky", "Toby", "Maya", "Leo", "Isla", "Noah", "Ava")
SURNAMES = ("Example", "Sample", "Placeholder", "Specimen", "Fictional", "Madeup", "Notreal",
            "Demo", "Testwell", "Mockford")
SETTINGS = ("Oak Tree Primary (fictional)", "Riverside Academy (fictional)",
            "Hill View School (fictional)", "Meadow College (fictional)")
ORGANISATIONS = {"la-officer": "SEN team", "sendiass": "SENDIASS", "school": "Oak Tree Primary",
                 "health": "Children's therapy team", "voluntary": "Family support charity",
                 "other": "Advocacy service"}
RELATIONSHIPS = ("mother", "father", "carer", "grandparent")
LA_OFFICERS = ("Pat Officer", "Lee Caseworker", "Dana Reviewer")  # fictional, like the rest
BATCH = 2_000
# Enough for the benchmarks at 1,000,000 cases; a mistyped 10**12 must not fill the disk.
MAX_CASES = 2_000_000
# The rows hanging off a case, in the order they are written.
ROW_TABLES = ("consents", "agreements", "clocks")


@dataclass
class World:
    """What every step shares: the dice, the moment the demo is made in, and the calendar."""

    rng: random.Random
    now: datetime
    cal: Calendar
    user: str


@dataclass
class Story:
    """One fictional case as the steps build it, before it is written."""

    case: dict
    personal: dict | None
    moment: datetime  # when the latest thing in the story happened
    rows: dict[str, list[dict]] = field(default_factory=lambda: {table: [] for table in ROW_TABLES})

    @property
    def open(self) -> bool:
        return self.case["status"] != "closed"


def fill(db: Database, now: datetime, user: str, count: int, seed: int,
         progress: Callable[[int], None] = lambda done: None) -> int:
    """Add `count` fictional cases to an empty case book; returns how many were added."""
    if not 1 <= count <= MAX_CASES:
        from kidsmed.errors import BadInput

        raise BadInput(f"--cases must be from 1 to {MAX_CASES:,}", "e.g. kidsmed demo --cases 200")
    world = World(random.Random(seed), now.astimezone(LONDON), calendar_from(db), user)
    with db.transaction():
        if store.has_cases(db):
            raise Refused("this database already holds cases",
                          "use demo only on a new file, e.g. --db /tmp/demo.db")
        first_id = store.next_case_id(db)
        received = sorted(_received_times(world.rng, now, count))
        sequences: dict[int, int] = {}
        for start in range(0, count, BATCH):
            batch = {table: [] for table in ("cases", "case_personal", *ROW_TABLES)}
            for offset, moment in enumerate(received[start:start + BATCH]):
                year = moment.year
                sequences[year] = sequences.get(year, 0) + 1
                story = _new_story(world, first_id + start + offset, year, sequences[year], moment)
                for step in STEPS:
                    step(story, world)
                _write(story, batch)
            store.insert_batch(db, batch)
            progress(len(batch["cases"]))
        demo_sessions.add(db, now, user, world.rng, demo_sessions.candidates(db))
        events.record(db, _utc(now), user, None, "demo", {"cases": count, "seed": seed})
    return count


def _write(story: Story, batch: dict) -> None:
    batch["cases"].append(story.case)
    if story.personal:
        batch["case_personal"].append(story.personal)
    for table, rows in story.rows.items():
        batch[table].extend({"case_id": story.case["id"], **row} for row in rows)


def _received_times(rng: random.Random, now: datetime, count: int) -> Iterator[datetime]:
    """Phone calls on weekdays in office hours over the past year."""
    today = now.astimezone(LONDON).date()
    for _ in range(count):
        while True:
            day = today - timedelta(days=rng.randrange(0, 365))
            if day.weekday() < 5:
                break
        moment = datetime.combine(day, time(9), LONDON) + timedelta(minutes=rng.randrange(0, 480))
        yield min(moment, now.astimezone(LONDON))


def _new_story(world: World, case_id: int, year: int, seq: int, received: datetime) -> Story:
    """The case as logged on the phone."""
    rng, user = world.rng, world.user
    role = rng.choice(REFERRER_ROLES)
    kind = "mediation" if rng.random() < 0.8 else "disagreement-resolution"
    issues = rng.sample(ISSUES, rng.choice((1, 1, 2, 3)))
    status, consent_status = workflow.initial_status(role)
    family_first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    case = {
        "id": case_id, "ref": f"KM-{year}-{seq:04d}", "year": year, "seq": seq, "created_by": user,
        "kind": kind, "status": status, "received_at": _utc(received),
        "received_on": received.date().isoformat(), "referrer_role": role,
        "referrer_org": ORGANISATIONS.get(role), "local_authority": rng.choice(LOCAL_AUTHORITIES),
        "other_party": "la" if kind == "mediation" else rng.choice(("la", "setting", "health")),
        "issues": issues,
        "decision_date": (received.date() - timedelta(days=rng.randrange(5, 50))).isoformat()
        if kind == "mediation" else None,
        "consent_status": consent_status, "closed_on": None, "closed_reason": None, "erased_at": None,
    }
    personal = {
        "case_id": case_id,
        "referrer_name": None if role in ("parent", "young-person")
        else f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        "family_name": f"{family_first} {surname}",
        "relationship": "young person" if role == "young-person" else rng.choice(RELATIONSHIPS),
        "phone": f"07700 900{rng.randrange(1000):03d}",
        "email": f"{family_first.lower()}.{surname.lower()}@example.org",
        "child_name": f"{rng.choice(FIRST_NAMES)} {surname}",
        "child_dob": (received.date() - timedelta(days=rng.randrange(4 * 365, 18 * 365))).isoformat(),
        "setting": rng.choice(SETTINGS),
    }
    return Story(case, personal, received)


def _later(story: Story, world: World, within_days: int) -> datetime | None:
    """A working-hours moment up to `within_days` after the story's last; None if still to come."""
    day = story.moment.date() + timedelta(days=world.rng.randrange(within_days + 1))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    moment = datetime.combine(day, time(9), LONDON) + timedelta(minutes=world.rng.randrange(480))
    if moment > world.now:
        return None
    story.moment = max(moment, story.moment)
    return story.moment


def _consent(story: Story, world: World) -> None:
    """A third party's referral waits for the parent's or young person's answer."""
    if story.case["consent_status"] != "awaiting":
        return
    when = _later(story, world, world.rng.choice((3, 7, 14, 40)))
    if when is None:
        return
    answer = "refused" if world.rng.random() < 0.08 else "given"
    story.rows["consents"].append({
        "answer": answer, "given_by": story.personal["family_name"],
        "relationship": story.personal["relationship"], "method": world.rng.choice(CONSENT_METHODS),
        "on_date": when.date().isoformat(), "recorded_by": world.user, "recorded_at": _utc(when),
        "note": None,
    })
    story.case["consent_status"] = answer
    if answer == "refused":
        _close(story, "consent-refused", when)
        _erase(story, when)
    else:
        story.case["status"] = "awaiting-agreement"


def _agreement(story: Story, world: World) -> None:
    """Each required party answers in turn, the family first, until one says no or time runs out."""
    case = story.case
    if case["status"] != "awaiting-agreement":
        return
    for party in workflow.required_parties(case["kind"], case["issues"], case["other_party"]):
        when = _later(story, world, 10)
        if when is None:
            return
        answer = "no" if world.rng.random() < (0.15 if party == "family" else 0.08) else "yes"
        story.rows["agreements"].append({
            "party": party, "answer": answer,
            "contact": world.rng.choice(LA_OFFICERS) if party == "la" else None,
            "on_date": when.date().isoformat(), "recorded_by": world.user,
            "recorded_at": _utc(when), "note": None,
        })
        effects = workflow.answer_effects(case["kind"], case["issues"], party, answer)
        if effects.close_reason:
            _close(story, effects.close_reason, when)
        for rule, start_event in effects.clocks:
            _start_clock(story, world, rule, start_event, when.date())
        if answer == "no":
            return  # closed, or waiting for the ICB to think again
    case["status"] = "ready-to-book"


def _staff_close(story: Story, world: World) -> None:
    """Some open cases end before mediation: withdrawn, resolved, or consent withdrawn."""
    roll = world.rng.random()
    if not story.open or roll >= 0.1:
        return
    when = _later(story, world, 20)
    if when is None:
        return
    if story.case["consent_status"] == "given" and roll < 0.015:
        story.case["consent_status"] = "withdrawn"
        _close(story, "consent-withdrawn", when)
        _erase(story, when)
    else:
        _close(story, "withdrawn" if roll < 0.07 else "resolved-without-mediation", when)


STEPS: list[Callable[[Story, World], None]] = [_consent, _agreement, _staff_close]


def _start_clock(story: Story, world: World, rule: str, start_event: str, started: date) -> None:
    """As `case_clocks.start` does: only a rule that applies to this kind of case."""
    if story.case["kind"] not in clock_rule(rule).kinds:
        return
    due = due_date(rule, started, world.cal)
    clock = {"rule": rule, "start_event": start_event, "started_on": started.isoformat(),
             "due_on": due.isoformat(), "state": "running", "met_on": None}
    if rule == "health-notice":  # the LA usually tells the ICB in time; staff mark it done
        met = started + timedelta(days=world.rng.randrange(1, 4))
        if met <= world.now.date():
            clock.update(state="met", met_on=met.isoformat())
    story.rows["clocks"].append(clock)


def _close(story: Story, reason: str, when: datetime) -> None:
    """Close the case; its running clocks stop (a clock the closure owes is started after)."""
    story.case.update(status="closed", closed_on=when.date().isoformat(), closed_reason=reason)
    for clock in story.rows["clocks"]:
        if clock["state"] == "running":
            clock["state"] = "stopped"


def _erase(story: Story, when: datetime) -> None:
    """What `gates.erase` leaves of a case: no personal row, no names in its answers."""
    story.personal = None
    story.case["erased_at"] = _utc(when)
    for row in story.rows["consents"]:
        row.update(given_by=None, note=None)
    for row in story.rows["agreements"]:
        row.update(note=None, contact=None if row["party"] == "family" else row["contact"])


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
