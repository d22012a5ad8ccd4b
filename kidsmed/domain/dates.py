"""British dates and times: reading what staff type, and showing it back.

Dates are day first (3/12/2026 is 3 December) and wall times are Europe/London.
Parsing is strict and done by hand rather than by dateutil's parser, which guesses:
an impossible date is refused, never rolled over into the next month.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kidsmed.errors import BadInput

LONDON = ZoneInfo("Europe/London")

# Years outside this range are typing slips (3/12/0226), not dates the service deals with.
MIN_YEAR, MAX_YEAR = 1900, 2199

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WEEKDAY_WORDS = {
    **{name.lower(): i for i, name in enumerate(_DAYS)},
    **{name[:3].lower(): i for i, name in enumerate(_DAYS)},
    "tues": 1, "weds": 2, "thur": 3, "thurs": 3,
}  # fmt: skip
_MONTH_WORDS = {
    **{name.lower(): i for i, name in enumerate(_MONTHS, 1)},
    **{name[:3].lower(): i for i, name in enumerate(_MONTHS, 1)},
    "sept": 9,
}
_RELATIVE = {"today": 0, "tomorrow": 1, "yesterday": -1}

# re.ASCII: \d must not match other scripts' digits, which int() would happily read.
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?", re.ASCII)
_WORDY_DATE = re.compile(r"(?:([a-z]+),? )?(\d{1,2})(?:st|nd|rd|th)? ([a-z]+)(?: (\d{4}))?", re.ASCII)
_TIME_24H = re.compile(r"(\d{1,2})[:.](\d{2})(?::(\d{2}))?", re.ASCII)
_TIME_4_DIGITS = re.compile(r"(\d{2})(\d{2})", re.ASCII)
_TIME_12H = re.compile(r"(\d{1,2})(?:[:.](\d{2}))? ?([ap])\.?m\.?", re.ASCII)
_TIME_WORDS = {"noon": time(12), "midday": time(12), "midnight": time(0)}
_ISO_WITH_OFFSET = re.compile(
    r"\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:z|[+-]\d{2}(?::?\d{2})?)", re.ASCII
)

_DATE_EXAMPLES = "use a date like 3/12/2026, 2026-12-03, 3 Dec 2026 or 'tomorrow'"
_TIME_EXAMPLES = "use a time like 14:00, 9:30 or 2pm"
_DATETIME_EXAMPLES = "use a date and a time like 3/12/2026 10:00, 2026-12-03T10:00 or 'tomorrow 2pm'"


def _echo(text: str) -> str:
    """`text` safe to quote back: control characters gone, cut to about 30 characters."""
    shown = "".join(c for c in text if not unicodedata.category(c).startswith("C")).strip()
    return shown if len(shown) <= 30 else shown[:29] + "…"


def _normalise(text: str) -> str:
    return " ".join(text.split()).lower()


def _full_year(digits: str, today: date) -> int:
    """A year as typed; two digits mean the nearest century, up to 20 years ahead."""
    year = int(digits)
    if len(digits) > 2:
        return year
    year += today.year // 100 * 100
    return year - 100 if year > today.year + 20 else year


def year_in_range(year: int, what: str) -> None:
    """Refuse a year the calendar does not cover: `what` says what was wrong with it."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadInput(what, f"give a year from {MIN_YEAR} to {MAX_YEAR}")


def _make_date(year: int, month: int, day: int, text: str) -> date:
    what = f"'{_echo(text)}' is not a date"
    year_in_range(year, what)
    if not 1 <= month <= 12:
        raise BadInput(what, f"there is no month {month}: dates are day first, so 3/12/2026 is 3 December")
    try:
        return date(year, month, day)
    except ValueError:
        raise BadInput(what, f"{_MONTHS[month - 1]} {year} has no day {day}") from None


def _next_weekday(weekday: int, today: date) -> date:
    """The next such day strictly after today: 'monday' said on a Monday means a week on."""
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _wordy_date(match: re.Match[str], text: str, today: date) -> date | None:
    weekday_word, day, month_word, year = match.groups()
    month = _MONTH_WORDS.get(month_word)
    if month is None or (weekday_word is not None and weekday_word not in _WEEKDAY_WORDS):
        return None
    found = _make_date(int(year) if year else today.year, month, int(day), text)
    if weekday_word is not None and _WEEKDAY_WORDS[weekday_word] != found.weekday():
        raise BadInput(f"'{_echo(text)}' does not add up", f"{format_date(found)} is a {_DAYS[found.weekday()]}")
    return found


def _read_date(words: str, text: str, today: date) -> date | None:
    """The date `words` names, None if it is no shape of date at all."""
    if words in _RELATIVE:
        return today + timedelta(days=_RELATIVE[words])
    if words in _WEEKDAY_WORDS:
        return _next_weekday(_WEEKDAY_WORDS[words], today)
    if match := _ISO_DATE.fullmatch(words):
        year, month, day = match.groups()
        return _make_date(int(year), int(month), int(day), text)
    if match := _NUMERIC_DATE.fullmatch(words):
        day, _, month, year = match.groups()
        return _make_date(_full_year(year, today) if year else today.year, int(month), int(day), text)
    if match := _WORDY_DATE.fullmatch(words):
        return _wordy_date(match, text, today)
    return None


def parse_date(text: str, today: date) -> date:
    """A British date as staff type it: 3/12/2026, 2026-12-03, 3 Dec 2026, tomorrow, monday…"""
    found = _read_date(_normalise(text), text, today)
    if found is None:
        raise BadInput(f"'{_echo(text)}' is not a date", _DATE_EXAMPLES)
    return found


def _clock_time(hour: int, minute: int, second: int, text: str) -> time:
    if hour > 23 or minute > 59 or second > 59:
        raise BadInput(f"'{_echo(text)}' is not a time", _TIME_EXAMPLES)
    return time(hour, minute, second)


def _twelve_hour(match: re.Match[str], text: str) -> time:
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if not 1 <= hour <= 12:
        raise BadInput(f"'{_echo(text)}' is not a time", "with am or pm the hour runs from 1 to 12: use 1pm or 13:00")
    # 12am is midnight and 12pm is noon.
    return _clock_time(hour % 12 + (12 if half == "p" else 0), minute, 0, text)


def parse_time(text: str) -> time:
    """A wall-clock time: 14:00, 9:30, 9.30, 1400, 2pm, 2.30pm, 10am, noon."""
    words = _normalise(text)
    if words in _TIME_WORDS:
        return _TIME_WORDS[words]
    if match := _TIME_24H.fullmatch(words):
        return _clock_time(int(match[1]), int(match[2]), int(match[3] or 0), text)
    if match := _TIME_4_DIGITS.fullmatch(words):
        return _clock_time(int(match[1]), int(match[2]), 0, text)
    if match := _TIME_12H.fullmatch(words):
        return _twelve_hour(match, text)
    raise BadInput(f"'{_echo(text)}' is not a time", _TIME_EXAMPLES)


def _in_london(naive: datetime) -> datetime:
    """`naive` as London wall time, refused when the clock change skips or repeats it."""
    first, second = naive.replace(tzinfo=LONDON, fold=0), naive.replace(tzinfo=LONDON, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    shown = f"{format_date(naive.date())} {format_time(naive)}"
    if first.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) != naive:
        raise BadInput(
            f"{shown} does not exist in London",
            "the clocks go forward an hour at 01:00 that day: use 02:00 or later",
        )
    raise BadInput(
        f"{shown} happens twice in London",
        "the clocks go back an hour at 02:00 that day: give an offset, e.g. 01:30+01:00 or 01:30+00:00",
    )


def _split_date_time(words: str, now: datetime) -> datetime | None:
    """Date then time, the time being the last word or two ('2 pm'); an 'at' between is fine."""
    parts = words.replace(",", " ").split()
    for time_words in (1, 2):
        date_part, time_part = parts[:-time_words], " ".join(parts[-time_words:])
        if date_part[-1:] == ["at"]:
            date_part = date_part[:-1]
        # After a date, four digits are a year ('3 Dec 2026') far more often than a time.
        if not date_part or _TIME_4_DIGITS.fullmatch(time_part):
            continue
        try:
            clock = parse_time(time_part)
        except BadInput:
            continue
        # Once the time is found, a date that fails is the mistake worth reporting.
        return _in_london(datetime.combine(parse_date(" ".join(date_part), now.date()), clock))
    return None


def parse_datetime(text: str, now: datetime) -> datetime:
    """A London date and time: 2026-12-03 10:00, 3/12/2026 2pm, tomorrow 2pm, thursday 10:00,
    or an ISO 8601 instant with an offset, which is converted to London time."""
    what = f"'{_echo(text)}' is not a date and time"
    words = _normalise(text)
    if _ISO_WITH_OFFSET.fullmatch(words):
        try:
            moment = datetime.fromisoformat(words.upper())
        except ValueError:
            raise BadInput(what, _DATETIME_EXAMPLES) from None
        year_in_range(moment.year, what)
        return moment.astimezone(LONDON)
    # The ISO 'T' between date and time is a space for the rest of the parsing.
    words = re.sub(r"^(\d{4}-\d{1,2}-\d{1,2})t", r"\1 ", words, flags=re.ASCII)
    found = _split_date_time(words, now)
    if found is None:
        raise BadInput(what, _DATETIME_EXAMPLES)
    return found


def parse_now(text: str) -> datetime:
    """KIDSMED_NOW: an ISO 8601 date or date-time; naive means London, a bare date means noon."""
    what = f"KIDSMED_NOW '{_echo(text)}' is not an ISO 8601 date or time"
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadInput(what, "use e.g. 2026-12-03T10:00 or 2026-12-03") from None
    # Checked before any conversion, which overflows at the ends of the calendar.
    year_in_range(moment.year, what)
    if moment.tzinfo is not None:
        return moment.astimezone(LONDON)
    if _is_bare_date(value):
        moment = moment.replace(hour=12)
    return _in_london(moment)


def _is_bare_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _wall(moment: datetime) -> datetime:
    """An aware date-time as London wall time; a naive one is taken to be London already."""
    return moment.astimezone(LONDON) if moment.tzinfo is not None else moment


def format_date(d: date) -> str:
    """Thu 3 Dec 2026 (English names whatever the locale, no leading zero on the day)."""
    return f"{_DAYS[d.weekday()][:3]} {d.day} {_MONTHS[d.month - 1][:3]} {d.year}"


def format_time(moment: time | datetime) -> str:
    """10:00, in London time."""
    wall = _wall(moment) if isinstance(moment, datetime) else moment
    return f"{wall.hour:02d}:{wall.minute:02d}"


def format_datetime(moment: datetime) -> str:
    """Thu 3 Dec 2026 10:00, in London time."""
    wall = _wall(moment)
    return f"{format_date(wall)} {format_time(wall)}"


def format_span(start: datetime, end: datetime) -> str:
    """Thu 3 Dec 2026 10:00–13:00; both dates in full when the span crosses midnight."""
    first, last = _wall(start), _wall(end)
    if first.date() == last.date():
        return f"{format_datetime(first)}–{format_time(last)}"
    return f"{format_datetime(first)} – {format_datetime(last)}"


def utc(moment: datetime) -> str:
    """An instant as stored: UTC ISO 8601, to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def utc_bound(day: date) -> str:
    """The UTC instant London's `day` begins, as a bound for stored UTC instants."""
    return datetime.combine(day, time(), LONDON).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def session_span(session) -> str:
    """A stored session's times as staff read them: 'Thu 3 Dec 2026 10:00–13:00', London time."""
    return format_span(datetime.fromisoformat(session["start"]), datetime.fromisoformat(session["end"]))
