"""The service's settings: its name and contact details, printed on every certificate letter."""

from __future__ import annotations

from datetime import datetime

from kidsmed.domain.dates import utc
from kidsmed.domain.vocab import choose
from kidsmed.errors import BadInput
from kidsmed.store import events
from kidsmed.store import settings as store
from kidsmed.store.db import Database

RETENTION = "retention.years"
# key → (default, what it is). Contact details have no default: a made-up one would mislead families.
SETTINGS = {
    "service.name": ("SEND Mediation Service", "the service's name, at the top of every letter"),
    "service.address": ("", "the postal address, parts separated by commas"),
    "service.phone": ("", "the phone number families call"),
    "service.email": ("", "the email address families write to"),
    RETENTION: ("6", "the years a closed case keeps its personal details (kidsmed retention)"),
}
MAX_VALUE = 200
MAX_RETENTION_YEARS = 100


def whole_years(value: str) -> int | None:
    """A retention period as typed or stored: whole years from 1 to 100, or None if it is not one."""
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_RETENTION_YEARS:
        return None
    return int(value)


def listing(db: Database) -> list[dict]:
    """Every setting with its value, and whether that is the default."""
    stored = store.stored(db)
    return [{"key": key, "value": stored.get(key, default), "default": key not in stored,
             "meaning": meaning} for key, (default, meaning) in SETTINGS.items()]


def service(db: Database) -> dict[str, str]:
    """The service's name and contact details: {"name", "address", "phone", "email"}."""
    return {row["key"].removeprefix("service."): row["value"] for row in listing(db)
            if row["key"].startswith("service.")}


def set_value(db: Database, now: datetime, user: str, key: str, value: str) -> dict:
    """Set `key` to `value` (an empty value puts the default back); audited old → new."""
    key = choose(key, tuple(SETTINGS), "setting")
    value = value.strip()
    if len(value) > MAX_VALUE or not value.isprintable():
        raise BadInput(f"the value of {key} is not one line of up to {MAX_VALUE} characters",
                       "give a shorter value on one line")
    # Refused now, not months later when `kidsmed retention` first reads it.
    if value and key == RETENTION and whole_years(value) is None:
        raise BadInput(f"{RETENTION} must be a whole number of years from 1 to {MAX_RETENTION_YEARS}",
                       f"e.g. kidsmed settings set {RETENTION} 6")
    with db.transaction():
        old = next(row for row in listing(db) if row["key"] == key)
        if value:
            store.put(db, key, value)
        else:
            store.remove(db, key)
        new = next(row for row in listing(db) if row["key"] == key)
        events.record(db, utc(now), user, None, "setting-changed",
                      {"key": key, "value": {"old": old["value"], "new": new["value"]}})
        return new
