"""Names and free text have maximum lengths, refused beyond them with exit 2 (issue 12, item 17).

A 60,000-letter accented name made `cases` take 7–15 s at 80 columns: no value may be that long,
and drawing a long word stays linear in its length.
"""

import time

import pytest
from bookable import add_people, make_bookable
from conftest import checksum

from kidsmed.domain.text import MAX_LENGTH
from kidsmed.render.core import CODE, TEXT, Column, Table, as_text


def too_long(kind: str) -> str:
    return "é" * (MAX_LENGTH[kind] + 1)


@pytest.fixture
def ready(kidsmed, db_path):
    add_people(kidsmed)
    return make_bookable(kidsmed, db_path)


BOOK = ("schedule", "book", "KM-2026-0001", "--at", "3/12/2026 10:00", "--mediator", "Jo Mediator",
        "--venue", "Oak Room")

# (command and its other arguments, the option given too much text, the kind of text it holds)
TYPED = [
    (("intake",), "--family", "name"),
    (("intake",), "--child", "name"),
    (("intake",), "--referrer-name", "name"),
    (("intake",), "--referrer-org", "name"),
    (("intake",), "--la", "name"),
    (("intake",), "--setting", "name"),
    (("intake",), "--relationship", "relationship"),
    (("intake",), "--phone", "phone"),
    (("intake",), "--email", "email"),
    (("intake",), "--notes", "note"),
    (("edit", "KM-2026-0001"), "--family", "name"),
    (("edit", "KM-2026-0001"), "--email", "email"),
    (("consent", "KM-2026-0001", "--given", "--method", "phone"), "--by", "name"),
    (("agree", "KM-2026-0001", "--party", "la", "--yes"), "--contact", "name"),
    (("agree", "KM-2026-0001", "--party", "la", "--yes"), "--note", "note"),
    (("close", "KM-2026-0001", "--reason", "withdrawn"), "--note", "note"),
    (BOOK, "--la-officer", "name"),
    ((*BOOK, "--force"), "--reason", "reason"),
    (("mediators", "add", "New Mediator"), "--email", "email"),
    (("mediators", "add", "New Mediator"), "--phone", "phone"),
    (("venues", "add", "New Room"), "--address", "address"),
]


@pytest.mark.parametrize(("command", "option", "kind"), TYPED, ids=[f"{c[0]} {o}" for c, o, _ in TYPED])
def test_text_beyond_its_limit_is_refused(kidsmed, db_path, ready, command, option, kind):
    before = checksum(db_path)
    args = [*command, option, too_long(kind)]
    if command == ("intake",):
        args = ["intake", "--kind", "mediation", "--referrer-role", "parent", "--family", "F", "--child", "C",
                "--la", "L", "--new-la", "--issue", "other", *args[1:]]
    result = kidsmed(*args)
    most = MAX_LENGTH[kind]
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {option} is {most + 1:,} characters long; the most it may be is {most:,} — shorten it\n")
    assert checksum(db_path) == before


@pytest.mark.parametrize(("command", "what"), [
    (("note", "KM-2026-0001"), "the note"),
    (("mediators", "add"), "the name"),
    (("holidays", "add", "4/6/2029"), "the holiday name"),
])
def test_a_text_argument_beyond_its_limit_is_refused(kidsmed, db_path, ready, command, what):
    before = checksum(db_path)
    kind = "note" if command[0] == "note" else "name"
    result = kidsmed(*command, too_long(kind))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {what} is {MAX_LENGTH[kind] + 1:,} characters long")
    assert checksum(db_path) == before


def test_text_at_its_limit_is_kept_whole(kidsmed):
    name = "é" * MAX_LENGTH["name"]
    case = kidsmed.intake("--family", name, "--notes", "n" * MAX_LENGTH["note"])
    assert case["family"]["name"] == name
    assert kidsmed("cases").exit_code == 0


def test_folding_a_very_long_word_takes_time_in_proportion_to_it():
    """A stored value from before the limits still draws at once (it took 20 s at 60,000 letters)."""
    started = time.perf_counter()
    lines = as_text(Table(None, (Column("Ref", CODE), Column("Note", TEXT)), [["KM-2026-0001", "é" * 60_000]]),
                    width=80).splitlines()
    assert time.perf_counter() - started < 1
    assert len(lines) == 2 + 60_000 // 66 + 1 and {line[14:] for line in lines[2:-1]} == {"é" * 66}
    assert lines[2].startswith("KM-2026-0001  é")  # the reference stays whole


def test_every_limit_is_documented():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    docs = "\n".join(p.read_text() for p in [root / "README.md", *sorted((root / "docs").glob("*.md"))])
    for most in MAX_LENGTH.values():
        assert f"| {most:,} |" in docs, most
