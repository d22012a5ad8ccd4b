"""kidsmed demo books realistic sessions: past ones with outcomes, upcoming ones, some today,
never a clash and never on a closed day. 'Now' is Thu 26 Nov 2026 10:00."""

import json
from datetime import date, datetime, time

import pytest
from conftest import rows

from kidsmed.domain.calendar import Calendar
from kidsmed.domain.dates import LONDON
from kidsmed.domain.workflow import required_parties

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from typer.testing import CliRunner

    from kidsmed.cli.app import app
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(app, ["--db", str(path), "demo", "--cases", "600", "--seed", "3"],
                                env={"KIDSMED_NOW": "2026-11-26T10:00", "KIDSMED_USER": "demo"})
    assert result.exit_code == 0, result.output
    return path


def sessions(db_path):
    return [dict(zip(("id", "case_id", "start", "end", "status", "outcome", "outcome_on"), r, strict=True))
            for r in rows(db_path, "SELECT id, case_id, start, end, status, outcome, outcome_on FROM sessions")]


def test_people_are_registered(demo_db):
    assert rows(demo_db, "SELECT count(*) FROM mediators")[0][0] >= 6
    assert rows(demo_db, "SELECT count(*) FROM venues")[0][0] >= 4
    for (email,) in rows(demo_db, "SELECT email FROM mediators"):
        assert email.endswith("@example.org")


def test_past_upcoming_and_today(demo_db):
    days = [datetime.fromisoformat(s["start"]).date() for s in sessions(demo_db)]
    assert sum(d < TODAY for d in days) >= 10
    assert sum(d == TODAY for d in days) >= 3
    assert sum(TODAY < d < date(2026, 12, 10) for d in days) >= 5
    assert max(days) < date(2026, 12, 10)  # this week and next
    for s in sessions(demo_db):
        past = datetime.fromisoformat(s["start"]).date() < TODAY
        assert (s["outcome"] is not None) == past
        assert s["status"] == ("booked" if not past else "did-not-proceed" if s["outcome"] == "did-not-proceed"
                               else "held")


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
    by_case = {}
    for s in sessions(demo_db):
        by_case.setdefault(s["case_id"], []).append(s)
    cases = rows(demo_db, "SELECT id, kind, issues, other_party, status, closed_on, closed_reason FROM cases"
                          " WHERE id IN (SELECT case_id FROM agreements)")
    assert {c[4] for c in cases} == {"ready-to-book", "booked", "closed"}
    for case_id, kind, issues, other_party, status, closed_on, closed_reason in cases:
        agreed = {p for (p,) in rows(demo_db, "SELECT party FROM agreements WHERE case_id = ? AND answer = 'yes'",
                                     (case_id,))}
        assert agreed == set(required_parties(kind, json.loads(issues), other_party))
        [session] = by_case.get(case_id, [None])
        if status == "closed":
            assert (closed_reason, closed_on) == ("mediation-concluded", session["outcome_on"])
            assert session["outcome"] in ("agreement", "partial", "no-agreement")
        elif status == "booked":
            assert session["status"] == "booked"
        else:
            assert session is None or session["outcome"] in ("adjourned", "did-not-proceed")


def test_concluded_mediations_have_their_clocks(demo_db):
    for case_id, kind, outcome, on in rows(
            demo_db, "SELECT c.id, c.kind, s.outcome, s.outcome_on FROM cases c JOIN sessions s ON s.case_id = c.id"
                     " WHERE c.status = 'closed'"):
        clocks = {rule: (state, started) for rule, state, started in rows(
            demo_db, "SELECT rule, state, started_on FROM clocks WHERE case_id = ?", (case_id,))}
        if kind == "mediation":
            assert clocks["mediation-within-30-days"][0] == "met"
            assert clocks["certificate-after-mediation"] == ("running", on)
        assert ("agreement-actions" in clocks) == (outcome in ("agreement", "partial"))


def test_the_mediators_list_shows_todays_sessions(kidsmed, demo_db):
    listed = kidsmed.json("--db", str(demo_db), "schedule", "list", "--days", "1")
    assert len(listed) >= 3 and {s["date"] for s in listed} == {"2026-11-26"}


def test_a_tiny_demo_still_works(kidsmed, db_path):
    assert kidsmed("demo", "--cases", "5").exit_code == 0
    assert rows(db_path, "SELECT count(*) FROM mediators")[0][0] in (0, 6)
