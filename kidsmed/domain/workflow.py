"""The path of a case: statuses, who must agree, and the next step in plain words.

The allowed status changes are one table, so every refusal can say where a case
is and what would move it on.
"""

from kidsmed.domain.vocab import ROLE_WORDS, SELF_REFERRER_ROLES
from kidsmed.errors import Refused

# status → the statuses a case may move to from it
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


def current_answers(agreements: list[dict]) -> dict[str, str]:
    """The latest answer of each party, from the recorded answers in order."""
    return {row["party"]: row["answer"] for row in agreements}


def missing_parties(case: dict, agreements: list[dict]) -> list[str]:
    answers = current_answers(agreements)
    return [p for p in required_parties(case["kind"], case["issues"], case["other_party"])
            if answers.get(p) != "yes"]


def check_transition(case: dict, new_status: str) -> None:
    if new_status not in TRANSITIONS[case["status"]]:
        raise Refused(
            f"{case['ref']} is {case['status']} and cannot become {new_status}",
            f"next: {next_step(case, [])}",
        )


def next_step(case: dict, agreements: list[dict]) -> str:
    """What staff should do next, in plain words."""
    status = case["status"]
    if status == "awaiting-consent":
        return ("record the parent's or young person's consent — referred by "
                f"{ROLE_WORDS[case['referrer_role']]}")
    if status == "awaiting-agreement":
        missing = missing_parties(case, agreements)
        party = PARTY_WORDS[missing[0]] if missing else "every party"
        return f"ask {party} whether they will take part in mediation"
    if status == "ready-to-book":
        return "book a session — every party has agreed"
    if status == "booked":
        return "record the session's outcome once it has been held"
    return f"none — the case is closed ({case['closed_reason']})"
