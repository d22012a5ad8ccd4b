"""Mediation certificates: issuing the one a case is owed, reissuing it, and the letter.

A mediation case is owed a certificate when one of the three certificate clocks is
running; the clock says which type. Issuing meets the clock (met, or met-late) and
starts the family's appeal-deadline clock, which a bank holiday added or a corrected
decision date works out again, on the clock and on the certificate's letter alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from kidsmed.domain import case_clocks, cases, settings
from kidsmed.domain import clocks as rules
from kidsmed.domain.dates import LONDON, format_date
from kidsmed.domain.holidays import calendar_from
from kidsmed.errors import BadInput, Refused
from kidsmed.store import cases as case_store
from kidsmed.store import certificates as store
from kidsmed.store import clocks as clock_store
from kidsmed.store import events
from kidsmed.store import sessions as session_store
from kidsmed.store.db import Database

# certificate clock → the type of certificate that meets it
TYPE_OF_CLOCK = {
    "certificate-after-decline": "declined",
    "certificate-deemed": "deemed",
    "certificate-after-mediation": "after-mediation",
}
# type → (title in plain words, what the certificate confirms, to the family)
TYPE_WORDS = {
    "declined": ("Mediation certificate: mediation not pursued",
                 "you told us that you do not wish to pursue mediation"),
    "deemed": ("Mediation certificate: mediation could not be arranged in time",
               "the local authority could not arrange mediation within 30 days"),
    "after-mediation": ("Mediation certificate: mediation has taken place",
                        "mediation has taken place"),
}
OWED_WHEN = ("a certificate is owed when the family declines mediation, the LA cannot arrange it "
             "within 30 days, or the mediation concludes")


@dataclass
class Issued:
    result: cases.Result
    certificate: dict


def issue(db: Database, now: datetime, user: str, ref: str, on: date | None = None,
          reissue: bool = False, reason: str | None = None) -> Issued:
    """Issue the certificate the case is owed or, with `reissue` and a reason, issue the latest again."""
    reason = (reason or "").strip()
    if reissue != bool(reason):
        raise BadInput("--reissue and --reason go together", "give both to issue a certificate again")
    today = now.astimezone(LONDON).date()
    on = on or today
    if on > today:
        raise BadInput(f"{format_date(on)} is in the future", "give the day it was issued with --on")
    with db.transaction():
        case = cases.get(db, ref)
        if case["kind"] != "mediation":
            raise Refused(f"{case['ref']} is a disagreement-resolution case",
                          "only mediation cases have a mediation certificate")
        owed = _owed(db, now, user, case, today)
        issued = store.for_case(db, case["id"])
        row = _again(case, owed, issued, on, reason, db) if reissue else _first(case, owed, issued, on, db)
        row.update(case_id=case["id"], number=f"{case['ref']}-C{len(issued) + 1}", issued_on=on.isoformat(),
                   issued_by=user)
        _record(db, now, user, case, row)
        return Issued(cases.Result(cases.case_view(db, case["ref"], now)), row)


def _owed(db: Database, now: datetime, user: str, case: dict, today: date) -> list[dict]:
    """The running certificate clocks of the case; a deemed one the 30 days running out owes is
    stored first (from the day after their due date), so it is met like any other."""
    for deemed in case_clocks.owed_deemed(db, clock_store.running(db, case["id"], rules.THIRTY_DAYS), today):
        case_clocks.start(db, now, user, case, rules.DEEMED, rules.NO_SESSION, date.fromisoformat(deemed["started_on"]))
    return [c for c in clock_store.running(db, case["id"]) if c["rule"] in TYPE_OF_CLOCK]


def _first(case: dict, owed: list[dict], issued: list[dict], on: date, db: Database) -> dict:
    if not owed:
        if issued:
            raise Refused(f"{case['ref']} already has certificate {issued[-1]['number']} for its "
                          "last cause", "to issue it again add --reissue --reason TEXT")
        raise Refused(f"{case['ref']} is owed no certificate", OWED_WHEN)
    clock = owed[0]
    if on.isoformat() < clock["started_on"]:
        raise BadInput(f"{format_date(on)} is before {clock['start_event']} "
                       f"({format_date(date.fromisoformat(clock['started_on']))})", "check --on")
    deadline, why = _appeal(db, case, on)
    return {"type": TYPE_OF_CLOCK[clock["rule"]], "due_on": clock["due_on"], "clock": clock["rule"],
            "on_time": on.isoformat() <= clock["due_on"], "appeal_deadline": deadline, "appeal_rule": why}


def _again(case: dict, owed: list[dict], issued: list[dict], on: date, reason: str, db: Database) -> dict:
    """A reissue keeps the original's type, due date and issue date for the appeal deadline.

    The family's month runs from the first certificate, so a reissue never gives a later
    deadline; only a corrected decision date can change it.
    """
    if owed:
        raise Refused(f"{case['ref']} is owed a new certificate", "issue it without --reissue")
    if not issued:
        raise Refused(f"{case['ref']} has no certificate to reissue", "issue the first one without --reissue")
    original = issued[-1]
    if original["reissue_of"]:
        original = next(c for c in issued if c["id"] == original["reissue_of"])
    if on.isoformat() < original["issued_on"]:
        raise BadInput(f"{format_date(on)} is before the original certificate was issued", "check --on")
    deadline, why = _appeal(db, case, date.fromisoformat(original["issued_on"]))
    return {"type": original["type"], "due_on": original["due_on"], "on_time": bool(original["on_time"]),
            "appeal_deadline": deadline, "appeal_rule": f"{why} (from the original, {original['number']})",
            "reissue_of": original["id"], "reissue_reason": reason, "original": original["number"]}


def _appeal(db: Database, case: dict, issued_on: date) -> tuple[str, str]:
    deadline, why = rules.appeal_deadline(case_clocks.decision_of(case), issued_on, calendar_from(db))
    return deadline.isoformat(), why


def rework_appeal(db: Database, now: datetime, user: str, case: dict, because: dict) -> list[dict]:
    """Work out again the family's appeal deadline after the calendar or the decision date changed:
    on every certificate of the case (its letter prints it) and on its running appeal-deadline
    clock, whose move is audited with `because`. Returns the clock moves."""
    issued = store.for_case(db, case["id"])
    by_id = {c["id"]: c for c in issued}
    for certificate in issued:
        original = by_id.get(certificate["reissue_of"], certificate)
        deadline, why = _appeal(db, case, date.fromisoformat(original["issued_on"]))
        if original is not certificate:
            why = f"{why} (from the original, {original['number']})"
        if (deadline, why) != (certificate["appeal_deadline"], certificate["appeal_rule"]):
            store.set_appeal(db, certificate["id"], deadline, why)
    cal = calendar_from(db)
    moves = (case_clocks.move_due(db, now, user, case, clock, rules.due_date(
                 rules.APPEAL, date.fromisoformat(clock["started_on"]), cal, case_clocks.decision_of(case)), because)
             for clock in clock_store.running(db, case["id"], rules.APPEAL, clock_store.FAMILY))
    return [move for move in moves if move]


def _record(db: Database, now: datetime, user: str, case: dict, row: dict) -> None:
    store.insert(db, row)
    detail = {key: row.get(key) for key in ("number", "type", "due_on", "issued_on", "on_time",
                                            "appeal_deadline", "original") if row.get(key) is not None}
    event_id = events.record(db, cases.utc(now), user, case["id"],
                             "certificate-reissued" if row.get("reissue_of") else "certificate-issued", detail)
    if row.get("reissue_reason"):
        # Staff's own words may name the family: they go with the notes, which erasure clears.
        case_store.add_note(db, case["id"], event_id, f"Reissued: {row['reissue_reason']}")
    if row.get("clock"):
        issued_on = date.fromisoformat(row["issued_on"])
        case_clocks.meet(db, now, user, case, row["clock"], issued_on)
        case_clocks.start(db, now, user, case, rules.APPEAL, "certificate issued", issued_on)


def _mediation_held(db: Database, case_id: int) -> dict | None:
    """When and where the mediation took place, as the after-mediation letter tells the family."""
    from kidsmed.domain.scheduling import location  # not at the top: scheduling imports cases, which imports us

    session = session_store.last_held(db, case_id)
    if session is None:
        return None
    return {"on": session["start"][:10], "where": location(session)}


def letter(db: Database, ref: str) -> dict:
    """The latest certificate of a case as the letter the service sends to the family."""
    case = cases.get(db, ref)
    if case["erased_at"]:
        raise Refused(f"{case['ref']} has been anonymised: its details are erased",
                      "its certificate letter can no longer be printed")
    issued = store.for_case(db, case["id"])
    if not issued:
        raise Refused(f"{case['ref']} has no certificate yet",
                      f"issue it with 'kidsmed certificate issue {case['ref']}'")
    certificate = issued[-1]
    title, confirms = TYPE_WORDS[certificate["type"]]
    return {
        "service": settings.service(db),
        "ref": case["ref"],
        "number": certificate["number"],
        "type": certificate["type"],
        "title": title,
        "confirms": confirms,
        "family": case["family_name"],
        "child": case["child_name"],
        "local_authority": case["local_authority"],
        "decision_date": case["decision_date"],
        "issued_on": certificate["issued_on"],
        "appeal_deadline": certificate["appeal_deadline"],
        "appeal_rule": certificate["appeal_rule"],
        "mediation_held": _mediation_held(db, case["id"]) if certificate["type"] == "after-mediation" else None,
        "reissue_of": next((c["number"] for c in issued if c["id"] == certificate["reissue_of"]), None),
    }
