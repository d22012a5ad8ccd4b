"""Realistic, obviously fictional cases for training, demonstrations and benchmarks.

Every name is invented; phone numbers are in Ofcom's drama range (07700 900xxx) and
email addresses are at example.org. Cases are spread over the 12 months before now.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta

from kidsmed.domain import demo_sessions, workflow
from kidsmed.domain.dates import LONDON
from kidsmed.domain.vocab import ISSUES, REFERRER_ROLES
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
BATCH = 2_000
# Enough for the benchmarks at 1,000,000 cases; a mistyped 10**12 must not fill the disk.
MAX_CASES = 2_000_000


def fill(db: Database, now: datetime, user: str, count: int, seed: int,
         progress: Callable[[int], None] = lambda done: None) -> int:
    """Add `count` fictional cases to an empty case book; returns how many were added."""
    if not 1 <= count <= MAX_CASES:
        from kidsmed.errors import BadInput

        raise BadInput(f"--cases must be from 1 to {MAX_CASES:,}", "e.g. kidsmed demo --cases 200")
    rng = random.Random(seed)
    with db.transaction():
        if store.has_cases(db):
            raise Refused("this database already holds cases",
                          "use demo only on a new file, e.g. --db /tmp/demo.db")
        first_id = store.next_case_id(db)
        received = sorted(_received_times(rng, now, count))
        sequences: dict[int, int] = {}
        for start in range(0, count, BATCH):
            batch = {"cases": [], "case_personal": []}
            for offset, moment in enumerate(received[start:start + BATCH]):
                case_id = first_id + start + offset
                year = moment.year
                sequences[year] = sequences.get(year, 0) + 1
                _add_case(batch, rng, case_id, year, sequences[year], moment, user)
            store.insert_batch(db, batch)
            progress(len(batch["cases"]))
        demo_sessions.add(db, now, user, rng, demo_sessions.candidates(db))
        events.record(db, _utc(now), user, None, "demo", {"cases": count, "seed": seed})
    return count


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


def _add_case(batch: dict, rng: random.Random, case_id: int, year: int, seq: int,
              received: datetime, user: str) -> None:
    role = rng.choice(REFERRER_ROLES)
    kind = "mediation" if rng.random() < 0.8 else "disagreement-resolution"
    issues = rng.sample(ISSUES, rng.choice((1, 1, 2, 3)))
    status, consent_status = workflow.initial_status(role)
    family_first, surname = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    batch["cases"].append({
        "id": case_id, "ref": f"KM-{year}-{seq:04d}", "year": year, "seq": seq, "created_by": user,
        "kind": kind, "status": status, "received_at": _utc(received),
        "received_on": received.date().isoformat(), "referrer_role": role,
        "referrer_org": ORGANISATIONS.get(role), "local_authority": rng.choice(LOCAL_AUTHORITIES),
        "other_party": "la" if kind == "mediation" else rng.choice(("la", "setting", "health")),
        "issues": issues,
        "decision_date": (received.date() - timedelta(days=rng.randrange(5, 50))).isoformat()
        if kind == "mediation" else None,
        "consent_status": consent_status,
    })
    batch["case_personal"].append({
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
    })


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
