"""No output carries a control character from user text (issue 12, item 16).

A stored value such as ESC ] 52 (write the clipboard) or ESC [ 2J (clear the screen) must never reach
a terminal or a spreadsheet, whatever the format; an invisible bidi override is shown by name.
"""

import json
import re

import pytest
from bookable import add_people, make_bookable

from kidsmed.domain.text import json_escape, safe_text

# OSC 52 writes the clipboard, CSI 2J clears the screen, BEL rings, CSI as one C1 byte, DEL.
HOSTILE = "Evil\x1b]52;c;aGk=\x07\x1b[2J\x9b31m\x7f"
REVERSED = "\u202egnp.exe"
# What no output may hold: every control character but the line break, and the bidi controls.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(kidsmed, db_path):
    """A booked case whose family, child, referrer and LA officer were typed with control characters."""
    add_people(kidsmed)
    ref = make_bookable(kidsmed, db_path, "--family", HOSTILE, "--child", REVERSED, "--referrer-org", HOSTILE,
                        "--notes", f"rang back {HOSTILE}")
    assert kidsmed("schedule", "book", ref, "--at", "3/12/2026 10:00", "--mediator", "Jo Mediator",
                   "--venue", "Oak Room", "--la-officer", f"Pat {HOSTILE}").exit_code == 0
    return ref


@pytest.mark.parametrize("args", [
    ("cases", "--format", "csv"),
    ("cases",),
    ("show", "KM-2026-0001", "--format", "csv"),
    ("show", "KM-2026-0001"),
    ("schedule", "list", "--format", "csv"),
    ("schedule", "list", "--format", "ics"),
    ("schedule", "list"),
    ("report", "day"),
    ("due", "--format", "csv"),
    ("cases", "--json"),
    ("show", "KM-2026-0001", "--json"),
    ("schedule", "list", "--json"),
])
def test_no_format_carries_a_control_character(kidsmed, hostile, args):
    result = kidsmed(*args)
    assert result.exit_code == 0, result.output
    out = result.stdout.replace("\r\n", "\n")  # iCalendar ends its lines with CRLF, as it must
    assert UNSAFE.findall(out) == []
    assert "Evil" in out or "KM-2026-0001" in out


def test_csv_shows_each_control_character_as_a_question_mark(kidsmed, hostile):
    out = kidsmed("cases", "--format", "csv").stdout
    assert "Evil?]52;c;aGk=??[2J?31m?" in out


def test_a_bidi_override_is_shown_by_name_in_tables(kidsmed, hostile):
    for args in (("cases",), ("show", hostile)):
        out = kidsmed(*args, env={"COLUMNS": "160"}).stdout
        assert "<U+202E>" in out and "\u202e" not in out


def test_json_keeps_the_exact_value_without_writing_it_raw(kidsmed, hostile):
    result = kidsmed("show", hostile, "--json")
    case = json.loads(result.stdout)
    assert (case["family"]["name"], case["child"]["name"]) == (HOSTILE, REVERSED)
    assert "\\u009b" in result.stdout and "\\u202e" in result.stdout


def test_safe_text_is_the_one_rule():
    assert safe_text(None) == ""
    assert safe_text("Plain name") == "Plain name"
    assert safe_text("Zoë Ó Briain-Müller") == "Zoë Ó Briain-Müller"
    assert safe_text("two\nlines") == "two\nlines"
    assert safe_text("tab\there\r") == "tab?here?"
    assert safe_text("\u2066x\u2069 \u200f") == "<U+2066>x<U+2069> <U+200F>"
    assert json.loads(json_escape(json.dumps(HOSTILE + REVERSED, ensure_ascii=False))) == HOSTILE + REVERSED
