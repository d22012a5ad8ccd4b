"""Bank holidays and working days in England and Wales.

The regular bank holidays follow rules; one-off and moved days are facts kept in
`data/bank-holidays-england-and-wales.json`; staff can add days the tool does not know
yet. Service closure days are kept apart: they block bookings but never move a
statutory clock, because the law's working days are not the office's.

The rules hold from 1978, when the early May bank holiday began.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType
from typing import Literal, NamedTuple

from kidsmed.resources import read_data

FACTS_FILE = "bank-holidays-england-and-wales.json"
NEW_YEAR = "New Year’s Day"  # GOV.UK spells it with a typographic apostrophe
SUBSTITUTE = "Substitute day"
_SATURDAY, _SUNDAY = 5, 6
_NO_DAYS: Mapping[date, str] = MappingProxyType({})


class Holiday(NamedTuple):
    """One day off: a bank holiday (the law's) or a closure (the office's)."""

    date: date
    name: str
    kind: Literal["bank-holiday", "closure"]
    source: Literal["rule", "data file", "added"]
    note: str = ""  # "Substitute day", "Extra bank holiday", as GOV.UK notes them


class _Fact(NamedTuple):
    holiday: Holiday
    replaces: date | None


def _weekend(d: date) -> bool:
    return d.weekday() >= _SATURDAY


def _rule(d: date, name: str, note: str = "") -> Holiday:
    return Holiday(d, name, "bank-holiday", "rule", note)


def _new_year(year: int) -> Holiday:
    day = date(year, 1, 1)
    if not _weekend(day):
        return _rule(day, NEW_YEAR)
    return _rule(day + timedelta(days=7 - day.weekday()), NEW_YEAR, SUBSTITUTE)


def _christmas(year: int) -> list[Holiday]:
    """Christmas Day and Boxing Day, each moved to the next free weekday at a weekend.

    Boxing Day keeps a Monday 26th, so a Sunday Christmas moves to Tuesday 27th.
    """
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == _SUNDAY:
        return [_rule(boxing, "Boxing Day"), _rule(date(year, 12, 27), "Christmas Day", SUBSTITUTE)]
    if christmas.weekday() == _SATURDAY:
        return [
            _rule(date(year, 12, 27), "Christmas Day", SUBSTITUTE),
            _rule(date(year, 12, 28), "Boxing Day", SUBSTITUTE),
        ]
    if boxing.weekday() == _SATURDAY:
        return [_rule(christmas, "Christmas Day"), _rule(date(year, 12, 28), "Boxing Day", SUBSTITUTE)]
    return [_rule(christmas, "Christmas Day"), _rule(boxing, "Boxing Day")]


@cache
def regular_holidays(year: int) -> tuple[Holiday, ...]:
    """The bank holidays the rules give for `year`, before any one-off or moved day."""
    from dateutil.easter import easter
    from dateutil.relativedelta import MO, relativedelta

    easter_sunday = easter(year)
    return (
        _new_year(year),
        _rule(easter_sunday - timedelta(days=2), "Good Friday"),
        _rule(easter_sunday + timedelta(days=1), "Easter Monday"),
        _rule(date(year, 5, 1) + relativedelta(weekday=MO(+1)), "Early May bank holiday"),
        _rule(date(year, 5, 31) + relativedelta(weekday=MO(-1)), "Spring bank holiday"),
        _rule(date(year, 8, 31) + relativedelta(weekday=MO(-1)), "Summer bank holiday"),
        *_christmas(year),
    )


def _parse_fact(raw: Mapping[str, object]) -> _Fact:
    # A fact must say which it does: a moved day silently added would double a holiday.
    if ("adds" in raw) == ("replaces" in raw):
        raise ValueError(f"{FACTS_FILE}: {raw!r} needs exactly one of 'adds' or 'replaces'")
    holiday = Holiday(
        date.fromisoformat(str(raw["date"])),
        str(raw["title"]),
        "bank-holiday",
        "data file",
        str(raw.get("notes", "")),
    )
    replaces = raw.get("replaces")
    return _Fact(holiday, date.fromisoformat(str(replaces)) if replaces else None)


@cache
def _facts_by_year() -> Mapping[int, tuple[_Fact, ...]]:
    by_year: dict[int, list[_Fact]] = {}
    for raw in json.loads(read_data(FACTS_FILE))["facts"]:
        fact = _parse_fact(raw)
        by_year.setdefault(fact.holiday.date.year, []).append(fact)
    return MappingProxyType({year: tuple(facts) for year, facts in by_year.items()})


@cache
def statutory_holidays(year: int) -> tuple[Holiday, ...]:
    """The bank holidays of `year` from the rules and the data file, sorted by date."""
    facts = _facts_by_year().get(year, ())
    moved = {fact.replaces for fact in facts}
    kept = [h for h in regular_holidays(year) if h.date not in moved]
    return tuple(sorted(kept + [fact.holiday for fact in facts], key=lambda h: h.date))


def _by_year(days: Mapping[date, str]) -> dict[int, dict[date, str]]:
    grouped: dict[int, dict[date, str]] = {}
    for day, name in days.items():
        grouped.setdefault(day.year, {})[day] = name
    return grouped


class Calendar:
    """Working days in England and Wales, with the days staff added and the office's closures."""

    def __init__(
        self,
        extra_bank_holidays: Mapping[date, str] = _NO_DAYS,
        closures: Mapping[date, str] = _NO_DAYS,
    ):
        self._extra = _by_year(extra_bank_holidays)
        self._closures = _by_year(closures)
        # A due-date run asks about the same few years thousands of times.
        self._off: dict[int, frozenset[date]] = {}

    def _bank_holiday_dates(self, year: int) -> frozenset[date]:
        if year not in self._off:
            self._off[year] = frozenset(self.bank_holidays(year))
        return self._off[year]

    def bank_holidays(self, year: int) -> dict[date, str]:
        """Every bank holiday of `year`: rules, data file, then days staff added."""
        days = {h.date: h.name for h in statutory_holidays(year)}
        # A day staff added that the tool already knows keeps its official name.
        return {**self._extra.get(year, {}), **days}

    def holidays(self, year: int) -> list[Holiday]:
        """Bank holidays and closures of `year`, sorted by date, each saying where it came from."""
        known = statutory_holidays(year)
        known_dates = {h.date for h in known}
        added = [
            Holiday(day, name, "bank-holiday", "added")
            for day, name in self._extra.get(year, {}).items()
            if day not in known_dates
        ]
        closed = [Holiday(day, name, "closure", "added") for day, name in self._closures.get(year, {}).items()]
        return sorted([*known, *added, *closed], key=lambda h: (h.date, h.kind))

    def is_bank_holiday(self, d: date) -> bool:
        return d in self._bank_holiday_dates(d.year)

    def is_working_day(self, d: date) -> bool:
        """Monday to Friday and not a bank holiday. Closures still count: the law ignores them."""
        return not _weekend(d) and d not in self._bank_holiday_dates(d.year)

    def is_bookable(self, d: date) -> bool:
        """A working day the office is open."""
        return self.is_working_day(d) and d not in self._closures.get(d.year, {})

    def why_shut(self, d: date) -> str:
        """Why the office is shut on `d`, in words after "… is": "at the weekend",
        "a bank holiday (Christmas Day)"."""
        if _weekend(d):
            return "at the weekend"
        holiday = next(h for h in self.holidays(d.year) if h.date == d)
        what = "a bank holiday" if holiday.kind == "bank-holiday" else "a day the office is closed"
        return f"{what} ({holiday.name})"

    def nearest_bookable(self, d: date, earliest: date) -> date:
        """The open day nearest `d` and not before `earliest`; of two as near, the earlier."""
        for distance in range(366):
            for candidate in (d - timedelta(days=distance), d + timedelta(days=distance)):
                if candidate >= earliest and self.is_bookable(candidate):
                    return candidate
        raise ValueError(f"no open day within a year of {d}")

    def add_working_days(self, d: date, n: int) -> date:
        """The Nth working day after `d` ("N working days after D": D itself does not count)."""
        if n < 0:
            raise ValueError(f"add_working_days counts forwards only, not {n}")
        while n:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after `d`."""
        return self.add_working_days(d, 1)

    def working_days_between(self, a: date, b: date) -> int:
        """How many working days fall in (a, b]: after `a`, up to and including `b`."""
        if b <= a:
            return 0
        holidays = sum(
            1
            for year in range(a.year, b.year + 1)
            for day in self._bank_holiday_dates(year)
            if a < day <= b and not _weekend(day)
        )
        return _weekdays_to(b) - _weekdays_to(a) - holidays


def _weekdays_to(d: date) -> int:
    """Monday-to-Friday days from 1 Jan of year 1 (a Monday) up to and including `d`."""
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def add_months(d: date, n: int) -> date:
    """`d` plus `n` calendar months, the day clamped to the month's end (31 Dec + 2 = 28/29 Feb)."""
    from dateutil.relativedelta import relativedelta

    return d + relativedelta(months=n)
