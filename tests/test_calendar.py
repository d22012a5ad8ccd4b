"""Bank holidays and working days in England and Wales."""

import json
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kidsmed.domain.calendar import (
    FACTS_FILE,
    Calendar,
    Holiday,
    add_months,
    regular_holidays,
    statutory_holidays,
)
from kidsmed.resources import read_data

CAL = Calendar()


def _govuk_file() -> Path:
    """GOV.UK's bank-holidays.json in the shared folder beside the repository, or $KIDSMED_SHARED."""
    shared = os.environ.get("KIDSMED_SHARED")
    if shared and Path(shared).is_file():
        return Path(shared)
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / "shared"
    return base / "data" / "bank-holidays.json"


def _govuk_by_year() -> dict[int, dict[date, str]]:
    path = _govuk_file()
    if not path.is_file():
        pytest.skip(f"GOV.UK bank-holidays.json not found at {path} (set KIDSMED_SHARED to its folder)")
    by_year: dict[int, dict[date, str]] = {}
    for event in json.loads(path.read_text(encoding="utf-8"))["england-and-wales"]["events"]:
        day = date.fromisoformat(event["date"])
        by_year.setdefault(day.year, {})[day] = event["title"]
    return by_year


@pytest.mark.parametrize("year", range(2012, 2029))
def test_calendar_equals_govuk_date_for_date(year):
    govuk = _govuk_by_year()
    assert CAL.bank_holidays(year) == govuk[year]


def test_govuk_file_covers_2012_to_2028():
    assert set(_govuk_by_year()) >= set(range(2012, 2029))


def test_every_moved_day_in_the_data_file_replaces_a_regular_one():
    for raw in json.loads(read_data(FACTS_FILE))["facts"]:
        if "replaces" in raw:
            moved_from = date.fromisoformat(raw["replaces"])
            assert moved_from in {h.date for h in regular_holidays(moved_from.year)}, raw


def test_one_off_days_before_govuk_records():
    assert CAL.bank_holidays(2011)[date(2011, 4, 29)] == "Royal wedding"
    assert CAL.is_bank_holiday(date(1999, 12, 31))
    assert CAL.is_bank_holiday(date(1995, 5, 8)) and not CAL.is_bank_holiday(date(1995, 5, 1))
    assert CAL.is_bank_holiday(date(2002, 6, 3)) and CAL.is_bank_holiday(date(2002, 6, 4))
    assert not CAL.is_bank_holiday(date(2002, 5, 27))


def test_christmas_2026_boxing_day_substitute():
    assert CAL.bank_holidays(2026)[date(2026, 12, 25)] == "Christmas Day"
    assert CAL.bank_holidays(2026)[date(2026, 12, 28)] == "Boxing Day"
    assert not CAL.is_working_day(date(2026, 12, 28))
    assert CAL.is_working_day(date(2026, 12, 29))


def test_christmas_2027_both_substituted():
    holidays = {h.date: h for h in CAL.holidays(2027)}
    assert holidays[date(2027, 12, 27)] == Holiday(
        date(2027, 12, 27), "Christmas Day", "bank-holiday", "rule", "Substitute day"
    )
    assert holidays[date(2027, 12, 28)].name == "Boxing Day"
    assert CAL.is_bank_holiday(date(2028, 1, 3))  # New Year's Day 2028 is a Saturday


def test_a_sunday_christmas_keeps_boxing_day_on_monday():
    # 2022: Christmas Day on a Sunday.
    assert CAL.bank_holidays(2022)[date(2022, 12, 26)] == "Boxing Day"
    assert CAL.bank_holidays(2022)[date(2022, 12, 27)] == "Christmas Day"


def test_easter_2027():
    assert CAL.bank_holidays(2027)[date(2027, 3, 26)] == "Good Friday"
    assert CAL.bank_holidays(2027)[date(2027, 3, 29)] == "Easter Monday"
    # Friday 26 Mar to Monday 29 Mar is one long weekend: the next working day is Tuesday.
    assert CAL.next_working_day(date(2027, 3, 25)) == date(2027, 3, 30)


def test_summer_bank_holiday_is_the_last_monday_in_august():
    assert CAL.bank_holidays(2026)[date(2026, 8, 31)] == "Summer bank holiday"
    assert CAL.bank_holidays(2027)[date(2027, 8, 30)] == "Summer bank holiday"
    assert CAL.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 1)


def test_decline_on_23_dec_2026_is_due_30_dec():
    assert CAL.add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)


def test_an_event_on_a_saturday_counts_from_monday():
    assert CAL.add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)
    assert CAL.add_working_days(date(2026, 11, 28), 3) == date(2026, 12, 2)


def test_zero_working_days_is_the_day_itself():
    assert CAL.add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 25)


def test_negative_working_days_are_a_programming_error():
    with pytest.raises(ValueError):
        CAL.add_working_days(date(2026, 12, 25), -1)


def test_working_days_between():
    assert CAL.working_days_between(date(2026, 12, 23), date(2026, 12, 30)) == 3
    assert CAL.working_days_between(date(2026, 12, 23), date(2026, 12, 23)) == 0
    assert CAL.working_days_between(date(2026, 12, 30), date(2026, 12, 23)) == 0
    # 2026: 261 weekdays less 8 bank holidays, all on weekdays.
    assert CAL.working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 253


def test_staff_added_holiday_counts_and_closures_do_not():
    cal = Calendar(
        extra_bank_holidays={date(2029, 6, 4): "Announced bank holiday"},
        closures={date(2026, 12, 24): "Office closed", date(2026, 12, 29): "Office closed"},
    )
    assert cal.is_bank_holiday(date(2029, 6, 4))
    assert not cal.is_working_day(date(2029, 6, 4))
    assert cal.is_working_day(date(2026, 12, 24)) and not cal.is_bookable(date(2026, 12, 24))
    assert cal.add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)
    assert not cal.is_bookable(date(2026, 12, 26))  # a Saturday is never bookable


def test_holidays_lists_sources_and_kinds_in_date_order():
    cal = Calendar(
        extra_bank_holidays={date(2026, 12, 25): "Christmas (typed again)", date(2026, 6, 1): "Extra day"},
        closures={date(2026, 12, 24): "Office closed"},
    )
    listed = cal.holidays(2026)
    assert [h.date for h in listed] == sorted(h.date for h in listed)
    by_date = {h.date: h for h in listed}
    assert by_date[date(2026, 6, 1)] == Holiday(date(2026, 6, 1), "Extra day", "bank-holiday", "added")
    assert by_date[date(2026, 12, 24)].kind == "closure"
    # A day the rules already know keeps its official name and source.
    assert by_date[date(2026, 12, 25)].source == "rule"
    assert by_date[date(2026, 12, 25)].name == "Christmas Day"
    assert cal.bank_holidays(2026)[date(2026, 12, 25)] == "Christmas Day"
    assert {h.source for h in Calendar().holidays(2022)} == {"rule", "data file"}


def test_statutory_holidays_are_sorted():
    days = [h.date for h in statutory_holidays(2012)]
    assert days == sorted(days)
    assert date(2012, 5, 28) not in days


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2027, 12, 31), 2, date(2028, 2, 29)),
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 15), 1, date(2026, 4, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


DAYS = st.dates(date(2010, 1, 1), date(2030, 12, 31))


def _step(cal: Calendar, d: date, n: int) -> date:
    """The slow, obvious reading of "N working days after D"."""
    while n:
        d += timedelta(days=1)
        if d.weekday() < 5 and d not in cal.bank_holidays(d.year):
            n -= 1
    return d


@settings(max_examples=300, deadline=None)
@given(DAYS, st.integers(1, 60))
def test_add_working_days_lands_on_a_working_day(d, n):
    due = CAL.add_working_days(d, n)
    assert CAL.is_working_day(due)
    assert CAL.working_days_between(d, due) == n


@settings(max_examples=300, deadline=None)
@given(DAYS, st.integers(0, 60))
def test_add_working_days_agrees_with_stepping(d, n):
    assert CAL.add_working_days(d, n) == _step(CAL, d, n)


@settings(max_examples=300, deadline=None)
@given(DAYS, DAYS, st.integers(0, 40), st.integers(0, 40))
def test_add_working_days_is_monotonic(a, b, m, n):
    early, late = min(a, b), max(a, b)
    assert CAL.add_working_days(early, n) <= CAL.add_working_days(late, n)
    assert CAL.add_working_days(early, min(m, n)) <= CAL.add_working_days(early, max(m, n))


@settings(max_examples=300, deadline=None)
@given(DAYS, DAYS)
def test_working_days_between_counts_working_days(a, b):
    a, b = min(a, b), min(max(a, b), a + timedelta(days=400))
    expected = sum(CAL.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))
    assert CAL.working_days_between(a, b) == expected


@settings(max_examples=100, deadline=None)
@given(DAYS, st.integers(1, 30))
def test_closures_never_move_a_working_day_count(d, n):
    closures = {d + timedelta(days=i): "Office closed" for i in range(1, 15)}
    assert Calendar(closures=closures).add_working_days(d, n) == CAL.add_working_days(d, n)
