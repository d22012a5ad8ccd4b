"""Consent and agreement: the gates between a phone call and a booking.

They fail closed. Nobody is asked to agree until the parent or young person has
consented to a third party's referral, and nothing is booked until every required
party has said yes (`check_can_book`, which scheduling calls). Each answer is
recorded with who, how and when, audited, and sets going what DESIGN §2 says:
statutory clocks, a closure, or, for refused or withdrawn consent, the erasure of the
family's and child's personal details.

Status changes go through `set_status` and `close_case`, which scheduling uses too.
Each returns what it did in plain words, one line each, for the command to print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kidsmed.domain import case_clocks, caseload, clocks, workflow
from kidsmed.domain.cases import Result, case_view, get, utc
from kidsmed.domain.dates import LONDON, format_date, session_span
from kidsmed.domain.holidays import calendar_from
from kidsmed.domain.text import limited
from kidsmed.domain.vocab import (
    ANSWERS,
    CONSENT_ANSWERS,
    CONSENT_METHODS,
    PARTIES,
    ROLE_WORDS,
    STAFF_CLOSE_REASONS,
    choose,
)
from kidsmed.domain.workflow import PARTY_WORDS
from kidsmed.errors import BadInput, Refused
from kidsmed.store import cases as case_store
from kidsmed.store import clocks as store_clocks
from kidsmed.store import erasure, events
from kidsmed.store import gates as store
from kidsmed.store.db import Database

COPY_WARNING = ("another kidsmed session was using the case book, so a copy of the erased details "
                "may stay in its write-ahead file until every kidsmed session has finished")

# Why a case that is not ready cannot be booked, after "KM-… is <status>".
_CANNOT_BOOK = {
    "awaiting-consent": ", so nothing can be booked until the parent or young person consents",
    "awaiting-agreement": ", so nothing can be booked until every party has agreed",
    "closed": " and cannot be booked",
}


@dataclass
class Done(Result):
    """A gate's result: the case as it now stands, and what was done, one line each."""

    said: list[str] = field(default_factory=list)


def record_consent(db: Database, now: datetime, user: str, ref: str, answer: str, *,
                   by: str | None = None, relationship: str | None = None,
                   method: str | None = None, on: date | None = None,
                   note: str | None = None) -> Done:
    """Record the parent's or young person's answer to a third party's referral.

    Given: the case moves on to awaiting-agreement. Refused or withdrawn: the case
    closes and the family's and child's personal details are erased at once. Who answered
    (`by`, `relationship`) defaults to the family member taken down at intake.
    """
    answer = choose(answer, CONSENT_ANSWERS, "consent answer")
    method = choose(method, CONSENT_METHODS, "way of giving consent") if method else None
    by, relationship = _text(by, "name", "--by"), _text(relationship, "relationship", "--relationship")
    note = _text(note, "note", "--note")
    if answer == "given" and not method:
        raise BadInput("consent given needs how it was given", f"give --method {'|'.join(CONSENT_METHODS)}")
    on = _answer_date(on, now)
    with db.transaction():
        case = get(db, ref)
        _check_consent(db, case, answer)
        by, relationship = by or case["family_name"], relationship or case["relationship"]
        if answer == "given" and not by:
            raise BadInput(f"{case['ref']} has no family member's name to record consent from",
                           "give --by NAME")
        store.add_consent(db, case["id"], {
            "answer": answer, "given_by": by, "relationship": relationship, "method": method,
            "on_date": on.isoformat(), "recorded_by": user, "recorded_at": utc(now), "note": note,
        })
        events.record(db, utc(now), user, case["id"], "consent",
                      {"answer": answer, "method": method, "on": on.isoformat()})
        case_store.update_case(db, case["id"], {"consent_status": answer})
        said = [f"Recorded consent {answer} on {format_date(on)} for {case['ref']}."]
        if answer == "given":
            said += set_status(db, now, user, case, "awaiting-agreement")
            caseload.after_contact(db, calendar_from(db), case, on)
        else:
            said += close_case(db, now, user, case, f"consent-{answer}", on)
            erase(db, now, user, case, f"consent-{answer}")
            said.append("Erased the family's and child's personal details.")
        view = case_view(db, case["ref"], now)
    warnings = [] if answer == "given" or forget_copies(db) else [COPY_WARNING]
    return Done(view, warnings, said)


def _check_consent(db: Database, case: dict, answer: str) -> None:
    ref, status = case["ref"], case["status"]
    if status == "closed":
        raise _refuse(db, case, " and takes no more answers")
    if case["consent_status"] == "not-needed":
        raise _refuse(db, case, " and needs no consent: it was referred by "
                      f"{ROLE_WORDS[case['referrer_role']]}")
    if case["consent_status"] == "given" and answer != "withdrawn":
        given_on = date.fromisoformat(case_store.latest_consent(db, case["id"])["on_date"])
        raise Refused(f"{ref} is {status}: consent was already given on {format_date(given_on)}",
                      "if the family has changed its mind, use --withdrawn")
    if case["consent_status"] == "awaiting" and answer == "withdrawn":
        raise Refused(f"{ref} is {status}: consent has not been given, so it cannot be withdrawn",
                      "if the family says no, use --refused")


def record_agreement(db: Database, now: datetime, user: str, ref: str, party: str, answer: str, *,
                     contact: str | None = None, on: date | None = None,
                     note: str | None = None) -> Done:
    """Record whether a party will take part in mediation, and set going what that answer means.

    A party may change its answer while the case is open; the old answer is audited.
    """
    party = choose(party, PARTIES, "party")
    answer = choose(answer, ANSWERS, "answer")
    contact, note = _text(contact, "name", "--contact"), _text(note, "note", "--note")
    on = _answer_date(on, now)
    with db.transaction():
        case = get(db, ref)
        agreements = case_store.agreements(db, case["id"])
        old = workflow.latest_answers(agreements).get(party)
        _check_agreement(db, case, agreements, party, answer)
        _check_not_too_early(db, case, on)
        row = {"party": party, "answer": answer, "contact": contact, "on_date": on.isoformat(),
               "recorded_by": user, "recorded_at": utc(now), "note": note}
        store.add_agreement(db, case["id"], row)
        events.record(db, utc(now), user, case["id"], "agreement",
                      {"party": party, "answer": answer, "old_answer": old and old["answer"],
                       "on": on.isoformat()})
        said = [f"Recorded: {PARTY_WORDS[party]} said {answer} on {format_date(on)} ({case['ref']})."]
        said += _follow_answer(db, now, user, case, [*agreements, row], party, answer, on)
        caseload.after_contact(db, calendar_from(db), case, on)
        view = case_view(db, case["ref"], now)
    return Done(view, [], said)


CANNOT_ARRANGE = "LA cannot arrange mediation within 30 days"


def record_cannot_arrange(db: Database, now: datetime, user: str, ref: str, party: str, *,
                          contact: str | None = None, on: date | None = None,
                          note: str | None = None) -> Done:
    """The LA says it cannot arrange mediation within 30 days: a deemed certificate is owed from
    that day (DESIGN §2). It is not a refusal: the case stays open, and the family may still mediate."""
    if choose(party, PARTIES, "party") != "la":
        raise BadInput("only the LA arranges the mediation", "use --cannot-arrange with --party la")
    contact, note = _text(contact, "name", "--contact"), _text(note, "note", "--note")
    on = _answer_date(on, now)
    with db.transaction():
        case = get(db, ref)
        _check_cannot_arrange(db, case)
        _check_not_too_early(db, case, on)
        event_id = events.record(db, utc(now), user, case["id"], "la-cannot-arrange", {"on": on.isoformat()})
        # The officer's name and staff's words may be personal: they go with the notes, which erasure clears.
        if text := "; ".join(part for part in (contact and f"Contact: {contact}", note) if part):
            case_store.add_note(db, case["id"], event_id, text)
        due = case_clocks.start(db, now, user, case, clocks.DEEMED, CANNOT_ARRANGE, on)
        said = [f"Recorded: the LA cannot arrange mediation within 30 days ({case['ref']}, {format_date(on)}).",
                f"Started {clocks.DEEMED}: due {format_date(due)}.",
                f"{case['ref']} stays {case['status']}: the family may still mediate."]
        view = case_view(db, case["ref"], now)
    return Done(view, [], said)


def _check_cannot_arrange(db: Database, case: dict) -> None:
    ref = case["ref"]
    if case["kind"] != "mediation":
        raise Refused(f"{ref} is a disagreement-resolution case", "only a mediation case is owed a certificate")
    if case["status"] == "closed":
        raise _refuse(db, case, " and takes no more answers")
    if not store_clocks.latest(db, case["id"], clocks.THIRTY_DAYS):
        raise Refused(f"{ref} is {case['status']}: the family has not said it wants mediation, so no 30 days "
                      "are running", f"record the family's yes first with 'kidsmed agree {ref} --party family --yes'")
    if deemed := store_clocks.latest(db, case["id"], clocks.DEEMED):
        since = format_date(date.fromisoformat(deemed["started_on"]))
        if deemed["state"] == "running":
            raise Refused(f"{ref} already owes a deemed certificate (from {since})",
                          f"issue it with 'kidsmed certificate issue {ref}'")
        raise Refused(f"{ref} has had its deemed certificate (owed from {since})",
                      "nothing more to record; to issue it again use --reissue --reason TEXT")


def _check_agreement(db: Database, case: dict, agreements: list[dict], party: str, answer: str) -> None:
    ref, status = case["ref"], case["status"]
    if status == "closed":
        raise _refuse(db, case, " and takes no more answers")
    if status == "awaiting-consent":
        raise _refuse(db, case, ", so no party can be asked to agree until the parent or "
                      "young person consents")
    required = workflow.required_parties(case["kind"], case["issues"], case["other_party"])
    if party not in required:
        raise Refused(f"{ref} is {status}, and {PARTY_WORDS[party]} is not a party to it",
                      f"the parties who must agree are: {', '.join(required)}")
    old = workflow.latest_answers(agreements).get(party)
    if old and old["answer"] == answer:
        raise Refused(
            f"{ref} is {status}, and {PARTY_WORDS[party]} already said {answer} on "
            f"{format_date(date.fromisoformat(old['on_date']))}",
            "nothing was changed; to record another call, use 'kidsmed note'")


def _check_not_too_early(db: Database, case: dict, on: date) -> None:
    """An answer cannot come before the referral, nor before the consent that allowed the question."""
    earliest, what = date.fromisoformat(case["received_on"]), "the referral was received"
    if case["consent_status"] == "given":
        earliest = date.fromisoformat(case_store.latest_consent(db, case["id"])["on_date"])
        what = "consent was given"
    if on < earliest:
        raise BadInput(f"{format_date(on)} is before {what} ({format_date(earliest)})", "check --on")


def _follow_answer(db: Database, now: datetime, user: str, case: dict, agreements: list[dict],
                   party: str, answer: str, on: date) -> list[str]:
    """Close, start clocks and move the status as the answer requires (DESIGN §2)."""
    effects = workflow.answer_effects(case["kind"], case["issues"], party, answer)
    # Close first: closing stops the running clocks, and a certificate the closure owes must keep running.
    said = close_case(db, now, user, case, effects.close_reason, on) if effects.close_reason else []
    for rule, start_event in effects.clocks:
        if due := case_clocks.start(db, now, user, case, rule, start_event, on):
            said.append(f"Started {rule}: due {format_date(due)}.")
    if case["status"] != "closed":
        status = workflow.status_after_answers(case, agreements)
        if status != case["status"]:
            said += set_status(db, now, user, case, status)
    return said


def close(db: Database, now: datetime, user: str, ref: str, reason: str, note: str | None = None) -> Done:
    """Staff close an open case (withdrawn, resolved without mediation): its clocks stop."""
    reason = choose(reason, STAFF_CLOSE_REASONS, "reason for closing")
    note = _text(note, "note", "--note")
    with db.transaction():
        case = get(db, ref)
        if case["status"] == "closed":
            raise _refuse(db, case, ", so it cannot be closed again")
        said = close_case(db, now, user, case, reason, now.astimezone(LONDON).date())
        if note:
            event_id = events.record(db, utc(now), user, case["id"], "note", {})
            case_store.add_note(db, case["id"], event_id, note)
        view = case_view(db, case["ref"], now)
    return Done(view, [], said)


def set_status(db: Database, now: datetime, user: str, case: dict, new_status: str,
               **columns: str) -> list[str]:
    """Move `case` along `workflow.TRANSITIONS`, audited; what was done, in words.

    Leaving `booked` cancels the sessions still booked: a booking stands only while every
    party agrees. `columns` are further case columns to set (closed_on, closed_reason).
    Updates `case` in place. Call inside the command's transaction.
    """
    workflow.check_transition(case, new_status)
    closing = new_status == "closed"
    why = f"case closed ({columns['closed_reason']})" if closing else f"case now {new_status}"
    said = ([f"Cancelled {session}: {why}." for session in cancel_booked(db, now, user, case, why)]
            if case["status"] == "booked" else [])
    # A closed case has nobody left to chase.
    changes = {"status": new_status, **columns, **(caseload.NO_CHASE if closing else {})}
    case_store.update_case(db, case["id"], changes)
    events.record(db, utc(now), user, case["id"], "closed" if closing else "status",
                  {"status": {"old": case["status"], "new": new_status}, **columns})
    case.update(changes)
    if closing:
        on = format_date(date.fromisoformat(columns["closed_on"]))
        return [*said, f"Closed {case['ref']} ({columns['closed_reason']}) on {on}."]
    return [*said, f"{case['ref']} is now {new_status}."]


def cancel_booked(db: Database, now: datetime, user: str, case: dict, why: str) -> list[str]:
    """Cancel the sessions `case` still has booked, each audited, and name them for staff:
    'session 2 on Thu 10 Dec 2026 10:00–13:00'. A booking stands only while the mediation goes ahead."""
    cancelled = store.cancel_booked_sessions(db, case["id"], utc(now), why)
    for session in cancelled:
        events.record(db, utc(now), user, case["id"], "session-cancelled",
                      {"session": session["id"], "start": session["start"], "reason": why})
    return [f"session {s['number']} on {session_span(s)}" for s in cancelled]


def _stopped_words(stopped: list[dict], on: date) -> str:
    """'Stopped 2 running clocks.', naming any that had already run out: those stay breached."""
    words = f"Stopped {len(stopped)} running clock{'s' if len(stopped) != 1 else ''}."
    missed = [c for c in stopped
              if clocks.clock_state("stopped", date.fromisoformat(c["due_on"]), on, on) == "breached"]
    if missed:
        words += " Already overdue, so recorded as breached: " + ", ".join(
            f"{c['rule']} (due {format_date(date.fromisoformat(c['due_on']))})" for c in missed) + "."
    return words


def close_case(db: Database, now: datetime, user: str, case: dict, reason: str, on: date) -> list[str]:
    """Close an open case on `on`: stop its running clocks, cancel booked sessions, audited.

    Start a clock the closure owes (a certificate) after calling this, so it keeps running.
    """
    stopped = case_clocks.stop_all(db, now, user, case, f"case closed ({reason})", on)
    said = [_stopped_words(stopped, on)] if stopped else []
    return said + set_status(db, now, user, case, "closed", closed_on=on.isoformat(), closed_reason=reason)


def erase(db: Database, now: datetime, user: str, case: dict, reason: str) -> None:
    """Erase the family's and child's personal details from `case`, everywhere they are kept.

    Names, contact details, date of birth, setting, notes and their old → new history go;
    dates, referrer role, LA, kind and issues stay for the counts. The audit keeps the fact
    (who, when, why, how many rows), never a value. Joins the caller's transaction if one is
    open: then call `forget_copies(db)` once it has committed.
    """
    if case.get("erased_at"):
        raise Refused(f"{case['ref']} has already been anonymised", "there is nothing left to erase")
    with db.transaction():
        cleared = erasure.erase_personal(db, case["id"])
        case_store.update_case(db, case["id"], {"erased_at": utc(now)})
        events.record(db, utc(now), user, case["id"], "erased", {"reason": reason, "cleared": cleared})
    case["erased_at"] = utc(now)
    forget_copies(db)


def forget_copies(db: Database) -> bool:
    """After an erasure has committed, empty the write-ahead log so no copy stays on disk.

    False when another session's open read kept it from being emptied (see COPY_WARNING).
    """
    return db.checkpoint()


def check_can_book(db: Database, case: dict) -> None:
    """Refuse a booking unless consent (where needed) and every required party's yes are recorded.

    Scheduling calls this before booking anything: the gates fail closed.
    """
    agreements = case_store.agreements(db, case["id"])
    if case["status"] in ("ready-to-book", "booked") and not workflow.missing_parties(case, agreements):
        return
    why = _CANNOT_BOOK.get(case["status"], ", and not every party has agreed")
    raise workflow.refusal(case, agreements, why, case_store.clocks(db, case["id"]))


def _refuse(db: Database, case: dict, why: str) -> Refused:
    return workflow.refusal(case, case_store.agreements(db, case["id"]), why,
                            case_store.clocks(db, case["id"]))


def _answer_date(on: date | None, now: datetime) -> date:
    today = now.astimezone(LONDON).date()
    if on is not None and on > today:
        raise BadInput(f"{format_date(on)} is in the future",
                       "give the day the answer was given (--on; default today)")
    return on or today


def _text(value: str | None, kind: str, label: str) -> str | None:
    """Typed text trimmed, None when blank, refused when longer than its kind allows."""
    return limited((value or "").strip() or None, kind, label)
