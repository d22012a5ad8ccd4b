"""The service's vocabularies: every code a user may type or a script may read."""

from kidsmed.errors import BadInput

KINDS = ("mediation", "disagreement-resolution")

REFERRER_ROLES = (
    "parent",
    "young-person",
    "la-officer",
    "sendiass",
    "school",
    "health",
    "voluntary",
    "other",
)
ROLE_ALIASES = {"parent-partnership": "sendiass"}
# The parent or the young person holds the right to mediation; anyone else needs their consent.
SELF_REFERRER_ROLES = ("parent", "young-person")

ROLE_WORDS = {
    "parent": "a parent or carer",
    "young-person": "the young person",
    "la-officer": "an LA officer",
    "sendiass": "SENDIASS",
    "school": "school staff",
    "health": "a health professional",
    "voluntary": "a voluntary agency",
    "other": "another party",
}

ISSUES = (
    "refusal-to-assess",
    "refusal-to-issue",
    "plan-content",
    "placement",
    "health",
    "social-care",
    "refusal-to-reassess",
    "refusal-to-amend",
    "cease",
    "sen-provision",
    "other",
)

OTHER_PARTIES = ("la", "setting", "health", "other")
# How the family would rather be contacted (the letters go by post when it is `letter`).
CONTACT_PREFERENCES = ("phone", "email", "letter")
PARTIES = ("family", "la", "setting", "health", "other")

STATUSES = ("awaiting-consent", "awaiting-agreement", "ready-to-book", "booked", "closed")

CONSENT_STATES = ("not-needed", "awaiting", "given", "refused", "withdrawn")
CONSENT_ANSWERS = ("given", "refused", "withdrawn")
CONSENT_METHODS = ("phone", "email", "letter", "in-person")
ANSWERS = ("yes", "no")

CLOSE_REASONS = (
    "consent-refused",
    "consent-withdrawn",
    "family-declined",
    "other-party-declined",
    "withdrawn",
    "resolved-without-mediation",
    "mediation-concluded",
)
# The reasons staff may give to `close`; the others follow from an answer or an outcome.
STAFF_CLOSE_REASONS = ("withdrawn", "resolved-without-mediation")


def choose(value: str, allowed: tuple[str, ...], what: str, aliases: dict | None = None) -> str:
    """Return the canonical code for `value`, or refuse it naming the choices."""
    code = value.strip().lower().replace("_", "-").replace(" ", "-")
    code = (aliases or {}).get(code, code)
    if code not in allowed:
        shown = value if len(value) <= 30 else value[:30] + "…"
        raise BadInput(f"'{_printable(shown)}' is not a known {what}", f"use one of: {', '.join(allowed)}")
    return code


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)


# The words people read for the codes above where capitalising the code is not enough.
_LABELS = {"la": "LA", "la-officer": "LA officer", "sendiass": "SENDIASS", "sen-provision": "SEN provision"}


def label(code: str | None) -> str:
    """A code as people read it: 'la-officer' → 'LA officer', 'refusal-to-assess' → 'Refusal to assess'.

    Tables, HTML and letters show labels; JSON and CSV keep the codes."""
    if not code:
        return ""
    return _LABELS.get(code) or code.replace("-", " ").capitalize()
