"""Logging referrals, correcting them, and reading a case back whole."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from kidsmed.domain import workflow
from kidsmed.domain.calendar import add_months
from kidsmed.domain.dates import LONDON, format_date
from kidsmed.domain.ranges import in_range
from kidsmed.domain.text import limited
from kidsmed.domain.vocab import (
    CONTACT_PREFERENCES,
    ISSUES,
    KINDS,
    OTHER_PARTIES,
    REFERRER_ROLES,
    ROLE_ALIASES,
    STATUSES,
    choose,
)
from kidsmed.errors import BadInput, NotFound, Refused
from kidsmed.store import cases as store
from kidsmed.store import events
from kidsmed.store.db import Database


@dataclass
class Intake:
    """What intake staff take down on the call, in the order they ask. Every field may be missing
    at first."""

    kind: str | None = None
    referrer_role: str | None = None
    referrer_name: str | None = None
    referrer_org: str | None = None
    referrer_phone: str | None = None
    family: str | None = None
    relationship: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    preferred_contact: str | None = None
    child: str | None = None
    dob: date | None = None
    la: str | None = None
    setting: str | None = None
    other_party: str | None = None
    issues: list[str] = field(default_factory=list)
    decision_date: date | None = None
    received: datetime | None = None
    notes: str | None = None
    owner: str | None = None  # who handles the case; by default whoever takes the call


# Intake field → (column, is personal). Personal values never enter the audit events, and erasure
# clears them (kidsmed.store.erasure). The referrer's organisation is one: for a school's referral
# it names the child's school.
FIELDS = {
    "kind": ("kind", False),
    "referrer_role": ("referrer_role", False),
    "referrer_name": ("referrer_name", True),
    "referrer_org": ("referrer_org", True),
    "referrer_phone": ("referrer_phone", True),
    "child": ("child_name", True),
    "dob": ("child_dob", True),
    "family": ("family_name", True),
    "relationship": ("relationship", True),
    "phone": ("phone", True),
    "email": ("email", True),
    "address": ("address", True),
    "preferred_contact": ("preferred_contact", True),
    "la": ("local_authority", False),
    "setting": ("setting", True),
    "other_party": ("other_party", False),
    "issues": ("issues", False),
    "decision_date": ("decision_date", False),
}
# Intake fields of free text → their kind of text, which bounds their length (text.MAX_LENGTH).
TEXT_KINDS = {
    "referrer_name": "name", "referrer_org": "name", "referrer_phone": "phone", "child": "name", "family": "name",
    "relationship": "relationship", "phone": "phone", "email": "email", "address": "address", "la": "name",
    "setting": "name", "notes": "note",
}
# Fields that decide the path of a case: fixed once anyone has answered.
PATH_FIELDS = ("kind", "referrer_role", "other_party", "issues")


@dataclass
class Result:
    """What a write command did: the case as it now stands, and any warnings to show."""

    case: dict
    warnings: list[str] = field(default_factory=list)
    # intake: the open or recent cases like this one (keyword-only: subclasses add positional fields)
    duplicates: list[dict] = field(default_factory=list, kw_only=True)


def missing_required(intake: Intake) -> list[str]:
    """The required intake fields still missing, in the order staff ask for them."""
    required = ["kind", "referrer_role", "family", "child", "la", "issues"]
    if intake.kind == "disagreement-resolution":
        required.append("other_party")
    return [name for name in required if not getattr(intake, name)]


# The coded intake fields: field → (the codes, what one is called, other words for them).
CHOICES = {
    "kind": (KINDS, "kind of case", None),
    "referrer_role": (REFERRER_ROLES, "referrer role", ROLE_ALIASES),
    "other_party": (OTHER_PARTIES, "other party", None),
    "preferred_contact": (CONTACT_PREFERENCES, "way to contact the family", None),
}


def option(name: str) -> str:
    """The intake option that gives a field: `--issue` is repeated, one issue each time."""
    return "--issue" if name == "issues" else "--" + name.replace("_", "-")


def clean_field(name: str, value):
    """One intake field as stored: trimmed text within its length, the code for a choice; BadInput
    saying what is wrong otherwise."""
    if isinstance(value, str):
        value = value.strip() or None
    if name in TEXT_KINDS:
        value = limited(value, TEXT_KINDS[name], option(name))
    if name == "issues":
        return list(dict.fromkeys(choose(i, ISSUES, "issue") for i in value or []))
    if value and name in CHOICES:
        return choose(value, *CHOICES[name])
    if value and name == "email" and "@" not in value:
        raise BadInput("that email address has no @ in it", f"check {option(name)}")
    return value


def normalise(intake: Intake) -> Intake:
    """Canonical codes for the coded fields; trimmed text; refuse the first thing not allowed."""
    return Intake(**{f.name: clean_field(f.name, getattr(intake, f.name)) for f in dataclasses.fields(intake)})


def problems(db: Database | None, details: Intake, received_on: date, force: bool = False,
             new_la: bool = False) -> tuple[Intake, dict[str, BadInput]]:
    """Every field that is missing or wrong, at once (a form re-asks each; --no-input names them
    all in one refusal), and the referral as far as it is right."""
    from kidsmed.domain import las

    values, found = {}, {}
    for f in dataclasses.fields(details):
        try:
            values[f.name] = clean_field(f.name, getattr(details, f.name))
        except BadInput as exc:
            values[f.name], found[f.name] = None, exc
    checked = Intake(**values)
    for name in missing_required(checked):
        found.setdefault(name, BadInput(f"{option(name)} is missing"))
    for name, exc in date_problems(checked, received_on, force).items():
        found.setdefault(name, exc)
    if db is not None and checked.la:
        try:
            las.check_for_case(db, checked.la, new_la)
        except BadInput as exc:
            found.setdefault("la", exc)
    return checked, found


def refusal(found: dict[str, BadInput]) -> BadInput:
    """One line naming every field to give or correct, by its option (one wrong detail alone is
    refused as it is: its message names its option)."""
    if len(found) == 1 and (only := next(iter(found.values()))).fix is not None:
        return only
    order = [f.name for f in dataclasses.fields(Intake)]
    found = dict(sorted(found.items(), key=lambda item: order.index(item[0])))
    missing = [option(name) for name, exc in found.items() if exc.fix is None]
    wrong = [f"{option(name)}: {exc.what}" + ("" if exc.fix.startswith("check --") else f" ({exc.fix})")
             for name, exc in found.items() if exc.fix is not None]
    said = ([f"missing {', '.join(missing)}"] if missing else []) + wrong
    return BadInput(f"the referral cannot be logged: {'; '.join(said)}",
                    "give or correct each of them (see 'kidsmed intake --help')")


def intake(db: Database, now: datetime, user: str, details: Intake, force: bool = False,
           new_la: bool = False) -> Result:
    """Log a referral taken on the phone: a new case with its reference and first status.

    `force` confirms a decision notice sent more than 2 years before the call. The LA must be in
    the register (kidsmed.domain.las); `new_la` adds one that is not."""
    from kidsmed.domain import caseload, las
    from kidsmed.domain.holidays import calendar_from

    received = (details.received or now).astimezone(LONDON)
    if received > now:
        raise BadInput("the call cannot be received in the future", "check --received")
    details, found = problems(db, details, received.date(), force, new_la)
    if found:
        raise refusal(found)
    if details.kind == "mediation":
        details.other_party = details.other_party or "la"
    status, consent_status = workflow.initial_status(details.referrer_role)
    with db.transaction():
        duplicates = possible_duplicates(db, details, received.date())
        details.la, la_added = las.for_case(db, details.la, new_la)
        case = _columns(details)
        case.update(status=status, consent_status=consent_status, received_at=utc(received),
                    received_on=received.date().isoformat())
        case["owner"] = caseload.owner_name(db, details.owner, user=user) if details.owner else user
        year = received.year
        seq = store.next_sequence(db, year)
        ref = f"KM-{year}-{seq:04d}"
        case_id = store.insert_case(db, ref, year, seq, user, case)
        caseload.after_contact(db, calendar_from(db), {**case, "id": case_id}, received.date())
        event_id = events.record(db, utc(now), user, case_id, "intake", {
            "status": status, "kind": details.kind, "referrer_role": details.referrer_role,
            "local_authority": details.la, "issues": details.issues,
            **({"la_added_to_register": True} if la_added else {}),
        })
        if details.notes:
            store.add_note(db, case_id, event_id, details.notes)
        view = case_view(db, ref, now)
    view["possible_duplicates"] = [d["ref"] for d in duplicates]
    return Result(view, intake_warnings(details, received.date()), duplicates=duplicates)


# A family that rings again within this many months is probably calling about the same case.
REPEAT_MONTHS = 12


def possible_duplicates(db: Database, details: Intake, received_on: date) -> list[dict]:
    """Open cases, and cases received in the 12 months before the call, about the same child (name
    and date of birth, whatever the case, spacing or accents) or the same family (phone or email).

    Each is {ref, status, received_on, local_authority}: nothing more personal, so it can be shown."""
    child = (_name_key(details.child), details.dob.isoformat()) if details.child and details.dob else None
    phone, email = _phone_key(details.phone), (details.email or "").casefold() or None
    since = add_months(received_on, -REPEAT_MONTHS).isoformat()
    return [{k: row[k] for k in ("ref", "status", "received_on", "local_authority")}
            for row in store.open_or_since(db, since)
            if (child and (_name_key(row["child_name"]), row["child_dob"]) == child)
            or (phone and _phone_key(row["phone"]) == phone)
            or (email and (row["email"] or "").casefold() == email)]


def _name_key(name: str | None) -> str:
    """A name as a repeat call may spell it: 'ÉLODIE  o'brien' and 'Elodie O'Brien' are one."""
    import unicodedata

    plain = "".join(ch for ch in unicodedata.normalize("NFKD", name or "") if not unicodedata.combining(ch))
    return " ".join("".join(ch for ch in word if ch.isalnum()) for word in plain.casefold().split())


def _phone_key(phone: str | None) -> str | None:
    """A UK number's digits, +44 written as the leading 0; None when too short to be a number."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits if len(digits) >= 7 else None


def record_repeat(db: Database, now: datetime, user: str, ref: str, details: Intake) -> Result:
    """A call about a case already logged: a timeline entry (and its notes) on that case, no new case."""
    received = (details.received or now).astimezone(LONDON)
    with db.transaction():
        case = get(db, ref)
        if case.get("erased_at") or case["status"] == "closed":
            raise Refused(f"{case['ref']} is {workflow.status_words(case)}, so a new call cannot be added to it",
                          "log it as a new referral (leave out --repeat-of)")
        event_id = events.record(db, utc(now), user, case["id"], "repeat-referral", {
            "received_at": utc(received), "referrer_role": clean_field("referrer_role", details.referrer_role),
            "kind": clean_field("kind", details.kind)})
        if details.notes:
            store.add_note(db, case["id"], event_id, limited(details.notes.strip(), "note", "--notes"))
        return Result(case_view(db, case["ref"], now))


# A decision notice older than this at the call is more likely a mistyped year ("3/4/15").
DECISION_YEARS = 2


# The service covers children and young people from birth to 25.
UPPER_AGE = 25


def date_problems(details: Intake, received_on: date, force: bool) -> dict[str, BadInput]:
    """The dates that cannot be right on the day of the call (never quoting a date of birth)."""
    found = {}
    if details.dob and details.dob > received_on:
        found["dob"] = BadInput("the date of birth is after the call", "check --dob")
    elif details.dob and add_months(details.dob, 12 * UPPER_AGE) <= received_on:
        found["dob"] = BadInput(f"the child or young person is {UPPER_AGE} or over on the day of the call, and "
                                f"the service covers birth to {UPPER_AGE}", "check --dob")
    decision = details.decision_date
    if decision and decision > received_on:
        found["decision_date"] = BadInput("the date the LA's decision notice was sent is after the call",
                                          "check --decision-date")
    elif decision and not force and decision < add_months(received_on, -12 * DECISION_YEARS):
        found["decision_date"] = BadInput(
            f"the LA's decision notice was sent on {format_date(decision)}, more than "
            f"{DECISION_YEARS} years before the call",
            "check the year in --decision-date, or add --force if it is right")
    return found


def _check_dates(details: Intake, received_on: date, force: bool) -> None:
    if found := date_problems(details, received_on, force):
        raise next(iter(found.values()))


def intake_warnings(details: Intake, received_on: date) -> list[str]:
    """Things staff should know but which do not stop the referral being logged."""
    warnings = []
    if details.decision_date and add_months(details.decision_date, 2) < received_on:
        warnings.append("the LA's decision notice was sent more than 2 months before the call: "
                        "the family's appeal window may already have closed")
    return warnings


def _columns(details: Intake) -> dict:
    return {column: _stored(getattr(details, name)) for name, (column, _) in FIELDS.items()}


def edit(db: Database, now: datetime, user: str, ref: str, changes: Intake, given: set[str],
         force: bool = False, new_la: bool = False) -> Result:
    """Correct what was taken down; each change is audited old → new.

    `given` names the Intake fields the user set, so a field can be cleared too; `force`
    confirms a decision notice sent more than 2 years before the call.
    """
    from kidsmed.domain import las

    changes = normalise(changes)
    with db.transaction():
        case = get(db, ref)
        _check_editable(db, case, changes, given)
        la_added = False
        if changes.la:
            changes.la, la_added = las.for_case(db, changes.la, new_la)
        new_values = {FIELDS[name][0]: _stored(getattr(changes, name)) for name in given
                      if name in FIELDS}
        changed = {c: v for c, v in new_values.items() if case.get(c) != v}
        if not changed:
            return Result(case_view(db, ref, now), ["nothing changed: the case already says that"])
        _check_dates(_as_intake({**case, **changed}), date.fromisoformat(case["received_on"]),
                     force or "decision_date" not in changed)
        public = {c: {"old": case[c], "new": v} for c, v in changed.items() if c not in _personal()}
        personal = [c for c in changed if c in _personal()]
        event_id = events.record(db, utc(now), user, case["id"], "edit",
                                 {"changes": public, "personal_fields": personal,
                                  **({"la_added_to_register": True} if la_added else {})})
        for column in personal:
            store.add_personal_history(db, case["id"], event_id, column, case[column], changed[column])
        if set(changed) & {"kind", "referrer_role", "other_party"}:
            merged = {**case, **changed}
            changed["status"], changed["consent_status"] = workflow.initial_status(merged["referrer_role"])
            if merged["kind"] == "mediation":
                changed["other_party"] = "la"
        store.update_case(db, case["id"], changed)
        warnings = _rework_appeal(db, now, user, {**case, **changed}) if "decision_date" in changed else []
        return Result(case_view(db, ref, now), warnings)


def _rework_appeal(db: Database, now: datetime, user: str, case: dict) -> list[str]:
    """A corrected decision date moves the family's appeal deadline: say so, and offer the reissue."""
    from kidsmed.domain import certificates

    moves = certificates.rework_appeal(db, now, user, case, {"decision_date_corrected": True})
    return [f"the family's appeal deadline moved from {format_date(date.fromisoformat(m['old_due_on']))} to "
            f"{format_date(date.fromisoformat(m['new_due_on']))} — the letter they have is wrong: reissue it with "
            f"'kidsmed certificate issue {case['ref']} --reissue --reason \"decision date corrected\"'"
            for m in moves]


def _personal() -> set[str]:
    return {column for column, is_personal in FIELDS.values() if is_personal}


def _stored(value):
    return value.isoformat() if isinstance(value, date) else value


def _as_intake(case: dict) -> Intake:
    return Intake(
        dob=date.fromisoformat(case["child_dob"]) if case.get("child_dob") else None,
        decision_date=date.fromisoformat(case["decision_date"]) if case.get("decision_date") else None,
    )


def _check_editable(db: Database, case: dict, changes: Intake, given: set[str]) -> None:
    if case.get("erased_at"):
        raise Refused(f"{case['ref']} has been anonymised", "its details can no longer be changed")
    path = [name for name in given if name in PATH_FIELDS]
    answered = store.agreements(db, case["id"]) or store.latest_consent(db, case["id"])
    if path and (answered or case["status"] == "closed"):
        raise Refused(
            f"{case['ref']} already has answers recorded, so its {', '.join(path)} cannot change",
            "close it and log a new referral if the case was taken down wrongly",
        )
    required = {"kind", "referrer_role", "family", "child", "la", "issues"}
    if cleared := sorted(name for name in given & required if not getattr(changes, name)):
        raise BadInput(f"the {cleared[0].replace('_', ' ')} cannot be left empty", "give a value")


def add_note(db: Database, now: datetime, user: str, ref: str, text: str) -> Result:
    """Add a dated note of a call or contact to the case timeline."""
    from kidsmed.domain import caseload
    from kidsmed.domain.holidays import calendar_from

    text = limited(text.strip(), "note", "the note")
    if not text:
        raise BadInput("the note is empty", "write what was said, in quotes")
    with db.transaction():
        case = get(db, ref)
        if case.get("erased_at"):
            raise Refused(f"{ref} has been anonymised", "notes can no longer be added to it")
        event_id = events.record(db, utc(now), user, case["id"], "note", {})
        store.add_note(db, case["id"], event_id, text)
        # A note is of a call or contact: the default chase of a waiting case moves on from it.
        caseload.after_contact(db, calendar_from(db), case, now.astimezone(LONDON).date())
        return Result(case_view(db, ref, now))


def get(db: Database, ref: str) -> dict:
    """The stored case, or NotFound naming the reference."""
    ref = normalise_ref(ref)
    case = store.get_case(db, ref)
    if case is None:
        raise NotFound(f"there is no case {ref}", "check the reference with 'kidsmed cases --search'")
    return case


def normalise_ref(ref: str) -> str:
    text = ref.strip().upper()
    parts = text.split("-")
    if len(parts) == 3 and parts[0] == "KM" and parts[1].isdigit() and parts[2].isdigit():
        return f"KM-{int(parts[1])}-{int(parts[2]):04d}"
    shown = "".join(ch if ch.isprintable() else "?" for ch in ref[:30])
    raise BadInput(f"'{shown}' is not a case reference", "references look like KM-2026-0042")


@dataclass
class CaseList:
    """A page of cases, newest first, and how many matched in all."""

    rows: list[dict]
    total: int


def find(db: Database, *, status=None, kind=None, la=None, search=None,
         received_from: date | None = None, received_to: date | None = None,
         owner: str | None = None, limit: int | None = 50) -> CaseList:
    """Cases newest first, as short rows for a list; `limit=None` gives every match.
    `owner` is a name `caseload.owner_filter` has checked."""
    in_range(limit, "--limit", "or use --all to list every case")
    from kidsmed.domain import las

    filters = {
        "status": choose(status, STATUSES, "status") if status else None,
        "kind": choose(kind, KINDS, "kind of case") if kind else None,
        "la": las.filter_name(db, la), "search": search, "owner": owner,
        "received_from": received_from.isoformat() if received_from else None,
        "received_to": received_to.isoformat() if received_to else None,
    }
    rows, total = store.list_cases(db, filters, limit)
    return CaseList([
        {"ref": r["ref"], "received_on": r["received_on"], "kind": r["kind"], "status": r["status"],
         "referrer_role": r["referrer_role"], "local_authority": r["local_authority"],
         "family": r["family_name"], "child": r["child_name"], "issues": r["issues"],
         "owner": r["owner"], "chase": _chase_view(r)}
        for r in rows
    ], total)


def case_view(db: Database, ref: str, now: datetime) -> dict:
    """The whole case as DESIGN §4's JSON shape, plus its timeline."""
    from kidsmed.domain import case_clocks
    from kidsmed.domain import clocks as clock_rules
    from kidsmed.domain.holidays import calendar_from

    case = get(db, ref)
    today = now.astimezone(LONDON).date()
    agreements = store.agreements(db, case["id"])
    consent = store.latest_consent(db, case["id"])
    clocks = store.clocks(db, case["id"])
    clocks += case_clocks.owed_deemed(db, clocks, today)  # owed when the 30 days ran out, stored on issue
    cal = calendar_from(db)
    return {
        "ref": case["ref"],
        "kind": case["kind"],
        "status": case["status"],
        "next_step": workflow.next_step(case, agreements, clocks),
        "next_command": workflow.next_command(case, agreements, clocks),
        "received_at": case["received_at"],
        "created_by": case["created_by"],
        "owner": case["owner"],
        "chase": _chase_view(case),
        "last_contact_on": case["last_contact_on"],
        "referrer": {"role": case["referrer_role"], "name": case["referrer_name"],
                     "organisation": case["referrer_org"], "phone": case["referrer_phone"]},
        "family": {"name": case["family_name"], "relationship": case["relationship"],
                   "phone": case["phone"], "email": case["email"], "address": case["address"],
                   "preferred_contact": case["preferred_contact"]},
        "child": {"name": case["child_name"], "date_of_birth": case["child_dob"]},
        "local_authority": case["local_authority"],
        "setting": case["setting"],
        "other_party": case["other_party"],
        "issues": case["issues"],
        "decision_date": case["decision_date"],
        "consent": _consent_view(case, consent),
        "required_parties": workflow.required_parties(case["kind"], case["issues"], case["other_party"]),
        "agreements": [{"party": p, "answer": a["answer"], "on": a["on_date"], "contact": a["contact"],
                        "note": a["note"]}
                       for p, a in workflow.latest_answers(agreements).items()],
        "clocks": [_clock_view(c, today, cal, clock_rules) for c in clocks],
        "appeal_window": next((_clock_view(c, today, cal, clock_rules) for c in _appeal_window(case, clocks, cal)),
                              None),
        "sessions": [
            {"id": s["id"], "number": s["number"], "start": s["start"], "end": s["end"], "mediator": s["mediator"],
             "venue": s["venue"] or (f"remote ({s['remote']})" if s["remote"] else None),
             "la_officer": s["la_officer"], "status": s["status"], "outcome": s["outcome"]}
            for s in store.sessions(db, case["id"])
        ],
        "certificates": [
            {"number": c["number"], "type": c["type"], "due_on": c["due_on"],
             "issued_on": c["issued_on"], "issued_by": c["issued_by"], "on_time": bool(c["on_time"]),
             "appeal_deadline": c["appeal_deadline"], "appeal_rule": c["appeal_rule"]}
            for c in store.certificates(db, case["id"])
        ],
        "appeal_lodged_on": case["appeal_lodged_on"],
        "closed": {"on": case["closed_on"], "reason": case["closed_reason"]} if case["closed_on"] else None,
        "erased": case["erased_at"] is not None,
        "timeline": [
            {"at": e["at"], "user": e["user"], "action": e["action"], "detail": e["detail"],
             "note": e["note"], "changes": e["changes"]}
            for e in events.for_case(db, case["id"])
        ],
    }


def _chase_view(case: dict) -> dict | None:
    """The next chase; `default` when kidsmed set it, 5 working days after the last contact."""
    if not case["chase_on"]:
        return None
    return {"on": case["chase_on"], "what": case["chase_what"], "party": case["chase_party"],
            "default": bool(case["chase_auto"])}


def _consent_view(case: dict, consent: dict | None) -> dict:
    view = {"status": case["consent_status"], "by": None, "relationship": None,
            "method": None, "on": None, "recorded_by": None, "note": None}
    if consent:
        view.update(by=consent["given_by"], relationship=consent["relationship"],
                    method=consent["method"], on=consent["on_date"],
                    recorded_by=consent["recorded_by"], note=consent["note"])
    return view


def _appeal_window(case: dict, clocks: list[dict], cal) -> list[dict]:
    """Before any certificate, the family's appeal window as the decision date alone gives it
    (decision + 2 months), shown with the clocks; never stored, never listed by `due`: the
    appeal-deadline clock itself starts when a certificate is issued."""
    from kidsmed.domain import clocks as rules

    if case["kind"] != "mediation" or not case["decision_date"] or any(c["rule"] == rules.APPEAL for c in clocks):
        return []
    decision = date.fromisoformat(case["decision_date"])
    return [{"rule": rules.APPEAL, "start_event": "LA decision notice sent, no certificate yet",
             "started_on": case["decision_date"], "due_on": rules.decision_window(decision, cal).isoformat(),
             "state": "running", "met_on": None}]


def _clock_view(clock: dict, today: date, cal, rules) -> dict:
    started, due = date.fromisoformat(clock["started_on"]), date.fromisoformat(clock["due_on"])
    ended = date.fromisoformat(clock["met_on"]) if clock["met_on"] else None  # met or stopped on
    stopped = clock["state"] == "stopped"
    return {
        "rule": clock["rule"],
        "started_on": clock["started_on"],
        "due_on": clock["due_on"],
        "state": rules.clock_state(clock["state"], due, ended, today, clock["rule"]),
        "met_on": None if stopped else clock["met_on"],
        "stopped_on": clock["met_on"] if stopped else None,
        "start_event": clock["start_event"],
        # An ended clock's count stops with it: "day 3 of 3 working days", not the days since.
        "description": rules.describe(clock["rule"], started, due, clock["start_event"],
                                      min(ended or today, today), cal),
    }


def utc(moment: datetime) -> str:
    """An instant as stored: UTC ISO 8601, to the second."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")
