"""kidsmed demo books realistic sessions for the cases its story left ready to book: past ones
with outcomes, some cancelled, upcoming ones, some today, never a clash and never on a closed
day. 'Now' is Thu 26 Nov 2026 10:00."""

import json
from datetime import date, datetime, time

import pytest
from conftest import rows
from test_demo import made_demo

from kidsmed.domain.calendar import Calendar
from kidsmed.domain.dates import LONDON
from kidsmed.domain.demo_sessions import CANCEL_REASONS
from kidsmed.domain.workflow import latest_answers, required_parties

TODAY = date(2026, 11, 26)
NOW = "2026-11-26T10:00:00+00:00"
COLUMNS = ("id", "case_id", "start", "end", "status", "outcome", "outcome_on", "booked_at", "cancelled_at",
           "cancel_reason")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return made_demo(tmp_path_factory, 600, 3)


def sessions(db_path):
    return [dict(zip(COLUMNS, r, strict=True))
            for r in rows(db_path, f"SELECT {', '.join(COLUMNS)} FROM sessions ORDER BY start_utc, id")]


def by_case(db_path) -> dict[int, list[dict]]:
    found = {}
    for s in sessions(db_path):
        found.setdefault(s["case_id"], []).append(s)
    return found


def day_of(session) -> date:
    return datetime.fromisoformat(session["start"]).date()


def test_people_are_registered(demo_db):
    assert rows(demo_db, "SELECT count(*) FROM mediators")[0][0] >= 6
    assert rows(demo_db, "SELECT count(*) FROM venues")[0][0] >= 4
    for (email,) in rows(demo_db, "SELECT email FROM mediators"):
        assert email.endswith("@example.org")


def test_past_upcoming_and_today(demo_db):
    live = [s for s in sessions(demo_db) if s["status"] != "cancelled"]
    days = [day_of(s) for s in live]
    assert sum(d < TODAY for d in days) >= 10
    assert sum(d == TODAY for d in days) >= 3
    assert sum(TODAY < d < date(2026, 12, 10) for d in days) >= 5
    assert max(days) < date(2026, 12, 10)  # this week and next
    cal = Calendar()
    for s in live:
        past = day_of(s) < TODAY
        if s["outcome"] is None:
            # Still to come, or held in the last two working days and not yet written up.
            assert s["status"] == "booked" and (not past or cal.working_days_between(day_of(s), TODAY) <= 2)
        else:
            assert past and s["outcome_on"] == day_of(s).isoformat()
            assert s["status"] == ("did-not-proceed" if s["outcome"] == "did-not-proceed" else "held")
        assert datetime.fromisoformat(s["booked_at"]) < datetime.fromisoformat(s["start"])
    assert 0 < sum(s["status"] == "booked" and day_of(s) < TODAY for s in live) <= 5


def test_some_sessions_are_cancelled_between_booking_and_the_day(demo_db):
    cancelled = [s for s in sessions(demo_db) if s["status"] == "cancelled"]
    assert len(cancelled) >= 10
    for s in cancelled:
        assert s["outcome"] is None and s["cancel_reason"] in CANCEL_REASONS
        assert s["booked_at"] <= s["cancelled_at"] <= NOW
        cancelled_at = datetime.fromisoformat(s["cancelled_at"]).astimezone(LONDON)
        assert cancelled_at.date() < day_of(s) and cancelled_at.weekday() < 5
        assert time(9) <= cancelled_at.time() <= time(17)


def test_sessions_are_on_bookable_days_within_hours(demo_db):
    cal = Calendar()
    for s in sessions(demo_db):
        start, end = datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"])
        assert cal.is_bookable(start.date())
        wall_start, wall_end = start.astimezone(LONDON).time(), end.astimezone(LONDON).time()
        assert time(9) <= wall_start and wall_end <= time(17)


@pytest.mark.parametrize("column", ["mediator_id", "venue_id"])
def test_no_one_is_double_booked(demo_db, column):
    assert rows(demo_db, f"SELECT count(*) FROM sessions a JOIN sessions b ON a.{column} = b.{column}"
                         " AND a.id < b.id AND a.start_utc < b.end_utc AND a.end_utc > b.start_utc") == [(0,)]


def test_case_statuses_follow_their_sessions(demo_db):
    held = by_case(demo_db)
    cases = rows(demo_db, "SELECT id, kind, issues, other_party, status, closed_on, closed_reason FROM cases"
                          " WHERE id IN (SELECT case_id FROM sessions)")
    assert {c[4] for c in cases} == {"ready-to-book", "booked", "closed"}
    assert rows(demo_db, "SELECT count(*) FROM cases WHERE status = 'booked' OR closed_reason = "
                         "'mediation-concluded'") == [(sum(c[4] != "ready-to-book" for c in cases),)]
    for case_id, kind, issues, other_party, status, closed_on, closed_reason in cases:
        answers = latest_answers([{"party": p, "answer": a} for p, a in rows(
            demo_db, "SELECT party, answer FROM agreements WHERE case_id = ? ORDER BY id", (case_id,))])
        assert {p for p, a in answers.items() if a["answer"] == "yes"} == set(
            required_parties(kind, json.loads(issues), other_party))
        *before, last = [s for s in held[case_id] if s["status"] != "cancelled"] or [None]
        assert all(s["outcome"] in ("adjourned", "did-not-proceed") for s in before)
        if status == "closed":
            assert (closed_reason, closed_on) == ("mediation-concluded", last["outcome_on"])
            assert last["outcome"] in ("agreement", "partial", "no-agreement")
        elif status == "booked":
            assert last["status"] == "booked"
        else:
            assert last is None or last["outcome"] in ("adjourned", "did-not-proceed")


def test_held_sessions_meet_the_thirty_day_clock_the_story_started(demo_db):
    held = by_case(demo_db)
    for case_id, state, started, met in rows(
            demo_db, "SELECT case_id, state, started_on, met_on FROM clocks"
                     " WHERE rule = 'mediation-within-30-days' AND case_id IN (SELECT case_id FROM sessions)"):
        first_held = next((s["outcome_on"] for s in held[case_id] if s["status"] == "held"), None)
        family_yes = rows(demo_db, "SELECT on_date FROM agreements WHERE case_id = ? AND party = 'family'",
                          (case_id,))
        assert family_yes == [(started,)]
        assert (state, met) == (("met", first_held) if first_held else ("running", None))


def test_concluded_mediations_have_their_clocks(demo_db):
    for case_id, kind, outcome, on in rows(
            demo_db, "SELECT c.id, c.kind, s.outcome, s.outcome_on FROM cases c JOIN sessions s ON s.case_id = c.id"
                     " WHERE c.status = 'closed' AND s.outcome IN ('agreement', 'partial', 'no-agreement')"):
        clocks = {rule: (state, started) for rule, state, started in rows(
            demo_db, "SELECT rule, state, started_on FROM clocks WHERE case_id = ?", (case_id,))}
        if kind == "mediation":
            assert clocks["mediation-within-30-days"][0] == "met"
            assert clocks["certificate-after-mediation"][1] == on
        assert ("agreement-actions" in clocks) == (outcome in ("agreement", "partial"))
        assert all(state != "running" for rule, (state, _) in clocks.items()
                   if rule not in ("certificate-after-mediation", "agreement-actions", "appeal-deadline"))


def test_the_mediators_list_shows_todays_sessions(kidsmed, demo_db):
    listed = kidsmed.json("--db", str(demo_db), "schedule", "list", "--days", "1")
    assert len(listed) >= 3 and {s["date"] for s in listed} == {"2026-11-26"}


def test_a_tiny_demo_still_works(kidsmed, db_path):
    assert kidsmed("demo", "--cases", "5").exit_code == 0
    assert rows(db_path, "SELECT count(*) FROM mediators") == [(6,)]
