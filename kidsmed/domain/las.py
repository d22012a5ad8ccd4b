"""The register of local authorities: one spelling per LA, so that a month's counts have one
column for Northshire, not three. A typed LA is found by its name, its DfE or GSS code, another
spelling it is known by, or the start of its name; a near miss is refused with a suggestion."""

from __future__ import annotations

import difflib
from datetime import datetime

from kidsmed.domain.dates import LONDON, utc
from kidsmed.domain.text import limited, safe_text
from kidsmed.errors import BadInput, NotFound, Refused
from kidsmed.store import events
from kidsmed.store import las as store
from kidsmed.store.db import Database

LIST_HINT = "see 'kidsmed las list'"


class NotRegistered(BadInput):
    """What was typed is no registered LA, nor the start of one: staff may mean a new one."""


def key(text: str) -> str:
    """What two spellings of one LA share: case, spacing and '&' for 'and' do not count."""
    return " ".join(text.replace("&", " and ").casefold().split())


def _keys(entry: dict) -> list[str]:
    alt = [a for a in (entry["alt_names"] or "").split(",") if a.strip()]
    return [key(k) for k in (entry["name"], entry["official_name"], entry["dfe_la_code"], entry["gss_code"], *alt)
            if k]


def _shown(text: str) -> str:
    return safe_text(text.strip()[:40])


def exact(db: Database, typed: str) -> dict | None:
    """The LA whose name, code or other spelling is `typed`, if there is one."""
    wanted = key(typed)
    known = store.entries(db)
    by_name = [e for e in known if key(e["name"]) == wanted]
    return (by_name or [e for e in known if wanted in _keys(e)] or [None])[0]


def resolve(db: Database, typed: str, fix: str = LIST_HINT) -> dict:
    """The registered LA `typed` means; BadInput with the likely ones when it means none or several.

    `fix` ends the refusal: what else the user may do (e.g. "give --new-la to add it")."""
    if found := exact(db, typed):
        return found
    wanted, known = key(typed), store.entries(db)
    starting = [e for e in known if wanted and any(k.startswith(wanted) for k in _keys(e))]
    if len(starting) == 1:
        return starting[0]
    if starting:
        names = ", ".join(e["name"] for e in starting[:4]) + ("…" if len(starting) > 4 else "")
        raise BadInput(f"'{_shown(typed)}' could be {names}", f"type more of the name, or its DfE code ({LIST_HINT})")
    guesses = suggestions(wanted, known)
    raise NotRegistered(f"'{_shown(typed)}' is not a registered local authority",
                        f"did you mean {_either(guesses)}? ({fix})" if guesses else fix)


def _either(names: list[str]) -> str:
    return " or ".join(names) if len(names) < 3 else f"{', '.join(names[:-1])} or {names[-1]}"


def suggestions(wanted: str, known: list[dict]) -> list[str]:
    """At most three LA names that look like what was typed."""
    by_key = {k: e["name"] for e in known for k in _keys(e)}
    return list(dict.fromkeys(by_key[k] for k in difflib.get_close_matches(wanted, list(by_key), n=3, cutoff=0.7)))


def filter_name(db: Database, typed: str | None) -> str | None:
    """A `--la` filter as the register spells it (retired LAs too: their cases still count)."""
    return None if typed is None else resolve(db, typed)["name"]


def check_for_case(db: Database, typed: str, new: bool = False) -> dict | None:
    """The registered LA a new or corrected case may name; None when `new` will add `typed`."""
    if new and not exact(db, typed):
        clean_name(typed)
        return None
    found = resolve(db, typed, f"{LIST_HINT}, or give --new-la to add it to the register")
    if found["retired_on"]:
        raise Refused(f"{found['name']} has retired from the register of local authorities",
                      f"choose the authority that took over its duties ({LIST_HINT})")
    return found


def for_case(db: Database, typed: str, new: bool = False) -> tuple[str, bool]:
    """(the LA name a case will carry, whether it was added to the register just now).

    With `new`, a name not yet registered is added: the caller's event on the case records that.
    Call inside the write transaction that stores the case."""
    if found := check_for_case(db, typed, new):
        return found["name"], False
    name = clean_name(typed)
    store.insert(db, {"name": name})
    return name, True


def clean_name(name: str) -> str:
    cleaned = " ".join(name.split())  # stored as typed otherwise: every output shows it safely
    if not cleaned:
        raise BadInput("a local authority's name cannot be empty", "e.g. \"Northshire\"")
    return limited(cleaned, "name", "the local authority's name")


def _code(code: str | None) -> str | None:
    code = (code or "").strip() or None
    if code and not (code.isdigit() and len(code) == 3):
        raise BadInput(f"'{_shown(code)}' is not a DfE LA code", "it is three digits, e.g. 370")
    return code


def _refuse_taken(db: Database, name: str, code: str | None = None, but: int | None = None) -> None:
    for e in store.entries(db):
        if e["id"] != but and (key(name) in _keys(e) or (code and e["dfe_la_code"] == code)):
            raise Refused(f"{e['name']} is already registered under that name or code", LIST_HINT)


def add(db: Database, now: datetime, user: str, name: str, *, code: str | None = None,
        gss_code: str | None = None, region: str | None = None) -> dict:
    """Register a local authority (one not in the shipped list, e.g. a new unitary authority)."""
    name, code = clean_name(name), _code(code)
    with db.transaction():
        _refuse_taken(db, name, code)
        values = {"name": name, "dfe_la_code": code, "gss_code": (gss_code or "").strip() or None,
                  "region": (region or "").strip() or None}
        la_id = store.insert(db, values)
        events.record(db, utc(now), user, None, "la-added", {"id": la_id, **values})
    return exact(db, name)


def entries(db: Database) -> list[dict]:
    return store.entries(db)


def _with_alt(entry: dict, *names: str) -> str:
    """The entry's other spellings with `names` added: the old spelling still finds it."""
    alt = [a for a in (entry["alt_names"] or "").split(",") if a.strip()]
    return ",".join(dict.fromkeys([*alt, *(n for n in names if n)]))


def _registered(db: Database, typed: str) -> dict:
    if found := exact(db, typed):
        return found
    raise NotFound(f"'{_shown(typed)}' is not a registered local authority",
                   "give its name or DfE code exactly as 'kidsmed las list' shows it")


def rename(db: Database, now: datetime, user: str, old: str, new: str) -> tuple[dict, int]:
    """Give an LA a new name; its cases follow, and the old name still finds it. (entry, cases moved)"""
    new = clean_name(new)
    with db.transaction():
        entry = _registered(db, old)
        _refuse_taken(db, new, but=entry["id"])
        store.update(db, entry["id"], {"name": new, "alt_names": _with_alt(entry, entry["name"])})
        events.record(db, utc(now), user, None, "la-renamed", {"id": entry["id"], "old": entry["name"], "new": new})
        moved = _move_cases(db, now, user, [entry["name"]], new)
    return exact(db, new), moved


def merge(db: Database, now: datetime, user: str, old: str, new: str) -> tuple[dict, int]:
    """Repair a split: every case naming `old` (registered or only on older cases) moves to `new`,
    and `old` becomes another spelling of `new`. Returns (new entry, cases moved)."""
    with db.transaction():
        target = resolve(db, new)
        source = exact(db, old)
        old_names = [" ".join(old.split())] + ([source["name"]] if source else [])
        if source and source["id"] == target["id"]:
            source = None  # only cases spelt another way, e.g. "northshire"
        elif not source and not any(key(n) == key(old) for n in store.names_on_cases(db)):
            raise NotFound(f"no case and no register entry names '{_shown(old)}'",
                           f"give the name exactly as the cases or the register spell it ({LIST_HINT})")
        if source:
            store.delete(db, source["id"])
        store.update(db, target["id"], {"alt_names": _with_alt(target, *old_names)})
        moved = _move_cases(db, now, user, old_names, target["name"])
        events.record(db, utc(now), user, None, "la-merged",
                      {"from": old_names[-1], "into": target["name"], "cases": moved})
    return exact(db, target["name"]), moved


def _move_cases(db: Database, now: datetime, user: str, old_names: list[str], name: str) -> int:
    """Set the LA of every case naming one of `old_names` to `name`, each change on its timeline."""
    rows = {case_id: was for old in old_names for case_id, was in store.cases_naming(db, old) if was != name}
    store.rename_on_cases(db, list(rows), name)
    for case_id, was in rows.items():
        events.record(db, utc(now), user, case_id, "edit",
                      {"changes": {"local_authority": {"old": was, "new": name}}, "personal_fields": []})
    return len(rows)


def retire(db: Database, now: datetime, user: str, name: str) -> dict:
    """Retire an LA (abolished, or merged into another): kept on its cases, refused for new ones."""
    today = now.astimezone(LONDON).date().isoformat()
    with db.transaction():
        entry = _registered(db, name)
        if entry["retired_on"]:
            raise Refused(f"{entry['name']} retired on {entry['retired_on']} already", "nothing to do")
        store.update(db, entry["id"], {"retired_on": today})
        events.record(db, utc(now), user, None, "la-retired", {"id": entry["id"], "name": entry["name"], "on": today})
    return exact(db, entry["name"])


def codes(db: Database) -> dict[str, str | None]:
    """Each registered LA's DfE code, by the key of its name: reports print it beside the name."""
    return {key(e["name"]): e["dfe_la_code"] for e in store.entries(db)}


def with_codes(db: Database, rows: list[dict]) -> list[dict]:
    """Each row with its LA's DfE code beside the name (`dfe_la_code`), as the reports have it."""
    found = codes(db)
    return [{**row, "dfe_la_code": found.get(key(row["local_authority"]))} for row in rows]
