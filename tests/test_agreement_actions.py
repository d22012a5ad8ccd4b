"""Issue 14 item 5: each action agreed at mediation has its own clock (SEND Regulations 2014 reg 42).

The agreement is reached on Thu 3 Dec 2026 (`schedule outcome --result agreement`); its placeholder
clock (2 weeks) is replaced by the first action recorded, and each later action adds its own.
"""

import pytest
from bookable import add_people, make_bookable

RULE = "agreement-actions"


@pytest.fixture
def agreed(kidsmed, db_path, env_now):
    """A mediation that ended in agreement on `on`; returns its reference."""
    def make(on="2026-12-03", result="agreement", *intake):
        add_people(kidsmed)
        env_now(f"{on}T08:00")
        ref = make_bookable(kidsmed, db_path, *intake)
        assert kidsmed("schedule", "book", ref, "--at", f"{on} 10:00", "--mediator", "Jo Mediator",
                       "--remote", "video", "--short-notice-agreed").exit_code == 0
        env_now(f"{on}T16:00")
        assert kidsmed("schedule", "outcome", ref, "--result", result).exit_code == 0
        return ref
    return make


def actions(kidsmed, ref):
    return [(c["start_event"].split(" ")[1], c["due_on"], c["state"])
            for c in kidsmed.json("show", ref)["clocks"] if c["rule"] == RULE]


@pytest.mark.parametrize(("kind", "due", "appealable", "source"), [
    ("amend-plan", "2027-01-07", "appealable", "reg 42(2), reg 44(2)(e): amend the EHC plan, 5 weeks"),
    ("issue-plan", "2027-01-07", "appealable", "reg 42(2), reg 44(2)(c): a draft EHC plan, 5 weeks"),
    ("assess", "2026-12-17", "appealable", "reg 42(2), reg 44(2)(b): assess or reassess, 2 weeks"),
    ("name-school", "2026-12-17", "appealable", "reg 42(2), reg 44(2)(f): name the school, 2 weeks"),
    ("continue-plan", "2026-12-03", "appealable", "reg 42(2), reg 44(2)(g): keep the EHC plan, immediately"),
    ("other", "2026-12-17", "not appealable", "reg 42(3): not appealable, 2 weeks"),
    ("health-notice", "2026-12-10", "not appealable", "reg 42(4): the health body tells the LA, 1 week"),
])
def test_each_kind_has_its_time_limit(kidsmed, agreed, kind, due, appealable, source):
    ref = agreed()
    result = kidsmed("due", "action", ref, kind, "--what", "as the agreement says")
    assert result.exit_code == 0, result.output
    day = {"2027-01-07": "Thu 7 Jan 2027", "2026-12-17": "Thu 17 Dec 2026", "2026-12-03": "Thu 3 Dec 2026",
           "2026-12-10": "Thu 10 Dec 2026"}[due]
    assert result.stdout.startswith(f"Recorded {kind} for {ref} ({appealable}): due {day} — {source}.\n")
    assert actions(kidsmed, ref) == [(kind, due, "running")]  # it took the placeholder's place
    [event] = [e for e in kidsmed.json("show", ref)["timeline"] if e["action"] == "agreement-action"]
    assert event["detail"]["appealable"] == (appealable == "appealable")
    assert event["note"] == "as the agreement says"


def test_one_clock_per_action_each_marked_done_on_its_own(kidsmed, agreed, env_now):
    ref = agreed()
    for kind in ("name-school", "amend-plan", "health-notice"):
        assert kidsmed("due", "action", ref, kind).exit_code == 0
    assert actions(kidsmed, ref) == [("name-school", "2026-12-17", "running"), ("amend-plan", "2027-01-07", "running"),
                                     ("health-notice", "2026-12-10", "running")]
    env_now("2026-12-21T10:00")
    both = kidsmed("due", "done", ref, RULE)
    assert (both.exit_code, both.stderr) == (2, (
        f"Error: {ref} has 3 agreed actions running (name-school, amend-plan, health-notice) — "
        "say which with --action KIND\n"))
    done = kidsmed("due", "done", ref, RULE, "--action", "name-school", "--on", "16/12/2026")
    assert done.exit_code == 0, done.output
    assert actions(kidsmed, ref) == [("name-school", "2026-12-17", "met"), ("amend-plan", "2027-01-07", "running"),
                                     ("health-notice", "2026-12-10", "breached")]
    listed = [(r["rule"], r["due_on"]) for r in kidsmed.json("due") if r["rule"] == RULE]
    assert listed == [(RULE, "2026-12-10"), (RULE, "2027-01-07")]


def test_another_timescale_agreed_in_writing_needs_a_reason(kidsmed, agreed):
    ref = agreed()
    result = kidsmed("due", "action", ref, "amend-plan", "--by", "29/1/2027")
    assert (result.exit_code, result.stderr) == (2, (
        "Error: --by and --reason go together — give both for another timescale the parties agreed in "
        "writing (reg 42(5))\n"))
    result = kidsmed("due", "action", ref, "amend-plan", "--by", "29/1/2027", "--reason", "annual review first")
    assert result.exit_code == 0, result.output
    assert "due Fri 29 Jan 2027 — reg 42(5): another timescale agreed in writing." in result.stdout
    [clock] = [c for c in kidsmed.json("show", ref)["clocks"] if c["rule"] == RULE]
    assert clock["description"] == (
        "day 0 of 57 days · due Fri 29 Jan 2027 (agreement-actions, from 'agreed: amend-plan "
        "(reg 42(5): another timescale agreed in writing)' on Thu 3 Dec 2026)")


def test_christmas_and_a_bank_holiday_added_do_not_move_calendar_weeks(kidsmed, agreed):
    # Agreement Fri 18 Dec 2026: 2 weeks is Fri 1 Jan 2027, a bank holiday, and stays there.
    ref = agreed("2026-12-18")
    assert kidsmed("due", "action", ref, "other").exit_code == 0
    assert kidsmed("holidays", "add", "2026-12-31", "Extra bank holiday").exit_code == 0
    assert actions(kidsmed, ref) == [("other", "2027-01-01", "running")]


def test_a_leap_year_five_weeks(kidsmed, agreed):
    ref = agreed("2028-02-04")  # Fri 4 Feb 2028 + 5 weeks = Fri 10 Mar 2028, through 29 Feb
    assert kidsmed("due", "action", ref, "amend-plan").exit_code == 0
    assert actions(kidsmed, ref) == [("amend-plan", "2028-03-10", "running")]


def test_no_agreement_no_actions(kidsmed, agreed):
    ref = agreed(result="no-agreement")
    result = kidsmed("due", "action", ref, "other")
    assert (result.exit_code, result.stderr) == (1, (
        f"Error: {ref} has no agreement to act on — record the agreement first with "
        f"'kidsmed schedule outcome {ref} --result agreement'\n"))


def test_an_unknown_kind_is_bad_input(kidsmed, agreed):
    ref = agreed()
    result = kidsmed("due", "action", ref, "fix-everything")
    assert result.exit_code == 2 and result.stderr.startswith(
        "Error: 'fix-everything' is not a known kind of agreed action — use one of: assess, issue-plan,")
