"""The mediators and venues sessions are booked with: names unique ignoring case, and a
retired one stays on its past sessions but cannot be booked again."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from kidsmed.domain.dates import LONDON, format_date, utc
from kidsmed.domain.text import alike, limited
from kidsmed.errors import BadInput, NotFound, Refused
from kidsmed.store import events
from kidsmed.store import registry as store
from kidsmed.store.db import Database


class Register(NamedTuple):
    """One registry: its table, what one entry is called, and its contact details."""

    table: str
    noun: str

    @property
    def details(self) -> tuple[str, ...]:
        return store.DETAILS[self.table]

    @property
    def command(self) -> str:
        return f"kidsmed {self.table}"


MEDIATORS = Register("mediators", "mediator")
VENUES = Register("venues", "venue")


def clean_name(name: str) -> str:
    """A name as stored: inner runs of spaces made one, ends trimmed."""
    cleaned = " ".join(name.split())
    if not cleaned or not cleaned.isprintable():
        raise BadInput("a name must have printable letters in it", "e.g. \"Jo Mediator\"")
    return limited(cleaned, "name", "the name")


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def add(db: Database, now: datetime, user: str, register: Register, name: str, **details) -> dict:
    """Add a mediator or venue; refused when the name is taken, whatever its case."""
    name = clean_name(name)
    # Each contact detail's name is its kind of text too (email, phone, address).
    details = {key: limited((value or "").strip() or None, key, f"--{key}") for key, value in details.items()}
    with db.transaction():
        if taken := [e for e in store.entries(db, register.table) if _same(e["name"], name)]:
            raise Refused(f"there is already a {register.noun} called {taken[0]['name']}",
                          f"see them with '{register.command} list'")
        entry_id = store.insert(db, register.table, name, details)
        events.record(db, utc(now), user, None, f"{register.noun}-added", {"id": entry_id, "name": name})
    return find(db, register, name)


def edit(db: Database, now: datetime, user: str, register: Register, name: str, **details) -> dict:
    """Change a mediator's or venue's details (an empty value clears one); audited old → new."""
    details = {key: (value or "").strip() or None for key, value in details.items()}
    with db.transaction():
        entry = find(db, register, name)
        changed = {key: value for key, value in details.items() if value != entry[key]}
        if not changed:
            raise Refused(f"{entry['name']} already has those details", "nothing to change")
        store.update_details(db, register.table, entry["id"], changed)
        events.record(db, utc(now), user, None, f"{register.noun}-edited", {
            "id": entry["id"], "name": entry["name"],
            **{key: {"old": entry[key], "new": value} for key, value in changed.items()}})
    return find(db, register, entry["name"])


def entries(db: Database, register: Register) -> list[dict]:
    return store.entries(db, register.table)


def find(db: Database, register: Register, name: str) -> dict:
    """The entry called `name` (any case), or NotFound with the names it may have meant."""
    wanted = " ".join(name.split())
    known = store.entries(db, register.table)
    for entry in known:
        if _same(entry["name"], wanted):
            return entry
    shown = "".join(c for c in wanted if c.isprintable())[:40]
    guesses = close_matches(wanted, [e["name"] for e in known])
    fix = (f"did you mean {' or '.join(guesses)}?" if guesses
           else f"add them with '{register.command} add NAME'")
    raise NotFound(f"there is no {register.noun} called '{shown}'",
                   f"{fix} (see '{register.command} list')")


def close_matches(wanted: str, names: list[str]) -> list[str]:
    """Names that contain what was typed, then names that look like it, at most three."""
    folded = {n.casefold(): n for n in names}
    needle = wanted.casefold()
    containing = [n for f, n in folded.items() if needle and needle in f]
    return list(dict.fromkeys(containing + alike(wanted, names, n=3, cutoff=0.6)))[:3]


def bookable(db: Database, register: Register, name: str) -> dict:
    """The entry called `name`, refused if it has retired."""
    entry = find(db, register, name)
    if entry["retired_on"]:
        raise Refused(f"{_retired(entry)} and cannot be booked",
                      f"choose another {register.noun} (see '{register.command} list')")
    return entry


def _retired(entry: dict) -> str:
    return f"{entry['name']} retired on {format_date(date.fromisoformat(entry['retired_on']))}"


def retire(db: Database, now: datetime, user: str, register: Register, name: str) -> tuple[dict, list[str]]:
    """Retire a mediator or venue from today; warns about sessions still booked with them."""
    today = now.astimezone(LONDON).date()
    with db.transaction():
        entry = find(db, register, name)
        if entry["retired_on"]:
            raise Refused(f"{_retired(entry)} already", "nothing to do")
        store.retire(db, register.table, entry["id"], today.isoformat())
        events.record(db, utc(now), user, None, f"{register.noun}-retired",
                      {"id": entry["id"], "name": entry["name"], "on": today.isoformat()})
        still_booked = store.booked_from(db, register.table, entry["id"], utc(now))
    warnings = []
    if still_booked:
        warnings.append(f"{entry['name']} still has {still_booked} booked session"
                        f"{'s' if still_booked != 1 else ''} to come — move or cancel "
                        f"{'them' if still_booked != 1 else 'it'} with 'kidsmed schedule move' or 'cancel'")
    return find(db, register, entry["name"]), warnings
