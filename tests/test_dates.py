"""British dates and times: parsing what staff type and showing it back."""

import contextlib
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kidsmed.domain.dates import (
    LONDON,
    MAX_YEAR,
    MIN_YEAR,
    format_date,
    format_datetime,
    format_span,
    format_time,
    parse_date,
    parse_datetime,
    parse_now,
    parse_time,
)
from kidsmed.errors import BadInput

TODAY = date(2026, 11, 27)  # a Friday
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=LONDON)
DEC_3 = date(2026, 12, 3)


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-03",
        "3/12/2026",
        "03/12/2026",
        "3/12/26",
        "3-12-2026",
        "3.12.2026",
        "3 Dec 2026",
        "3 December 2026",
        "3rd December 2026",
        "Thu 3 Dec 2026",
        "Thursday, 3 December 2026",
        "3 Dec",
        "3/12",
        "  3 DEC 2026 ",
        "thursday",
        "thu",
    ],
)
def test_parse_date_reads_3_december(text):
    assert parse_date(text, TODAY) == DEC_3


def test_british_ambiguity_is_day_first():
    assert parse_date("3/12/2026", TODAY) == date(2026, 12, 3)
    assert parse_date("12/3/2026", TODAY) == date(2026, 3, 12)


def test_american_order_is_refused_with_a_day_first_hint():
    with pytest.raises(BadInput, match="dates are day first"):
        parse_date("12/31/2026", TODAY)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        ("Tomorrow", date(2026, 11, 28)),
        ("yesterday", date(2026, 11, 26)),
        ("monday", date(2026, 11, 30)),
        ("mon", date(2026, 11, 30)),
        # The next such day is strictly after today: "friday" on a Friday is a week on.
        ("friday", date(2026, 12, 4)),
        ("sat", date(2026, 11, 28)),
    ],
)
def test_relative_dates(text, expected):
    assert parse_date(text, TODAY) == expected


def test_two_digit_years_take_the_nearest_century():
    assert parse_date("1/9/98", TODAY) == date(1998, 9, 1)
    assert parse_date("1/9/05", TODAY) == date(2005, 9, 1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2026", "February 2026 has no day 31"),
        ("29/02/2027", "February 2027 has no day 29"),
        ("31/4/2026", "April 2026 has no day 31"),
        ("0/1/2026", "January 2026 has no day 0"),
        ("3/13/2026", "there is no month 13"),
        ("3/12/0226", "give a year from 1900 to 2199"),
        ("Fri 3 Dec 2026", "Thu 3 Dec 2026 is a Thursday"),
    ],
)
def test_impossible_dates_are_refused_never_rolled_over(text, reason):
    with pytest.raises(BadInput, match=reason):
        parse_date(text, TODAY)


def test_leap_day_is_accepted_in_a_leap_year():
    assert parse_date("29/02/2028", TODAY) == date(2028, 2, 29)


@pytest.mark.parametrize("text", ["foo", "", "   ", "3 Decembre 2026", "2026/12/03", "3/12/202", "1e3"])
def test_not_a_date(text):
    with pytest.raises(BadInput) as caught:
        parse_date(text, TODAY)
    assert str(caught.value) == (
        f"'{text.strip()}' is not a date — use a date like 3/12/2026, 2026-12-03, 3 Dec 2026 or 'tomorrow'"
    )


def test_the_echo_is_short_and_free_of_control_characters():
    with pytest.raises(BadInput) as caught:
        parse_date("\x1b[2J" + "x" * 100 + "\n", TODAY)
    message = str(caught.value)
    assert "\x1b" not in message and "\n" not in message
    assert message.startswith("'[2J" + "x" * 26 + "…' is not a date")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_date_raises_only_bad_input(text):
    with contextlib.suppress(BadInput):
        assert isinstance(parse_date(text, TODAY), date)


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"\A[0-9]{1,4}[/.\- ][0-9A-Za-z]{1,9}([/.\- ][0-9]{1,5})?\Z"))
def test_parse_date_raises_only_bad_input_on_date_shaped_text(text):
    with contextlib.suppress(BadInput):
        assert isinstance(parse_date(text, TODAY), date)


def _real(year, month, day):
    try:
        return date(year, month, day) if MIN_YEAR <= year <= MAX_YEAR else None
    except ValueError:
        return None


@settings(max_examples=400, deadline=None)
@given(st.integers(0, 33), st.integers(0, 14), st.integers(1890, 2210), st.sampled_from("/.-"))
def test_numeric_dates_are_exact_or_refused(day, month, year, sep):
    expected = _real(year, month, day)
    text = f"{day}{sep}{month}{sep}{year}"
    if expected is None:
        with pytest.raises(BadInput):
            parse_date(text, TODAY)
    else:
        assert parse_date(text, TODAY) == expected


@settings(max_examples=300, deadline=None)
@given(st.dates(date(MIN_YEAR, 1, 1), date(MAX_YEAR, 12, 31)))
def test_format_date_round_trips(d):
    assert parse_date(format_date(d), TODAY) == d
    assert parse_date(d.isoformat(), TODAY) == d
    assert parse_date(d.strftime("%d/%m/%Y"), TODAY) == d


def test_format_date():
    assert format_date(date(2026, 12, 3)) == "Thu 3 Dec 2026"
    assert format_date(date(2027, 1, 14)) == "Thu 14 Jan 2027"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:00", time(14)),
        ("9:30", time(9, 30)),
        ("09:30", time(9, 30)),
        ("9.30", time(9, 30)),
        ("1400", time(14)),
        ("2pm", time(14)),
        ("2 PM", time(14)),
        ("2.30pm", time(14, 30)),
        ("2:30 p.m.", time(14, 30)),
        ("10am", time(10)),
        ("12pm", time(12)),
        ("12am", time(0)),
        ("noon", time(12)),
        ("midday", time(12)),
    ],
)
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13pm", "0am", "9:60", "2400", "nine", "14", "", "2:5pm"])
def test_impossible_times_are_refused(text):
    with pytest.raises(BadInput, match="is not a time"):
        parse_time(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_parse_time_raises_only_bad_input(text):
    with contextlib.suppress(BadInput):
        assert isinstance(parse_time(text), time)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03 10:00", datetime(2026, 12, 3, 10)),
        ("2026-12-03T10:00", datetime(2026, 12, 3, 10)),
        ("3/12/2026 10:00", datetime(2026, 12, 3, 10)),
        ("3/12/2026 2pm", datetime(2026, 12, 3, 14)),
        ("Thu 3 Dec 2026 2 pm", datetime(2026, 12, 3, 14)),
        ("Thu, 3 Dec 2026, 10:00", datetime(2026, 12, 3, 10)),
        ("tomorrow 2pm", datetime(2026, 11, 28, 14)),
        ("tomorrow at 2pm", datetime(2026, 11, 28, 14)),
        ("thursday 10:00", datetime(2026, 12, 3, 10)),
    ],
)
def test_parse_datetime_is_london_wall_time(text, expected):
    parsed = parse_datetime(text, NOW)
    assert parsed == expected.replace(tzinfo=LONDON)
    assert parsed.tzinfo is LONDON


def test_summer_wall_time_is_an_hour_ahead_of_utc():
    parsed = parse_datetime("2/7/2026 10:00", NOW)
    assert parsed.astimezone(UTC) == datetime(2026, 7, 2, 9, tzinfo=UTC)
    assert format_datetime(parsed) == "Thu 2 Jul 2026 10:00"


def test_an_instant_with_an_offset_is_converted_to_london():
    parsed = parse_datetime("2026-07-02T10:00Z", NOW)
    assert parsed.utcoffset() == timedelta(hours=1)
    assert format_datetime(parsed) == "Thu 2 Jul 2026 11:00"
    assert parse_datetime("2026-12-03T10:00+01:00", NOW) == datetime(2026, 12, 3, 9, tzinfo=LONDON)


def test_a_time_the_clocks_skip_is_refused():
    with pytest.raises(BadInput, match="Sun 29 Mar 2026 01:30 does not exist in London"):
        parse_datetime("29/3/2026 1:30am", NOW)


def test_a_time_the_clocks_repeat_is_refused_unless_it_has_an_offset():
    with pytest.raises(BadInput, match="happens twice in London"):
        parse_datetime("25/10/2026 01:30", NOW)
    parsed = parse_datetime("2026-10-25T01:30+00:00", NOW)
    assert parsed.utcoffset() == timedelta(0)


def test_a_session_time_keeps_its_wall_time_across_the_clock_change():
    before = parse_datetime("27/3/2026 10:00", NOW)
    after = parse_datetime("30/3/2026 10:00", NOW)
    assert format_time(before) == format_time(after) == "10:00"
    # Same zone subtracts as wall time in Python: compare the instants.
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(days=3, hours=-1)


@pytest.mark.parametrize("text", ["3 Dec 2026", "tomorrow", "10:00", "31/02/2026 10:00", "2026-13-03T10:00Z"])
def test_parse_datetime_refuses(text):
    with pytest.raises(BadInput):
        parse_datetime(text, NOW)


def test_a_bad_date_with_a_good_time_names_the_date():
    with pytest.raises(BadInput, match="February 2026 has no day 31"):
        parse_datetime("31/02/2026 10:00", NOW)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_parse_datetime_raises_only_bad_input(text):
    with contextlib.suppress(BadInput):
        assert parse_datetime(text, NOW).tzinfo is LONDON


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-03", datetime(2026, 12, 3, 12, tzinfo=LONDON)),
        ("2026-07-02", datetime(2026, 7, 2, 12, tzinfo=LONDON)),
        ("2026-12-03T10:00", datetime(2026, 12, 3, 10, tzinfo=LONDON)),
        ("2026-07-02T10:00:00", datetime(2026, 7, 2, 10, tzinfo=LONDON)),
        ("2026-07-02T10:00:00+00:00", datetime(2026, 7, 2, 11, tzinfo=LONDON)),
        (" 2026-12-03T10:00Z ", datetime(2026, 12, 3, 10, tzinfo=LONDON)),
    ],
)
def test_parse_now(text, expected):
    parsed = parse_now(text)
    assert parsed == expected
    assert parsed.tzinfo is LONDON
    assert format_datetime(parsed) == format_datetime(expected)


@pytest.mark.parametrize("text", ["tomorrow", "3/12/2026", "", "2026-02-30", "0001-01-01T00:00+05:00"])
def test_parse_now_refuses(text):
    with pytest.raises(BadInput, match="KIDSMED_NOW"):
        parse_now(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_parse_now_raises_only_bad_input(text):
    with contextlib.suppress(BadInput):
        assert parse_now(text).tzinfo is LONDON


def test_formatting():
    start = datetime(2026, 12, 3, 10, tzinfo=LONDON)
    end = datetime(2026, 12, 3, 13, tzinfo=LONDON)
    assert format_time(time(9, 5)) == "09:05"
    assert format_time(start) == "10:00"
    assert format_datetime(start) == "Thu 3 Dec 2026 10:00"
    assert format_span(start, end) == "Thu 3 Dec 2026 10:00–13:00"
    # An instant stored in UTC is shown as London wall time.
    assert format_datetime(datetime(2026, 7, 2, 9, tzinfo=UTC)) == "Thu 2 Jul 2026 10:00"


def test_a_span_across_midnight_names_both_days():
    start = datetime(2026, 12, 3, 22, tzinfo=LONDON)
    assert format_span(start, start + timedelta(hours=3)) == "Thu 3 Dec 2026 22:00 – Fri 4 Dec 2026 01:00"


def test_importing_dates_does_not_load_dateutil():
    code = "import sys, kidsmed.domain.dates, kidsmed.domain.calendar; print('dateutil' in sys.modules)"
    repo = Path(__file__).resolve().parents[1]
    loaded = subprocess.run([sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "False"
