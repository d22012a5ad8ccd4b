"""Hostile and mistaken input: whatever is typed, kidsmed answers with an exit code it documents and one
line on refusal, never a traceback, and a refused command leaves the database as it was.

COMMANDS is the table: a command joins it with a function from hostile values to its arguments.
"""

import pytest
from conftest import checksum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Values people paste by mistake, and values written to break things.
NASTY = [
    "", " ", "-", "--", "0", "-1", "1e9", "99999999999999999999", "NaN", "3.5",
    "31/02/2027", "29/2/2027", "0/0/0", "2026-13-01", "9999-12-31", "1/1/0001", "yesterday at 25:00", "32 Dec",
    "KM-2026-0001", "KM-2026-9999", "km-0-0", "KM-99999999999999999999-1", "KM--", "KM-2026-0001; DROP TABLE cases",
    "[red]x[/red]", "[link=file:///etc/passwd]click[/link]", "[/]", "[bold", "\x1b[2J\x1b]0;owned\x07",
    "\u202egnp.exe", "Robert'); DROP TABLE cases;--", "%s%n%x", "{0}", "${HOME}", "=cmd|'/c calc'!A1",
    "\udcff\udcfe", "x" * 100_000, "é" * 5_000, "\t\r\n", "\x7f\x9b", "mediation\n", " parent ",
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(alphabet=st.characters(exclude_characters="\x00"), max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x9f, exclude_characters="\x00"), max_size=10),
)
REF = st.one_of(st.just("KM-2026-0001"), TEXT)


def options(*names: str):
    """Any of these options, each with a hostile value, as a flat argument list."""
    return st.dictionaries(st.sampled_from(names), TEXT, max_size=len(names)).map(
        lambda chosen: [part for name, value in chosen.items() for part in (name, value)])


INTAKE = ("--kind", "--referrer-role", "--referrer-name", "--referrer-org", "--child", "--dob", "--family",
          "--relationship", "--phone", "--email", "--la", "--setting", "--other-party", "--issue",
          "--decision-date", "--received", "--notes", "--format")

COMMANDS = {
    "intake": options(*INTAKE).map(lambda o: ["intake", "--no-input", *o]),
    "intake (complete)": st.tuples(st.sampled_from(INTAKE), TEXT).map(lambda o: [
        "intake", "--kind", "mediation", "--referrer-role", "parent", "--family", "F", "--child", "C",
        "--la", "L", "--new-la", "--issue", "other", *o]),
    "edit": st.tuples(REF, options(*INTAKE)).map(lambda a: ["edit", a[0], *a[1]]),
    "note": st.tuples(REF, TEXT).map(lambda a: ["note", *a]),
    "consent": st.tuples(REF, st.sampled_from(["--given", "--refused", "--withdrawn"]),
                         options("--by", "--relationship", "--method", "--on", "--note")).map(
        lambda a: ["consent", a[0], a[1], *a[2]]),
    "agree": st.tuples(REF, st.sampled_from(["--yes", "--no"]),
                       options("--party", "--contact", "--on", "--note")).map(lambda a: ["agree", a[0], a[1], *a[2]]),
    "close": st.tuples(REF, options("--reason", "--note")).map(lambda a: ["close", a[0], *a[1]]),
    "cases": options("--status", "--kind", "--la", "--search", "--from", "--to", "--format").map(
        lambda o: ["cases", *o]),
    "show": st.tuples(REF, options("--format")).map(lambda a: ["show", a[0], *a[1]]),
    "demo": options("--cases", "--seed").map(lambda o: ["demo", *o]),
    "check": options("--format").map(lambda o: ["check", *o]),
    "retention": st.tuples(options("--closed-before", "--older-than", "--format"), st.booleans()).map(
        lambda a: ["retention", *a[0], *(["--apply"] if a[1] else [])]),
    "restore": TEXT.map(lambda name: ["restore", f"backups/{name}"]),
    "due": options("--within", "--format").map(lambda o: ["due", *o]),
    "holidays add": st.tuples(TEXT, TEXT).map(lambda a: ["holidays", "add", *a]),
    "certificate issue": st.tuples(REF, options("--on")).map(lambda a: ["certificate", "issue", a[0], *a[1]]),
    "settings set": st.tuples(TEXT, TEXT).map(lambda a: ["settings", "set", *a]),
    "due done": st.tuples(REF, TEXT, options("--on")).map(lambda a: ["due", "done", a[0], a[1], *a[2]]),
    "appeal": st.tuples(REF, options("--lodged-on", "--format")).map(lambda a: ["appeal", a[0], *a[1]]),
    # --output is left out: it writes wherever it is told to.
    "report day": st.tuples(TEXT, options("--mediator", "--limit", "--format")).map(
        lambda a: ["report", "day", a[0], *a[1]]),
    "report month": st.tuples(TEXT, options("--la", "--suppress-under", "--format")).map(
        lambda a: ["report", "month", a[0], *a[1]]),
    "report year": st.tuples(TEXT, options("--la", "--suppress-under", "--format")).map(
        lambda a: ["report", "year", a[0], *a[1]]),
    "schedule book": st.tuples(REF, options("--at", "--mediator", "--hours", "--until", "--venue", "--remote",
                                            "--la-officer", "--reason", "--format")).map(
        lambda a: ["schedule", "book", a[0], *a[1]]),
    "schedule list": options("--from", "--to", "--days", "--mediator", "--la", "--format").map(
        lambda o: ["schedule", "list", *o]),
    "schedule move": st.tuples(REF, options("--to", "--reason", "--session")).map(
        lambda a: ["schedule", "move", a[0], *a[1]]),
    "schedule cancel": st.tuples(REF, options("--reason", "--session")).map(
        lambda a: ["schedule", "cancel", a[0], *a[1]]),
    "schedule outcome": st.tuples(REF, options("--result", "--session", "--on", "--note", "--reason")).map(
        lambda a: ["schedule", "outcome", a[0], *a[1]]),
    "assign": st.tuples(REF, TEXT, options("--format")).map(lambda a: ["assign", a[0], a[1], *a[2]]),
    "chase": st.tuples(REF, options("--on", "--what", "--party", "--format")).map(
        lambda a: ["chase", a[0], *a[1]]),
    "mediators add": st.tuples(TEXT, options("--email", "--phone")).map(lambda a: ["mediators", "add", a[0], *a[1]]),
    "mediators retire": TEXT.map(lambda name: ["mediators", "retire", name]),
    "venues add": st.tuples(TEXT, options("--address")).map(lambda a: ["venues", "add", a[0], *a[1]]),
    "venues retire": TEXT.map(lambda name: ["venues", "retire", name]),
    "las list": st.tuples(TEXT, options("--format")).map(lambda a: ["las", "list", a[0], *a[1]]),
    "las add": st.tuples(TEXT, options("--code", "--gss-code", "--region")).map(lambda a: ["las", "add", a[0], *a[1]]),
    "las rename": st.tuples(TEXT, TEXT).map(lambda a: ["las", "rename", *a]),
    "las merge": st.tuples(TEXT, TEXT).map(lambda a: ["las", "merge", *a]),
    "las retire": TEXT.map(lambda name: ["las", "retire", name]),
}


@pytest.fixture
def book(kidsmed, db_path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # whatever a hostile file name says, it is under here
    kidsmed.intake()
    kidsmed.intake("--referrer-role", "school")
    return db_path


@pytest.mark.parametrize("command", COMMANDS)
def test_hostile_input_is_refused_cleanly(kidsmed, book, command):
    @settings(max_examples=15, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.large_base_example])
    @given(COMMANDS[command])
    def typed(args):
        before = checksum(book)
        result = kidsmed(*args)
        assert result.exit_code in (0, 1, 2, 3), (args, result.output)
        assert "Traceback" not in result.output
        if result.exit_code:
            assert result.stderr.startswith("Error: "), (args, result.stderr)
            assert len(result.stderr.splitlines()) == 1, (args, result.stderr)
            assert "unexpectedly" not in result.stderr, (args, result.stderr)
            assert checksum(book) == before, args

    typed()


# Commands the table leaves out, and why.
LEFT_OUT = {"backup": "writes wherever it is told to: its refusals are tested in test_backup.py"}


def test_every_command_is_in_the_table():
    """A new command joins COMMANDS (or LEFT_OUT, with the reason)."""
    from kidsmed.cli.app import COMMANDS as ALL_COMMANDS

    covered = {name.split(" ")[0] for name in COMMANDS} | set(LEFT_OUT)
    assert set(ALL_COMMANDS) - covered == set()


def test_stored_markup_and_control_sequences_are_shown_literally(kidsmed, monkeypatch):
    kidsmed.intake("--family", "[bold red]Boom[/] \x1b]0;owned\x07\x1b[2J", "--notes", "[link=x]y[/link]")
    monkeypatch.setenv("FORCE_COLOR", "1")
    shown = kidsmed("show", "KM-2026-0001").stdout
    listed = kidsmed("cases").stdout
    for out in (shown, listed):
        assert "\x1b]0;owned" not in out and "\x1b[2J" not in out and "\x07" not in out
    assert "[bold red]Boom[/] ?]0;owned??[2J" in shown and "[link=x]y[/link]" in shown


def test_bytes_that_are_not_text_are_refused_before_the_database(db_path, kidsmed):
    """A terminal in another character set: Python receives the bytes as lone surrogates."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    kidsmed.intake()
    before = checksum(db_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    result = subprocess.run([sys.executable.encode(), b"-m", b"kidsmed", b"note", b"KM-2026-0001", b"caf\xe9 \xff"],
                            env=env, capture_output=True)
    assert result.returncode == 2
    assert result.stderr == ("Error: what was typed holds bytes that are not text in your terminal's character "
                             "set — type it again, with the terminal set to UTF-8\n").encode()
    assert checksum(db_path) == before


def test_demo_refuses_an_absurd_number_of_cases(kidsmed, db_path):
    result = kidsmed("demo", "--cases", str(10**12))
    assert (result.exit_code, result.stderr) == (
        2, "Error: --cases must be from 1 to 2,000,000 — e.g. kidsmed demo --cases 200\n")
    assert checksum(db_path) in ("no database", checksum(db_path))
