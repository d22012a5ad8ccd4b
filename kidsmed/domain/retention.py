"""How long the service keeps a closed case's personal details, and erasing them after.

Anonymising is the same erasure as refused consent (`kidsmed.domain.gates.erase`): it keeps
everything the counts need and clears every personal value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kidsmed.domain import gates
from kidsmed.domain.calendar import add_months
from kidsmed.domain.dates import LONDON
from kidsmed.domain.settings import MAX_RETENTION_YEARS, RETENTION, whole_years
from kidsmed.errors import BadInput, Refused
from kidsmed.store import retention as store
from kidsmed.store import settings
from kidsmed.store.db import Database

DEFAULT_YEARS = 6


@dataclass(frozen=True)
class Review:
    """The closed cases past retention: closed before `cutoff`; anonymised if `applied`."""

    cutoff: date
    years: int | None  # None when a date was given instead
    cases: list[dict]
    applied: bool
    warnings: list[str] = field(default_factory=list)


def retention_years(db: Database) -> int:
    """The service's retention period in years (the `retention.years` setting, default 6)."""
    value = settings.stored(db).get(RETENTION)
    if value is None:
        return DEFAULT_YEARS
    years = whole_years(value)
    if years is None:  # stored before kidsmed checked it when set
        raise Refused(f"the setting {RETENTION} is not a number of years from 1 to {MAX_RETENTION_YEARS}",
                      f"set it again, e.g. to {DEFAULT_YEARS}")
    return years


def cutoff(db: Database, today: date, closed_before: date | None, older_than: int | None
           ) -> tuple[date, int | None]:
    """(cases closed before this date are past retention, the years that gave it)."""
    if closed_before and older_than is not None:
        raise BadInput("give --closed-before or --older-than, not both",
                       "e.g. kidsmed retention --older-than 6")
    if closed_before:
        if closed_before > today:
            raise BadInput("--closed-before cannot be after today", "give a date in the past")
        return closed_before, None
    years = retention_years(db) if older_than is None else older_than
    if not 1 <= years <= MAX_RETENTION_YEARS:
        raise BadInput(f"--older-than must be from 1 to {MAX_RETENTION_YEARS} years", "e.g. --older-than 6")
    return add_months(today, -12 * years), years


def review(db: Database, now: datetime, user: str, *, closed_before: date | None = None,
           older_than: int | None = None, apply: bool = False) -> Review:
    """The closed cases past retention; with `apply`, anonymise them all in one transaction."""
    today = now.astimezone(LONDON).date()
    with db.transaction(write=apply):
        before, years = cutoff(db, today, closed_before, older_than)
        cases = store.closed_before(db, before.isoformat())
        for case in cases if apply else ():
            gates.erase(db, now, user, case, f"retention: closed on {case['closed_on']}, "
                        f"before {before.isoformat()}")
    forgotten = not (apply and cases) or gates.forget_copies(db)
    return Review(before, years, [{key: case[key] for key in ("ref", "kind", "closed_on", "closed_reason")}
                                  for case in cases], apply, [] if forgotten else [gates.COPY_WARNING])
