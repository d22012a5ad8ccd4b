"""My caseload: who handles each case, and when to chase whom next.

Owners are the names staff go by (their `--user` names); there is no register of staff, so a
name is checked against the names already in use, and one a letter or two away from a known
name is taken for a typo. A chase is the next contact staff mean to make: a day the office is
open, what to do, and the party to chase. While a case waits for consent or an agreement,
kidsmed keeps a default chase 5 working days after the last contact; a chase staff set is
never moved by it.
"""

from __future__ import annotations

from datetime import date, datetime

from kidsmed.domain import workflow
from kidsmed.domain.calendar import Calendar
from kidsmed.domain.cases import Result, case_view, get
from kidsmed.domain.dates import LONDON, format_date, utc
from kidsmed.domain.text import alike, limited
from kidsmed.domain.vocab import PARTIES, choose
from kidsmed.errors import BadInput, NotFound, Refused
from kidsmed.store import cases as store
from kidsmed.store import events
from kidsmed.store.db import Database

# A waiting case is chased this many working days after the last contact, unless staff say otherwise.
DEFAULT_CHASE_WORKING_DAYS = 5
WAITING_STATUSES = ("awaiting-consent", "awaiting-agreement")


# --- owners -----------------------------------------------------------------------------------


def owner_name(db: Database, name: str, *, user: str | None = None, new: bool = False) -> str:
    """The name of the owner to give a case to, spelt as staff already spell it. A name nobody
    uses yet is taken, unless it is so close to a known one that it looks like a typo: then
    `new` must say it is someone else. `user` (the person at the keyboard) counts as known."""
    name, known, suggestion = _known(db, name, user)
    if not known and suggestion and not new:
        raise BadInput(f"nobody called '{name}' has a case yet",
                       f"did you mean '{suggestion}'? Use that name, or add --new if they are someone new")
    return name


def owner_filter(db: Database, name: str, *, mine: bool = False) -> str:
    """The owner `--owner NAME` names, who must own a case or mediate; for `--mine`, the user,
    who may own nothing yet."""
    name, known, suggestion = _known(db, name, None)
    if known or mine:
        return name
    raise NotFound(f"nobody called '{name}' owns a case or mediates",
                   f"did you mean '{suggestion}'?" if suggestion else "give the name they use with --user")


def _known(db: Database, name: str, user: str | None) -> tuple[str, bool, str | None]:
    """(the name as already spelt, whether it is known, the nearest known name if close)."""
    name = _checked_name(name)
    known = {n.casefold(): n for n in [*store.staff_names(db), *([user] if user else [])]}
    if name.casefold() in known:
        return known[name.casefold()], True, None
    close = alike(name, list(known.values()), n=1, cutoff=0.75)
    return name, False, (close[0] if close else None)


def _checked_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise BadInput("the owner's name is empty", "give the name they use with --user")
    if not name.isprintable():
        raise BadInput("the owner's name holds control characters", "give the name they use with --user")
    return limited(name, "name", "the owner's name")


def assign(db: Database, now: datetime, user: str, ref: str, name: str, *, new: bool = False) -> Result:
    """Give the case to `name`; the old owner is kept in the timeline."""
    with db.transaction():
        case = get(db, ref)
        if case["status"] == "closed":
            raise Refused(f"{case['ref']} is closed", "only an open case can be given to someone")
        owner = owner_name(db, name, user=user, new=new)
        if owner == case["owner"]:
            return Result(case_view(db, case["ref"], now), [f"{owner} already owns {case['ref']}"])
        events.record(db, utc(now), user, case["id"], "assigned", {"owner": {"old": case["owner"], "new": owner}})
        store.update_case(db, case["id"], {"owner": owner})
        return Result(case_view(db, case["ref"], now))


# --- chases -----------------------------------------------------------------------------------


def check_chase_day(cal: Calendar, day: date, today: date) -> date:
    """A chase falls on a day the office is open, today or later; the refusal suggests the nearest."""
    if day < today:
        raise BadInput(f"{format_date(day)} is in the past", "give today or a later day with --on")
    if not cal.is_bookable(day):
        nearest = cal.nearest_bookable(day, today)
        raise Refused(f"{format_date(day)} is {cal.why_shut(day)}",
                      f"the nearest working day is {format_date(nearest)}")
    return day


def set_chase(db: Database, now: datetime, user: str, ref: str, on: date, what: str,
              party: str | None = None) -> Result:
    """Staff set the next contact: what to do, on which day, and whom to chase."""
    from kidsmed.domain.holidays import calendar_from

    what = " ".join((what or "").split())
    if not what:
        raise BadInput("say what the chase is for", "e.g. --what 'LA answer on taking part'")
    limited(what, "reason", "--what")
    party = choose(party, PARTIES, "party") if party else None
    with db.transaction():
        case = get(db, ref)
        _check_open(case)
        check_chase_day(calendar_from(db), on, now.astimezone(LONDON).date())
        event_id = events.record(db, utc(now), user, case["id"], "chase",
                                 {"on": on.isoformat(), "party": party})
        store.add_personal_history(db, case["id"], event_id, "chase_what", case["chase_what"], what)
        store.update_case(db, case["id"], {"chase_on": on.isoformat(), "chase_party": party,
                                           "chase_auto": None, "chase_what": what})
        return Result(case_view(db, case["ref"], now))


def chase_done(db: Database, now: datetime, user: str, ref: str) -> Result:
    """The chase was made today: a contact in the timeline; the case waits for the next chase."""
    today = now.astimezone(LONDON).date()
    with db.transaction():
        case = get(db, ref)
        _check_open(case)
        if not case["chase_on"]:
            raise Refused(f"{case['ref']} has no chase set", "set one with 'kidsmed chase REF --on DATE --what TEXT'")
        event_id = events.record(db, utc(now), user, case["id"], "chase-done",
                                 {"planned": case["chase_on"], "party": case["chase_party"],
                                  "on": today.isoformat()})
        store.add_personal_history(db, case["id"], event_id, "chase_what", case["chase_what"], None)
        store.update_case(db, case["id"], {**NO_CHASE, "last_contact_on": today.isoformat()})
        return Result(case_view(db, case["ref"], now))


NO_CHASE = {"chase_on": None, "chase_party": None, "chase_auto": None, "chase_what": None}


def _check_open(case: dict) -> None:
    if case["status"] == "closed":
        raise Refused(f"{case['ref']} is closed", "a closed case has nobody left to chase")


def waiting_on(case: dict, agreements: list[dict]) -> str | None:
    """The party a waiting case waits for: the family's consent, or the first missing yes."""
    if case["status"] == "awaiting-consent":
        return "family"
    if case["status"] == "awaiting-agreement":
        return next(iter(workflow.missing_parties(case, agreements)), None)
    return None


def after_contact(db: Database, cal: Calendar, case: dict, on: date) -> None:
    """Someone was in touch on `on` (the call, consent, an answer): note it, and keep the default
    chase of a waiting case 5 working days on. A chase staff set stands; a closed case has none."""
    changes: dict = {"last_contact_on": max(on.isoformat(), case.get("last_contact_on") or "")}
    staff_set = case.get("chase_on") and not case.get("chase_auto")
    if case["status"] == "closed":
        changes.update(NO_CHASE)
    elif not staff_set:
        party = waiting_on(case, store.agreements(db, case["id"]))
        changes.update(default_chase(cal, on, party, case["status"]) if party else NO_CHASE)
    store.update_case(db, case["id"], changes)
    case.update(changes)


def default_chase(cal: Calendar, last_contact: date, party: str, status: str) -> dict:
    """The chase kidsmed keeps for a case waiting on `party`: 5 working days after the last
    contact, on a day the office is open, as the case columns that hold it."""
    due = cal.add_working_days(last_contact, DEFAULT_CHASE_WORKING_DAYS)
    while not cal.is_bookable(due):  # the law's working days may fall when the office is shut
        due = cal.next_working_day(due)
    if status == "awaiting-consent":
        what = "ask the family for their consent"
    else:
        what = f"ask {workflow.PARTY_WORDS[party]} whether {'they' if party == 'family' else 'it'} will take part"
    return {"chase_on": due.isoformat(), "chase_party": party, "chase_auto": 1, "chase_what": what}
