"""Certificates and appeals for `kidsmed demo`: the last steps of a case's story.

A certificate is issued as `kidsmed certificate issue` would issue it — typed by the clock
that owes it, numbered after the case, with the family's appeal deadline — and meets that
clock. Most are issued within the 3 working days, some a few days late, and the most
recent ones are still to issue, so `kidsmed due` has something running and a little overdue.
"""

from __future__ import annotations

from datetime import date, timedelta

from kidsmed.domain.certificates import TYPE_OF_CLOCK
from kidsmed.domain.clocks import APPEAL, appeal_deadline
from kidsmed.domain.demo_story import Story, World, meet_clock, start_clock

ON_TIME_SHARE = 0.85
ON_TIME_WORKING_DAYS = (0, 3)  # after the clock started (3 is its due date)
LATE_WORKING_DAYS = (1, 4)  # after the due date
APPEAL_SHARE = 0.25  # of the families whose mediation concluded
APPEAL_AFTER_DAYS = (3, 28)  # after the certificate


def certificates(story: Story, world: World) -> None:
    """Issue the certificate each running certificate clock owes, once its day has come."""
    for clock in story.rows["clocks"]:
        if clock["state"] == "running" and clock["rule"] in TYPE_OF_CLOCK:
            _issue(story, world, clock)


def _issue(story: Story, world: World, clock: dict) -> None:
    rng, cal = world.rng, world.cal
    started, due = date.fromisoformat(clock["started_on"]), date.fromisoformat(clock["due_on"])
    if rng.random() < ON_TIME_SHARE:
        on = cal.add_working_days(started, rng.randint(*ON_TIME_WORKING_DAYS))
    else:
        on = cal.add_working_days(due, rng.randint(*LATE_WORKING_DAYS))
    if started >= world.today or on > world.today:
        return  # still to issue
    case = story.case
    decision = date.fromisoformat(case["decision_date"]) if case["decision_date"] else None
    deadline, why = appeal_deadline(decision, on, cal)
    story.rows["certificates"].append({
        "number": f"{case['ref']}-C{len(story.rows['certificates']) + 1}", "type": TYPE_OF_CLOCK[clock["rule"]],
        "due_on": clock["due_on"], "issued_on": on.isoformat(), "issued_by": world.user, "on_time": on <= due,
        "appeal_deadline": deadline.isoformat(), "appeal_rule": why, "reissue_of": None, "reissue_reason": None,
    })
    meet_clock(story, clock["rule"], on)
    start_clock(story, world, APPEAL, "certificate issued", on)


def appeal(story: Story, world: World) -> None:
    """A share of the families whose mediation concluded appeal to the SEND Tribunal within the
    time their certificate gives them, as `kidsmed appeal` records it."""
    case, issued = story.case, story.rows["certificates"]
    if case["closed_reason"] != "mediation-concluded" or not issued or world.rng.random() >= APPEAL_SHARE:
        return
    lodged = date.fromisoformat(issued[-1]["issued_on"]) + timedelta(days=world.rng.randint(*APPEAL_AFTER_DAYS))
    if lodged <= min(world.today, date.fromisoformat(issued[-1]["appeal_deadline"])):
        case["appeal_lodged_on"] = lodged.isoformat()
        meet_clock(story, APPEAL, lodged)
