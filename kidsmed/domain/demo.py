"""Realistic, obviously fictional cases for training, demonstrations and benchmarks.

Every name is invented; phone numbers are in Ofcom's drama range (07700 900xxx) and
email addresses are at example.org. Cases are spread over the 12 months before now, or, when
there are more than a real service receives in a year, over as many whole years as they need.

Each case is told as a `Story`: logged on the phone, then taken through `STEPS` —
consent, agreement, a closure by staff, sessions, certificates, an appeal — as far as
the time since the call allows, by the same rules the commands follow
(`workflow.answer_effects`, `clocks.due_date`, the outcomes of `schedule outcome`), and
written in bulk, a batch of cases at a time.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

from kidsmed.domain import demo_certificates, demo_sessions, las, workflow
from kidsmed.domain.calendar import add_months
from kidsmed.domain.dates import LONDON
from kidsmed.domain.demo_story import (
    OFFICE_MINUTES,
    ROW_TABLES,
    Story,
    World,
    close,
    erase,
    later,
    start_clock,
    utc,
)
from kidsmed.domain.holidays import calendar_from
from kidsmed.domain.ranges import in_range
from kidsmed.domain.vocab import CONSENT_METHODS, ISSUES, REFERRER_ROLES
from kidsmed.errors import BadInput, Refused
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
# What a referral is mainly about, out of 100: refusals to assess or to issue a plan, and a
# plan's content or placement, are most of what families bring to mediation; the other issues
# share what is left equally.
MAIN_ISSUE = {"refusal-to-assess": 25, "refusal-to-issue": 15, "plan-content": 25, "placement": 12}
ISSUE_WEIGHTS = [MAIN_ISSUE.get(issue, (100 - sum(MAIN_ISSUE.values())) / (len(ISSUES) - len(MAIN_ISSUE)))
                 for issue in ISSUES]
LA_OFFICERS = ("Pat Officer", "Lee Caseworker", "Dana Reviewer")  # fictional, like the rest
# The service's staff, who own its cases (fictional); the person running the demo owns a share too,
# so that `report day --mine` has something to show them.
STAFF = ("Priya Shah", "Tom Fielding", "Grace Okafor", "Ben Hartley")
# Chases staff set themselves, by the party chased (fictional, and naming nobody).
CHASES = {
    "family": ("ring back about dates that suit", "check the family has the paperwork"),
    "la": ("LA answer on taking part", "ask the LA for the decision letter"),
    "setting": ("ask the school who will attend",),
    "health": ("ICB answer on taking part",),
}
CALLS_TODAY = 2  # the day's list shows a couple of calls already taken
# A large regional service logs a few thousand referrals a year. A bigger case book is one built
# up over more years, so that each of its days - referrals, sessions, clocks - is a real service's
# day whatever the size, and what the daily commands show does not grow with what is stored.
CASES_A_YEAR = 5_000
BATCH = 2_000
# Enough for the benchmarks at 1,000,000 cases; a mistyped 10**12 must not fill the disk.
MAX_CASES = 2_000_000


def fill(db: Database, now: datetime, user: str, count: int, seed: int,
         progress: Callable[[int], None] = lambda done: None) -> int:
    """Add `count` fictional cases to an empty case book; returns how many were added."""
    if not 1 <= count <= MAX_CASES:
        raise BadInput(f"--cases must be from 1 to {MAX_CASES:,}", "e.g. kidsmed demo --cases 200")
    in_range(seed, "--seed", "e.g. kidsmed demo --seed 7")
    now, rng = now.astimezone(LONDON), random.Random(seed)
    with db.transaction():
        if store.has_cases(db):
            raise Refused("this database already holds cases",
                          "use demo only on a new file, e.g. --db /tmp/demo.db")
        for name in LOCAL_AUTHORITIES:  # fictional, so not in the shipped register
            if not las.exact(db, name):
                las.add(db, now, user, name)
        cal = calendar_from(db)
        years = years_spread(count)
        world = World(rng, now, cal, user, demo_sessions.diary(db, rng, cal, now.date(), math.ceil(count / years)),
                      random.Random(f"caseload {seed}"))
        first_id = store.next_case_id(db)
        received = sorted(_received_times(rng, now, count, years))
        sequences: dict[int, int] = {}
        for start in range(0, count, BATCH):
            batch = {table: [] for table in ("cases", "case_personal", *ROW_TABLES, "events")}
            for offset, moment in enumerate(received[start:start + BATCH]):
                year = moment.year
                sequences[year] = sequences.get(year, 0) + 1
                story = _new_story(world, first_id + start + offset, year, sequences[year], moment)
                for step in STEPS:
                    step(story, world)
                _write(story, world, batch)
            store.insert_batch(db, batch)
            progress(len(batch["cases"]))
        events.record(db, world.written_at, user, None, "demo", {"cases": count, "seed": seed})
    return count


def _write(story: Story, world: World, batch: dict) -> None:
    case_id = story.case["id"]
    batch["cases"].append(story.case)
    if story.personal:
        batch["case_personal"].append(story.personal)
    for table, rows in story.rows.items():
        batch[table].extend({"case_id": case_id, **row} for row in rows)
    batch["events"].extend(_clock_started(case_id, clock, world) for clock in story.rows["clocks"])


def _clock_started(case_id: int, clock: dict, world: World) -> dict:
    """The clock-started event `case_clocks.start` records (kidsmed check looks for it),
    stamped with the moment the demo wrote it: the audit trail never goes back in time."""
    detail = {key: clock[key] for key in ("rule", "start_event", "started_on", "due_on")}
    return {"at": world.written_at, "user": world.user, "case_id": case_id, "action": "clock-started",
            "detail": json.dumps(detail, sort_keys=True)}


def years_spread(count: int) -> int:
    """Over how many whole years `count` cases are received: one, up to a real service's year."""
    return max(1, math.ceil(count / CASES_A_YEAR))


def _received_times(rng: random.Random, now: datetime, count: int, years: int) -> Iterator[datetime]:
    """Phone calls on weekdays in office hours over the past `years`; a couple of them today."""
    today = now.date()
    days = (today - add_months(today, -12 * years)).days
    calls_today = CALLS_TODAY if _office_minutes(today, now) else 0
    for n in range(count):
        while True:
            day = today if n < calls_today else today - timedelta(days=rng.randrange(days))
            if minutes := _office_minutes(day, now):
                break
        yield datetime.combine(day, time(9), LONDON) + timedelta(minutes=rng.randrange(minutes))


def _office_minutes(day: date, now: datetime) -> int:
    """How many minutes the office was open on `day` by `now`: none at the weekend."""
    if day.weekday() >= 5:
        return 0
    opened = (now - datetime.combine(day, time(9), LONDON)).total_seconds() // 60
    return int(max(0, min(OFFICE_MINUTES, opened)))


def _new_story(world: World, case_id: int, year: int, seq: int, received: datetime) -> Story:
    """The case as logged on the phone."""
    rng, user = world.rng, world.user
    role = rng.choice(REFERRER_ROLES)
    kind = "mediation" if rng.random() < 0.8 else "disagreement-resolution"
    issues = _issues(rng)
    status, consent_status = workflow.initial_status(role)
    family_first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    case = {
        "id": case_id, "ref": f"KM-{year}-{seq:04d}", "year": year, "seq": seq, "created_by": user,
        "kind": kind, "status": status, "received_at": utc(received),
        "received_on": received.date().isoformat(), "referrer_role": role,
        "referrer_org": ORGANISATIONS.get(role), "local_authority": rng.choice(LOCAL_AUTHORITIES),
        "other_party": "la" if kind == "mediation" else rng.choice(("la", "setting", "health")),
        "issues": issues,
        "decision_date": (received.date() - timedelta(days=rng.randrange(5, 50))).isoformat()
        if kind == "mediation" else None,
        "consent_status": consent_status, "closed_on": None, "closed_reason": None, "erased_at": None,
        "appeal_lodged_on": None,
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
        # Not drawn from rng, so that a seed still gives the book it gave before these were kept.
        "referrer_phone": None, "address": f"{case_id % 97 + 1} Example Road, Northtown NT1 1AA",
        "preferred_contact": "phone",
    }
    return Story(case, personal, received)


def _issues(rng: random.Random) -> list[str]:
    """The main issue, and sometimes one or two more."""
    [main] = rng.choices(ISSUES, weights=ISSUE_WEIGHTS)
    return [main, *rng.sample([i for i in ISSUES if i != main], rng.choice((0, 0, 1, 2)))]


def _consent(story: Story, world: World) -> None:
    """A third party's referral waits for the parent's or young person's answer."""
    if story.case["consent_status"] != "awaiting":
        return
    when = later(story, world, world.rng.choice((3, 7, 14, 40)))
    if when is None:
        return
    answer = "refused" if world.rng.random() < 0.08 else "given"
    _record_consent(story, world, answer, when)
    if answer == "refused":
        close(story, "consent-refused", when.date())
        erase(story, when)
    else:
        story.case["status"] = "awaiting-agreement"


def _record_consent(story: Story, world: World, answer: str, when: datetime) -> None:
    story.rows["consents"].append({
        "answer": answer, "given_by": story.personal["family_name"],
        "relationship": story.personal["relationship"], "method": world.rng.choice(CONSENT_METHODS),
        "on_date": when.date().isoformat(), "recorded_by": world.user, "recorded_at": utc(when),
        "note": None,
    })
    story.case["consent_status"] = answer


def _agreement(story: Story, world: World) -> None:
    """Each required party answers in turn, the family first, until one says no or time runs
    out. The ICB's no leaves a mediation case open: it is asked again until it agrees."""
    case = story.case
    if case["status"] != "awaiting-agreement":
        return
    for party in workflow.required_parties(case["kind"], case["issues"], case["other_party"]):
        while (answer := _answer(story, world, party)) != "yes":
            if answer is None or not story.open:
                return  # still to answer, or the case closed
    case["status"] = "ready-to-book"


def _answer(story: Story, world: World, party: str) -> str | None:
    """The party's answer, with what it sets going; None if it has yet to come."""
    when = later(story, world, 10)
    if when is None:
        return None
    case = story.case
    answer = "no" if world.rng.random() < (0.15 if party == "family" else 0.08) else "yes"
    story.rows["agreements"].append({
        "party": party, "answer": answer, "contact": world.rng.choice(LA_OFFICERS) if party == "la" else None,
        "on_date": when.date().isoformat(), "recorded_by": world.user, "recorded_at": utc(when), "note": None,
    })
    effects = workflow.answer_effects(case["kind"], case["issues"], party, answer)
    if effects.close_reason:
        close(story, effects.close_reason, when.date())
    for rule, start_event in effects.clocks:
        start_clock(story, world, rule, start_event, when.date())
    return answer


def _staff_close(story: Story, world: World) -> None:
    """Some open cases end before mediation: withdrawn, resolved, or consent withdrawn."""
    roll = world.rng.random()
    if not story.open or roll >= 0.1:
        return
    when = later(story, world, 20)
    if when is None:
        return
    if story.case["consent_status"] == "given" and roll < 0.015:
        _record_consent(story, world, "withdrawn", when)
        close(story, "consent-withdrawn", when.date())
        erase(story, when)
    else:
        close(story, "withdrawn" if roll < 0.07 else "resolved-without-mediation", when.date())


def _caseload(story: Story, world: World) -> None:
    """Who handles the case, the last contact, and the next chase: kidsmed's default for most
    waiting cases, one staff set for some open ones, none for a few (which `report day` flags).
    A few open cases from before owners were kept have none."""
    from kidsmed.domain.caseload import default_chase, waiting_on

    case, rng = story.case, world.later_rng
    contacts = [row["on_date"] for table in ("consents", "agreements") for row in story.rows[table]]
    case["last_contact_on"] = max([case["received_on"], *contacts])
    case["owner"] = None if story.open and rng.random() < 0.05 else rng.choice((*STAFF, world.user))
    case["chase_on"] = case["chase_party"] = case["chase_auto"] = None
    if story.personal is not None:
        story.personal["chase_what"] = None
    roll = rng.random()
    if not story.open or roll < 0.1:
        return
    party = waiting_on(case, story.rows["agreements"])
    if party and roll < 0.75:
        _chase(story, default_chase(world.cal, date.fromisoformat(case["last_contact_on"]), party, case["status"]))
    elif party or roll > 0.7:
        party = party or rng.choice(("family", "la"))
        # Set after the last contact, for a day from last week (overdue) to a fortnight ahead.
        after = date.fromisoformat(case["last_contact_on"]) + timedelta(days=1)
        day = world.cal.nearest_bookable(max(after, world.today + timedelta(days=rng.randrange(-4, 15))), after)
        _chase(story, {"chase_on": day.isoformat(), "chase_party": party, "chase_auto": None,
                       "chase_what": rng.choice(CHASES.get(party, CHASES["family"]))})


def _chase(story: Story, chase: dict) -> None:
    """Set the chase's columns: what it says is personal, like every note."""
    story.personal["chase_what"] = chase.pop("chase_what")
    story.case.update(chase)


STEPS: list[Callable[[Story, World], None]] = [
    _consent, _agreement, _staff_close, demo_sessions.sessions, demo_certificates.certificates,
    demo_certificates.appeal, _caseload,
]
