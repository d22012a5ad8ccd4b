"""The calendar as this case book knows it: the law's bank holidays plus what staff added."""

from datetime import date

from kidsmed.domain.calendar import Calendar
from kidsmed.store import holidays as store
from kidsmed.store.db import Database


def calendar_from(db: Database) -> Calendar:
    rows = store.added(db)
    return Calendar(
        extra_bank_holidays={date.fromisoformat(r["date"]): r["name"] for r in rows
                             if r["kind"] == "bank-holiday"},
        closures={date.fromisoformat(r["date"]): r["name"] for r in rows if r["kind"] == "closure"},
    )
