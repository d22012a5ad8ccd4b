"""What every step of `kidsmed demo` works on: the world the stories happen in, one case's
story, and the moves the steps make on it — time passing, clocks started, met and stopped,
the case closed or erased — by the rules the commands follow (`clocks.due_date`,
`case_clocks`, `gates.erase`), so that a demo case reads as if staff had taken it through
the commands.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from kidsmed.domain.calendar import Calendar
from kidsmed.domain.clocks import INFORMATIONAL, due_date
from kidsmed.domain.clocks import rule as clock_rule
from kidsmed.domain.dates import LONDON, utc

if TYPE_CHECKING:
    from kidsmed.demo.sessions import Diary

# The rows hanging off a case, in the order they are written.
ROW_TABLES = ("consents", "agreements", "clocks", "sessions", "certificates")
# Clocks that staff mark done (`due done`), and how many days after the start they usually do.
MARKED_DONE = {"health-notice": (1, 3), "agreement-actions": (5, 14)}
OFFICE_MINUTES = 8 * 60  # 09:00 to 17:00


@dataclass
class World:
    """What every step shares: the dice, the moment the demo is made in (Europe/London), the
    calendar, the member of staff every change is recorded by, and the mediators' diary."""

    rng: random.Random
    now: datetime
    cal: Calendar
    user: str
    diary: Diary
    # Dice of their own for the details added after the first demo (owners, chases): drawing
    # them from `rng` would change every case after the first, and the docs' examples with them.
    later_rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self.today: date = self.now.date()
        self.written_at = utc(self.now)  # the moment every event the demo records is stamped with


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


def later(story: Story, world: World, within_days: int) -> datetime | None:
    """A working-hours moment up to `within_days` after the story's last; None if still to come."""
    day = story.moment.date() + timedelta(days=world.rng.randrange(within_days + 1))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    moment = datetime.combine(day, time(9), LONDON) + timedelta(minutes=world.rng.randrange(OFFICE_MINUTES))
    if moment > world.now:
        return None
    story.moment = max(moment, story.moment)
    return story.moment


def start_clock(story: Story, world: World, rule: str, start_event: str, started: date) -> None:
    """As `case_clocks.start` does: only a rule that applies to this kind of case. A clock staff
    mark done is marked a few days later, if that day has come."""
    if story.case["kind"] not in clock_rule(rule).kinds:
        return
    decision = date.fromisoformat(story.case["decision_date"]) if story.case.get("decision_date") else None
    clock = {"rule": rule, "start_event": start_event, "started_on": started.isoformat(),
             "due_on": due_date(rule, started, world.cal, decision).isoformat(),
             "state": "family" if rule in INFORMATIONAL else "running", "met_on": None}
    story.rows["clocks"].append(clock)
    if rule in MARKED_DONE:
        done = started + timedelta(days=world.rng.randint(*MARKED_DONE[rule]))
        if done <= world.today:
            meet_clock(story, rule, done)


def meet_clock(story: Story, rule: str, on: date) -> None:
    """As `case_clocks.meet` does: the running `rule` clock is met on `on` (late if after its due date)."""
    for clock in story.rows["clocks"]:
        if clock["rule"] == rule and clock["state"] in ("running", "family"):
            clock.update(state="met", met_on=on.isoformat())


def close(story: Story, reason: str, on: date) -> None:
    """Close the case on `on`, as `gates.close_case` does: what was still to be done by then
    stops on `on` (a clock the closure owes is started after; the family's deadline runs on)."""
    story.case.update(status="closed", closed_on=on.isoformat(), closed_reason=reason)
    for clock in story.rows["clocks"]:
        if clock["rule"] in INFORMATIONAL:
            continue
        if clock["state"] == "running" or (clock["met_on"] or "") > on.isoformat():
            clock.update(state="stopped", met_on=on.isoformat())


def erase(story: Story, when: datetime) -> None:
    """What `gates.erase` leaves of a case: no personal row, no names or free text in its rows."""
    story.personal = None
    story.case.update(erased_at=utc(when), referrer_org=None)
    for row in story.rows["consents"]:
        row.update(given_by=None, note=None)
    for row in story.rows["agreements"]:
        row.update(contact=None, note=None)
    for row in story.rows["sessions"]:
        row.update(la_officer=None, force_reason=None, cancel_reason=None)
