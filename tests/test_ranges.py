"""Every number typed has a documented range, refused with exit 2 outside it (issue 12, items 13, 14).

Huge numbers used to end in "failed unexpectedly (OverflowError)"; a session of 0.0001 hours was
booked as 10:00–10:00, clashing with nothing.
"""

import pytest
from bookable import add_people, make_bookable
from conftest import checksum, rows

from kidsmed.domain.ranges import RANGES, span

HUGE = "99999999999999999999"


@pytest.fixture
def booked(kidsmed, db_path):
    add_people(kidsmed)
    ref = make_bookable(kidsmed, db_path)
    assert kidsmed("schedule", "book", ref, "--at", "3/12/2026 10:00", "--mediator", "Jo Mediator",
                   "--venue", "Oak Room").exit_code == 0
    return ref


@pytest.mark.parametrize(("args", "option", "fix"), [
    (("schedule", "list", "--days", "3000000"), "--days", "e.g. --days 7"),
    (("due", "--within", "3000000"), "--within", "the number of days ahead, e.g. --within 7"),
    (("due", "--within", "-1"), "--within", "the number of days ahead, e.g. --within 7"),
    (("due", "--limit", HUGE), "--limit", "or use --all to list every clock"),
    (("cases", "--limit", HUGE), "--limit", "or use --all to list every case"),
    (("report", "day", "--limit", HUGE), "--limit", "e.g. --limit 100"),
    (("report", "month", "2026-11", "--suppress-under", HUGE), "--suppress-under", "e.g. --suppress-under 5"),
    (("holidays", "list", "--year", "99999"), "--year", "give a year like 2027"),
    (("schedule", "cancel", "KM-2026-0001", "--reason", "ill", "--session", HUGE), "--session",
     "see the sessions' numbers with 'kidsmed show KM-2026-0001'"),
    (("schedule", "outcome", "KM-2026-0001", "--result", "agreement", "--session", HUGE), "--session",
     "see the sessions' numbers with 'kidsmed show KM-2026-0001'"),
])
def test_a_number_outside_its_range_is_bad_input(kidsmed, db_path, booked, args, option, fix):
    before = checksum(db_path)
    result = kidsmed(*args)
    assert (result.exit_code, result.stderr) == (2, f"Error: {option} must be from {span(option)} — {fix}\n")
    assert checksum(db_path) == before


def test_a_number_that_is_not_whole_is_bad_input(kidsmed):
    result = kidsmed("cases", "--limit", "1e30")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Invalid value for '--limit': '1e30' is not a valid int.")


def test_a_huge_demo_seed_is_refused(kidsmed, db_path):
    result = kidsmed("demo", "--cases", "5", "--seed", HUGE)
    assert (result.exit_code, result.stderr) == (
        2, "Error: --seed must be from 0 to 4,294,967,295 — e.g. kidsmed demo --seed 7\n")


def test_the_edges_of_each_range_are_accepted(kidsmed, booked):
    for args in (("schedule", "list", "--days", "366"), ("due", "--within", "0"), ("due", "--within", "366"),
                 ("cases", "--limit", "100000"), ("report", "day", "--limit", "1"), ("holidays", "list", "--year",
                                                                                       "2199")):
        assert kidsmed(*args).exit_code == 0, args


@pytest.mark.parametrize(("command", "option"), [
    (("schedule", "list"), "--days"), (("due",), "--within"), (("due",), "--limit"), (("cases",), "--limit"),
    (("report", "day"), "--limit"), (("report", "month"), "--suppress-under"), (("holidays", "list"), "--year"),
    (("schedule", "move"), "--session"), (("schedule", "book"), "--hours"), (("demo",), "--seed"),
])
def test_every_range_is_in_the_help(kidsmed, command, option):
    help_text = " ".join(kidsmed(*command, "--help").stdout.split())
    assert span(option) in help_text, (command, option)
    assert set(RANGES) >= {option}


# --- item 14: a session lasts from 30 minutes to 8 hours, however its length is typed ---------------

@pytest.mark.parametrize(("extra", "error"), [
    (("--hours", "0.0001"), "a session cannot last 0.0001 hours — give --hours from 0.5 to 8"),
    (("--hours", "0.25"), "a session cannot last 0.25 hours — give --hours from 0.5 to 8"),
    (("--hours", "nan"), "a session cannot last nan hours — give --hours from 0.5 to 8"),
    (("--hours", "1e308"), "a session cannot last 1e+308 hours — give --hours from 0.5 to 8"),
    (("--until", "10:01"), "a session cannot last 1 minute — give an --until from 30 minutes to 8 hours after "
                           "the start"),
    (("--until", "10:29"), "a session cannot last 29 minutes — give an --until from 30 minutes to 8 hours "
                           "after the start"),
])
def test_a_session_shorter_than_half_an_hour_is_refused(kidsmed, db_path, extra, error):
    add_people(kidsmed)
    ref = make_bookable(kidsmed, db_path)
    result = kidsmed("schedule", "book", ref, "--at", "3/12/2026 10:00", "--mediator", "Jo Mediator",
                     "--venue", "Oak Room", *extra)
    assert (result.exit_code, result.stderr) == (2, f"Error: {error}\n")
    assert rows(db_path, "SELECT count(*) FROM sessions") == [(0,)]


@pytest.mark.parametrize(("at", "extra", "shown"), [
    ("3/12/2026 10:00", ("--hours", "0.5"), "10:00–10:30"),
    ("3/12/2026 10:00", ("--until", "10:30"), "10:00–10:30"),
    ("3/12/2026 9:00", ("--until", "17:00"), "09:00–17:00"),
])
def test_half_an_hour_and_the_whole_day_are_bookable(kidsmed, db_path, at, extra, shown):
    add_people(kidsmed)
    ref = make_bookable(kidsmed, db_path)
    result = kidsmed("schedule", "book", ref, "--at", at, "--mediator", "Jo Mediator", "--venue", "Oak Room", *extra)
    assert result.exit_code == 0, result.output
    assert shown in result.stdout


def test_every_range_is_in_the_staff_guide():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[1] / "docs" / "staff-guide.md").read_text()
    for option in RANGES:
        assert f"| `{option}` | {span(option)}" in guide, option
