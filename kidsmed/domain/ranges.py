"""The range of every number typed on the command line: one table, read by the checks and the help.

A number outside its range is refused with exit 2 before anything is read or written. The ranges
are what staff could mean (a year's diary, a page of cases) and keep every number within what
dates and SQLite can hold: 3,000,000 days from now is past the year 9999.
"""

from __future__ import annotations

from kidsmed.domain.dates import MAX_YEAR, MIN_YEAR
from kidsmed.errors import BadInput

RANGES: dict[str, tuple[float, float]] = {
    "--days": (1, 366),               # schedule list: up to a year of sessions
    "--within": (0, 366),             # due: clocks due in the next N days
    "--limit": (1, 100_000),          # cases, due, report day: --all lists every one
    "--session": (1, 10_000),         # a session's number within its case
    "--hours": (0.5, 8),              # a session lasts 30 minutes to 8 hours
    "--year": (MIN_YEAR, MAX_YEAR),   # holidays list
    "--suppress-under": (2, 100),     # report month and year
    "--seed": (0, 2**32 - 1),         # demo
}


def span(option: str) -> str:
    """The range of `option` in words, for its help and its refusal: "1 to 366"."""
    low, high = RANGES[option]
    return f"{_number(low)} to {_number(high)}"


def _number(n: float) -> str:
    """100,000 and 0.5 as people write them; a year (2199) without a comma."""
    if n != int(n):
        return f"{n:g}"
    return f"{int(n):,}" if n >= 10_000 else str(int(n))


def in_range(value: float | None, option: str, example: str) -> float | None:
    """`value` as it was (None too), or BadInput when it falls outside the range of `option`."""
    low, high = RANGES[option]
    if value is not None and not low <= value <= high:  # NaN is never in range
        raise BadInput(f"{option} must be from {span(option)}", example)
    return value
