"""What the parties agreed at mediation, one action at a time, each with its own clock.

SEND Regulations 2014 (SI 2014/1530) reg 42 gives the time limits: an action the family could
have appealed to the Tribunal has the limit the Tribunal's order would have (reg 42(2), the limits
of reg 44(2)); any other action of the LA, 2 weeks (42(3)); a health body tells the LA of an
agreement the LA was not party to within 1 week (42(4)); and the parties may agree another
timescale in writing (42(5)). Reg 44(2) as quoted by GOV.UK's SEND18 guidance ("Carry out an order
in special educational needs cases", updated 1 Nov 2023) and IPSEA's note on BA v Nottinghamshire
CC [2021] EWHC 1348 (Admin): assess or reassess, notify within 2 weeks (44(2)(b)); make an EHC plan,
a draft within 5 weeks (44(2)(c)); amend a plan, 5 weeks (44(2)(e)); only the school named, 2 weeks
(44(2)(f)); continue to maintain a plan, immediately (44(2)(g)).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

from kidsmed.domain import case_clocks
from kidsmed.domain.cases import Result, case_view, get, utc
from kidsmed.domain.dates import format_date
from kidsmed.domain.vocab import choose
from kidsmed.errors import BadInput, Refused
from kidsmed.store import cases as case_store
from kidsmed.store import clocks as clock_store
from kidsmed.store import events
from kidsmed.store.db import Database

RULE = "agreement-actions"
# The clock a concluding agreement starts before its actions are recorded (scheduling.AGREED).
PLACEHOLDERS = ("agreement reached", "partial agreement reached")


class Kind(NamedTuple):
    """A kind of agreed action: whether the family could have appealed it, and its time limit."""

    appealable: bool
    days: int
    source: str


KINDS: dict[str, Kind] = {
    "assess": Kind(True, 14, "reg 42(2), reg 44(2)(b): assess or reassess, 2 weeks"),
    "issue-plan": Kind(True, 35, "reg 42(2), reg 44(2)(c): a draft EHC plan, 5 weeks"),
    "amend-plan": Kind(True, 35, "reg 42(2), reg 44(2)(e): amend the EHC plan, 5 weeks"),
    "name-school": Kind(True, 14, "reg 42(2), reg 44(2)(f): name the school, 2 weeks"),
    "continue-plan": Kind(True, 0, "reg 42(2), reg 44(2)(g): keep the EHC plan, immediately"),
    "other": Kind(False, 14, "reg 42(3): not appealable, 2 weeks"),
    "health-notice": Kind(False, 7, "reg 42(4): the health body tells the LA, 1 week"),
}
AGREED_IN_WRITING = "reg 42(5): another timescale agreed in writing"


def record(db: Database, now: datetime, user: str, ref: str, kind: str, *, by: date | None = None,
           reason: str | None = None, what: str | None = None) -> tuple[Result, dict]:
    """Record one agreed action: its own agreement-actions clock, due by its kind's time limit,
    or by `by`, another timescale the parties agreed in writing (with the `reason`)."""
    kind = choose(kind, tuple(KINDS), "kind of agreed action")
    reason, what = (reason or "").strip() or None, (what or "").strip() or None
    if bool(by) != bool(reason):
        raise BadInput("--by and --reason go together",
                       "give both for another timescale the parties agreed in writing (reg 42(5))")
    with db.transaction():
        case = get(db, ref)
        agreed = clock_store.latest(db, case["id"], RULE)
        if agreed is None:
            raise Refused(f"{case['ref']} has no agreement to act on", "record the agreement first with "
                          f"'kidsmed schedule outcome {case['ref']} --result agreement'")
        started = date.fromisoformat(agreed["started_on"])
        due = by or started + timedelta(days=KINDS[kind].days)
        if due < started:
            raise BadInput(f"{format_date(due)} is before the agreement ({format_date(started)})", "check --by")
        action = {"kind": kind, "appealable": KINDS[kind].appealable, "started_on": started.isoformat(),
                  "due_on": due.isoformat(), "source": AGREED_IN_WRITING if by else KINDS[kind].source}
        start_event = f"agreed: {kind} ({action['source']})"
        event_id = events.record(db, utc(now), user, case["id"], "agreement-action",
                                 {key: action[key] for key in ("kind", "appealable", "due_on", "source")})
        # The action's own words and the reason for another timescale go with the notes, which erasure clears.
        if text := "; ".join(part for part in (what, reason and f"Timescale agreed: {reason}") if part):
            case_store.add_note(db, case["id"], event_id, text)
        if agreed["state"] == "running" and agreed["start_event"] in PLACEHOLDERS:
            clock_store.replace(db, agreed["id"], start_event, action["due_on"])  # the first action takes its place
        else:
            case_clocks.start(db, now, user, case, RULE, start_event, started, due=due)
        return Result(case_view(db, case["ref"], now)), action


def running_for(db: Database, case: dict, kind: str | None) -> dict:
    """The running agreement-actions clock to mark done: the one of `kind`, or the only one."""
    running = clock_store.running(db, case["id"], RULE)
    if kind is not None:
        kind = choose(kind, tuple(KINDS), "kind of agreed action")
        running = [c for c in running if c["start_event"].startswith(f"agreed: {kind} ")]
    if not running:
        raise Refused(f"{case['ref']} has no running {RULE} clock" + (f" for {kind}" if kind else ""),
                      f"see its clocks with 'kidsmed show {case['ref']}'")
    if len(running) > 1 and kind is None:
        kinds = ", ".join(c["start_event"].removeprefix("agreed: ").split(" (")[0] for c in running)
        raise BadInput(f"{case['ref']} has {len(running)} agreed actions running ({kinds})",
                       "say which with --action KIND")
    return running[0]
