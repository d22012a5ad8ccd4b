"""User text: how much of it each field may hold, and how every output shows it.

Two rules for whatever staff type (names, contact details, notes, reasons):
- `MAX_LENGTH` bounds it when it is typed, so that no value can make a screen slow to draw or a
  letter absurd; `limited` refuses a longer one with exit 2. docs/staff-guide.md lists the limits.
- `safe_text` is how it leaves kidsmed in tables, CSV, iCalendar, HTML and plain lines: a stored
  value can never reach a terminal or a spreadsheet as a control code. JSON keeps the value exact,
  with the same characters written as \\u escapes (`json_escape`).
"""

from __future__ import annotations

import re

from kidsmed.errors import BadInput

# The most characters each kind of text may hold: room for any real value (the longest
# hyphenated names, a full postal address, a page of notes), and a bound on what is drawn.
MAX_LENGTH = {
    "name": 100,            # a person, school, organisation, LA, mediator, venue or holiday
    "relationship": 50,     # "paternal grandmother (special guardian)"
    "phone": 30,
    "email": 254,           # the longest address mail can deliver (RFC 5321)
    "address": 300,
    "reason": 500,          # why a session moved or was cancelled, why a warning was overridden
    "note": 5000,           # a call note, the notes taken at intake or on an answer
}

# C0 and C1 control characters and DEL: ESC starts terminal commands (clear the screen, write the
# clipboard), BEL rings, CR overwrites a line. A line break is kept: notes may have several lines,
# and every format keeps it in its place (CSV quotes it, iCalendar escapes it, tables break there).
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# Invisible bidirectional controls (and line/paragraph separators) make text read in another order
# than it is stored ("\u202egnp.exe" shows as "exe.png"): each is shown by name, e.g. <U+202E>.
_INVISIBLE = re.compile("[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Both kinds, for formats that can carry them exactly as escapes (JSON).
UNSAFE = re.compile(f"{_CONTROL.pattern}|{_INVISIBLE.pattern}")


def safe_text(value) -> str:
    """User text as every output shows it: control characters as '?', bidi controls by name.

    None is the empty string. The one function every table, CSV cell, iCalendar field, HTML
    page and message uses for a stored or typed value.
    """
    if value is None:
        return ""
    text = str(value)
    if text.isascii() and text.isprintable():  # the usual case, checked at C speed
        return text
    return _INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", _CONTROL.sub("?", text))


def json_escape(text: str) -> str:
    """JSON text with every unsafe character inside its strings written as a \\u escape.

    json.dumps already escapes C0 controls; this adds DEL, the C1 controls and the bidi ones, which
    it writes raw when ensure_ascii is off. A JSON reader gets the exact stored value back."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def limited(value: str | None, kind: str, label: str) -> str | None:
    """`value` as it was, or BadInput when it is longer than MAX_LENGTH[kind] allows.

    The message names the option (`label`) and the lengths, never the value: it may be a child's name."""
    most = MAX_LENGTH[kind]
    if value is not None and len(value) > most:
        raise BadInput(f"{label} is {len(value):,} characters long; the most it may be is {most:,}",
                       "shorten it")
    return value


def alike(wanted: str, names: list[str], n: int, cutoff: float) -> list[str]:
    """At most n of `names` that look like `wanted`, case aside, as they are spelt: a "did you mean"."""
    import difflib  # only a near miss needs it

    folded = {name.casefold(): name for name in names}
    return [folded[f] for f in difflib.get_close_matches(wanted.casefold(), list(folded), n=n, cutoff=cutoff)]
