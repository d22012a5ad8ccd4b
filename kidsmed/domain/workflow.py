"""The path of a case: statuses, who must agree, what each answer sets going, and the
next step in plain words.

The allowed status changes are one table, so every refusal can say where a case
is and what would move it on. Everything here is pure: it reads the case, its
recorded answers and its clocks, and never the database.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from kidsmed.domain.dates import format_date
from kidsmed.domain.vocab import ROLE_WORDS, SELF_REFERRER_ROLES
from kidsmed.errors import Refused

# status → the statuses a case may move to from it, and what moves it there:
#   awaiting-consent   → awaiting-agreement  the parent or young person consents
#   awaiting-agreement → ready-to-book       every required party has said yes
#   ready-to-book      → awaiting-agreement  the ICB withdraws its yes (a mediation case stays open)
#   ready-to-book      → booked              a session is booked (scheduling)
#   booked             → ready-to-book       the last booked session is cancelled (scheduling)
#   booked             → awaiting-agreement  the ICB withdraws its yes; booked sessions are cancelled
#   any open status    → closed              refused or withdrawn consent, a party's no, `close`,
#                                            or the mediation's outcome (scheduling)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "awaiting-consent": ("awaiting-agreement", "closed"),
    "awaiting-agreement": ("ready-to-book", "closed"),
    "ready-to-book": ("awaiting-agreement", "booked", "closed"),
    "booked": ("ready-to-book", "awaiting-agreement", "closed"),
    "closed": (),
}

PARTY_WORDS = {
    "family": "the family",
    "la": "the local authority",
    "setting": "the school or setting",
    "health": "the integrated care board (health)",
    "other": "the other party",
}
# How an answer already given is summed up in a next step: "family agreed on Tue 1 Dec 2026".
PARTY_SHORT = {"family": "family", "la": "LA", "setting": "setting", "health": "ICB",
               "other": "other party"}


def needs_consent(referrer_role: str) -> bool:
    return referrer_role not in SELF_REFERRER_ROLES


def initial_status(referrer_role: str) -> tuple[str, str]:
    """(status, consent status) of a newly logged referral."""
    if needs_consent(referrer_role):
        return "awaiting-consent", "awaiting"
    return "awaiting-agreement", "not-needed"


def required_parties(kind: str, issues: list[str], other_party: str | None) -> list[str]:
    """Who must say yes before a session can be booked (DESIGN §1)."""
    if kind == "mediation":
        return ["family", "la"] + (["health"] if "health" in issues else [])
    return ["family", other_party or "other"]


def latest_answers(agreements: list[dict]) -> dict[str, dict]:
    """Each party's latest recorded answer (the row), from the recorded answers in order."""
    return {row["party"]: row for row in agreements}


def missing_parties(case: dict, agreements: list[dict]) -> list[str]:
    """The required parties that have not (or no longer) said yes, in the order to ask them."""
    answers = latest_answers(agreements)
    return [p for p in required_parties(case["kind"], case["issues"], case["other_party"])
            if answers.get(p, {}).get("answer") != "yes"]


def status_after_answers(case: dict, agreements: list[dict]) -> str:
    """Where an open, consented case stands once its answers are counted."""
    if missing_parties(case, agreements):
        return "awaiting-agreement"
    return "booked" if case["status"] == "booked" else "ready-to-book"


class Effects(NamedTuple):
    """What one party's answer sets going: the closure it forces, and the clocks it starts."""

    close_reason: str | None = None
    clocks: tuple[tuple[str, str], ...] = ()  # (rule, start event in plain words)


def answer_effects(kind: str, issues: list[str], party: str, answer: str) -> Effects:
    """DESIGN §2: the family's answer starts the statutory clocks; another party's no ends the case.

    The one no that leaves a case open is the ICB's on a mediation case: the family's
    mediation with the LA still stands, and the ICB may be asked again.
    """
    if party == "family":
        if answer == "no":
            return Effects("family-declined", (("certificate-after-decline", "family declined"),))
        health = (("health-notice", "family agreed"),) if "health" in issues else ()
        return Effects(None, (("mediation-within-30-days", "family agreed"), *health))
    if answer == "yes" or (kind == "mediation" and party == "health"):
        return Effects()
    deemed = (("certificate-deemed", "LA declined"),) if kind == "mediation" and party == "la" else ()
    return Effects("other-party-declined", deemed)


def status_words(case: dict) -> str:
    status = case["status"]
    return f"closed ({case['closed_reason']})" if status == "closed" else status


def refusal(case: dict, agreements: list[dict], why: str, clocks: list[dict] = ()) -> Refused:
    """A refusal that says where the case is ("KM-… is <status><why>") and what would move it on."""
    what = f"{case['ref']} is {status_words(case)}{why}"
    if case["status"] == "closed" and not owed_certificate(clocks):
        return Refused(what, "a closed case cannot be reopened: log a new referral if the family comes back")
    words = next_step(case, agreements, clocks)
    command = next_command(case, agreements, clocks)
    return Refused(what, f"next: {words}, with '{command}'" if command else f"next: {words}")


def check_transition(case: dict, new_status: str) -> None:
    if new_status not in TRANSITIONS[case["status"]]:
        raise refusal(case, [], f" and cannot become {new_status}")


def owed_certificate(clocks: list[dict]) -> dict | None:
    """The running certificate clock of a case, if a certificate is still owed."""
    return next((c for c in clocks if c["state"] == "running" and c["rule"].startswith("certificate-")),
                None)


def _said(agreements: list[dict]) -> str:
    """The answers so far: "family agreed on Tue 1 Dec 2026, LA said no on Wed 2 Dec 2026"."""
    return ", ".join(
        f"{PARTY_SHORT[party]} {'agreed' if row['answer'] == 'yes' else 'said no'} on "
        f"{format_date(date.fromisoformat(row['on_date']))}"
        for party, row in latest_answers(agreements).items()
    )


def _ask(case: dict, agreements: list[dict]) -> str:
    party = missing_parties(case, agreements)[0]
    again = "again " if party in latest_answers(agreements) else ""
    if party == "family":
        ask = "ask the family whether they will take part in mediation"
    else:
        ask = f"ask {PARTY_WORDS[party]} {again}whether it will take part"
    said = _said(agreements)
    return f"{ask} — {said}" if said else ask


def next_step(case: dict, agreements: list[dict], clocks: list[dict] = ()) -> str:
    """What staff should do next, in plain words."""
    status = case["status"]
    if status == "awaiting-consent":
        return ("record the parent's or young person's consent — referred by "
                f"{ROLE_WORDS[case['referrer_role']]}")
    if status in ("awaiting-agreement", "ready-to-book"):
        if missing_parties(case, agreements):
            return _ask(case, agreements)
        return f"book a session — every party has agreed ({_said(agreements)})"
    if status == "booked":
        return "record the session's outcome once it has been held"
    if owed := owed_certificate(clocks):
        return (f"issue the mediation certificate by {format_date(date.fromisoformat(owed['due_on']))} "
                f"({owed['start_event']} on {format_date(date.fromisoformat(owed['started_on']))})")
    return f"none — the case is closed ({case['closed_reason']})"


def next_command(case: dict, agreements: list[dict], clocks: list[dict] = ()) -> str | None:
    """The command that takes the next step, ready to type; None when nothing is left to do.

    Words in capitals (DATETIME, NAME, RESULT) are the parts staff fill in."""
    ref, status = case["ref"], case["status"]
    if status == "awaiting-consent":
        return f"kidsmed consent {ref} --given"
    if status in ("awaiting-agreement", "ready-to-book"):
        if missing := missing_parties(case, agreements):
            return f"kidsmed agree {ref} --party {missing[0]} --yes"
        return f"kidsmed schedule book {ref} --at DATETIME --mediator NAME"
    if status == "booked":
        return f"kidsmed schedule outcome {ref} --result RESULT"
    if owed_certificate(clocks):
        return f"kidsmed certificate issue {ref}"
    return None

