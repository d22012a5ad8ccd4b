"""kidsmed schedule list: the mediator's view, as a table, JSON, CSV and an iCalendar file."""

import csv
import io
from datetime import UTC, datetime

import icalendar
import pytest
from bookable import add_people, make_bookable
from conftest import rows

from kidsmed.domain.dates import LONDON


@pytest.fixture
def diary(kidsmed, db_path):
    """Three cases booked over the next fortnight, and one cancelled session."""
    add_people(kidsmed)
    first = make_bookable(kidsmed, db_path)
    second = make_bookable(kidsmed, db_path, "--la", "Southvale")
    third = make_bookable(kidsmed, db_path)
    for ref, at, who, where in ((first, "3/12/2026 10:00", "Jo Mediator", ("--venue", "Oak Room")),
                                (second, "3/12/2026 13:30", "Jo Mediator", ("--remote", "video")),
                                (third, "3/12/2026 10:00", "Kim Mediator", ("--venue", "Elm Room")),
                                (first, "9/12/2026 14:00", "Kim Mediator", ("--venue", "Oak Room"))):
        assert kidsmed("schedule", "book", ref, "--at", at, "--mediator", who, *where,
                       "--la-officer", "Pat Officer").exit_code == 0
    kidsmed("schedule", "cancel", third, "--reason", "family unwell")
    return first, second, third


def test_json_lists_the_fortnight_in_time_order(kidsmed, diary):
    first, second, third = diary
    listed = kidsmed.json("schedule", "list")
    assert [(s["id"], s["ref"]) for s in listed] == [(1, first), (2, second), (4, first)]
    assert listed[0] == {
        "id": 1, "number": 1, "ref": first, "date": "2026-12-03", "start": "2026-12-03T10:00:00+00:00",
        "end": "2026-12-03T13:00:00+00:00", "mediator": "Jo Mediator", "venue": "Oak Room", "remote": None,
        "local_authority": "Northshire", "la_officer": "Pat Officer", "status": "booked", "outcome": None,
        "outcome_on": None}
    assert listed[1]["remote"] == "video" and listed[1]["venue"] is None


def test_filters(kidsmed, diary):
    first, second, third = diary
    assert [s["id"] for s in kidsmed.json("schedule", "list", "--all")] == [1, 3, 2, 4]
    assert [s["id"] for s in kidsmed.json("schedule", "list", "--mediator", "kim mediator", "--all")] == [3, 4]
    assert [s["id"] for s in kidsmed.json("schedule", "list", "--la", "southvale")] == [2]
    assert kidsmed.json("schedule", "list", "--days", "7") == []  # 26 Nov to 2 Dec
    assert [s["id"] for s in kidsmed.json("schedule", "list", "--days", "8")] == [1, 2]
    assert [s["id"] for s in kidsmed.json("schedule", "list", "--from", "4/12/2026", "--to", "9/12/2026")] == [4]
    assert kidsmed.json("schedule", "list", "--from", "10/12/2026") == []


def test_the_default_window_is_today_and_the_next_13_days(kidsmed, diary, env_now):
    assert [s["id"] for s in kidsmed.json("schedule", "list", "--from", "27/11/2026")] == [1, 2, 4]
    env_now("2026-11-27T10:00")  # Fri: 9 Dec is day 13, 10 Dec day 14
    assert [s["id"] for s in kidsmed.json("schedule", "list")] == [1, 2, 4]
    env_now("2026-12-04T10:00")
    assert [s["id"] for s in kidsmed.json("schedule", "list")] == [4]
    env_now("2026-11-26T18:00")  # later today: today's list still starts this morning
    assert [s["id"] for s in kidsmed.json("schedule", "list", "--from", "3/12/2026", "--days", "1")] == [1, 2]


def test_bad_windows_and_unknown_mediators(kidsmed, diary):
    result = kidsmed("schedule", "list", "--to", "1/12/2026", "--days", "3")
    assert (result.exit_code, result.stderr) == (2, "Error: give --to or --days, not both — e.g. --days 7\n")
    result = kidsmed("schedule", "list", "--from", "3/12/2026", "--to", "1/12/2026")
    assert (result.exit_code, result.stderr) == (
        2, "Error: --to Tue 1 Dec 2026 is before --from Thu 3 Dec 2026 — swap them\n")
    assert kidsmed("schedule", "list", "--days", "0").exit_code == 2
    result = kidsmed("schedule", "list", "--mediator", "jo")
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: there is no mediator called 'jo' — did you mean Jo Mediator?")


def test_the_table_is_grouped_by_day(kidsmed, diary):
    out = kidsmed("schedule", "list", env={"COLUMNS": "120"}).stdout
    assert out.index("Thu 3 Dec 2026") < out.index("10:00–13:00") < out.index("13:30–16:30") \
        < out.index("Wed 9 Dec 2026") < out.index("14:00–17:00")
    assert "Video" in out and "Pat" in out
    # At 80 columns the LA officer goes, so that each session stays on one line.
    assert "Pat" not in kidsmed("schedule", "list").stdout
    assert kidsmed("schedule", "list", "--from", "10/12/2026").stdout == (
        "No sessions from Thu 10 Dec 2026 to Wed 23 Dec 2026.\n")


def test_the_table_numbers_each_session_within_its_case(kidsmed, diary):
    """Issue 16 item 6: the second session of the first case reads '#2', at 80 columns and at 120."""
    first, second, _ = diary
    for width in ("80", "120"):
        out = kidsmed("schedule", "list", env={"COLUMNS": width}).stdout
        assert [line.split("  ")[1] for line in out.splitlines() if line[:2].isdigit()] == [
            f"{first} #1", f"{second} #1", f"{first} #2"], out


def test_csv(kidsmed, diary):
    listed = list(csv.DictReader(io.StringIO(kidsmed("schedule", "list", "--format", "csv").stdout)))
    assert [r["id"] for r in listed] == ["1", "2", "4"]
    assert list(listed[0]) == ["id", "number", "ref", "date", "start", "end", "mediator", "venue", "remote",
                               "local_authority", "dfe_la_code", "la_officer", "status", "outcome", "outcome_on"]


def _calendar(kidsmed, *args):
    result = kidsmed("schedule", "list", "--format", "ics", *args)
    assert result.exit_code == 0, result.output
    return result.stdout, icalendar.Calendar.from_ical(result.stdout)


def _uid(db_path, session_id: int) -> str:
    [(book,)] = rows(db_path, "SELECT identity FROM book")
    return f"session-{session_id}.{book}@kidsmed"


def test_ics_round_trip(kidsmed, db_path, diary):
    first, second, third = diary
    text, calendar = _calendar(kidsmed)
    events = {e["UID"]: e for e in calendar.walk("VEVENT")}
    assert list(events) == [_uid(db_path, n) for n in (1, 3, 2, 4)]
    one = events[_uid(db_path, 1)]
    assert one.decoded("DTSTART") == datetime(2026, 12, 3, 10, tzinfo=UTC)
    assert one.decoded("DTEND") == datetime(2026, 12, 3, 13, tzinfo=UTC)
    assert str(one["SUMMARY"]) == f"{first} session 1"
    assert str(one["LOCATION"]) == "Oak Room"
    assert str(one["STATUS"]) == "CONFIRMED"
    assert str(events[_uid(db_path, 2)]["LOCATION"]) == "Remote (video)"
    assert str(events[_uid(db_path, 3)]["STATUS"]) == "CANCELLED"
    assert str(events[_uid(db_path, 3)]["SUMMARY"]) == f"Cancelled: {third} session 1"
    for personal in ("Sam Example", "Alex Example", "example.org"):
        assert personal not in text


def test_a_moved_session_keeps_its_uid(kidsmed, db_path, diary):
    first, _, _ = diary
    kidsmed("schedule", "move", first, "--to", "4/12/2026 10:00", "--reason", "room flooded", "--session", "1")
    _, calendar = _calendar(kidsmed)
    [moved] = [e for e in calendar.walk("VEVENT") if e["UID"] == _uid(db_path, 1)]
    assert moved.decoded("DTSTART") == datetime(2026, 12, 4, 10, tzinfo=UTC)


def test_an_empty_calendar_is_still_a_calendar(kidsmed):
    _, calendar = _calendar(kidsmed)
    assert calendar.walk("VEVENT") == [] and str(calendar["VERSION"]) == "2.0"


@pytest.mark.parametrize(("now", "days"), [
    ("2026-03-16T10:00", (("27/3/2026 10:00", "2026-03-27T10:00:00+00:00"),   # Fri before the change: GMT
                          ("30/3/2026 10:00", "2026-03-30T09:00:00+00:00"))),  # Mon after: BST
    ("2026-10-12T10:00", (("23/10/2026 10:00", "2026-10-23T09:00:00+00:00"),  # Fri before: BST
                          ("26/10/2026 10:00", "2026-10-26T10:00:00+00:00"))),  # Mon after: GMT
])
def test_ten_oclock_stays_ten_oclock_across_the_clock_changes(kidsmed, db_path, env_now, now, days):
    add_people(kidsmed)
    env_now(now)
    ref = make_bookable(kidsmed, db_path, "--decision-date", now[:10])
    for at, _ in days:
        assert kidsmed("schedule", "book", ref, "--at", at, "--mediator", "Jo Mediator",
                       "--venue", "Oak Room").exit_code == 0
    listed = kidsmed.json("schedule", "list", "--days", "30")
    _, calendar = _calendar(kidsmed, "--days", "30")
    starts = [e.decoded("DTSTART") for e in calendar.walk("VEVENT")]
    for session, start, (_, utc_start) in zip(listed, starts, days, strict=True):
        assert start == datetime.fromisoformat(utc_start)
        assert start.astimezone(LONDON).strftime("%H:%M") == "10:00"
        assert datetime.fromisoformat(session["start"]).strftime("%H:%M") == "10:00"
    assert "10:00–13:00" in kidsmed("schedule", "list", "--days", "30").stdout
