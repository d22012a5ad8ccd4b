"""Every screen of a demo book fits an 80- and a 120-column terminal, with references, dates,
times and statuses whole; user text reaches the terminal as text, never as Rich markup."""

import json
import re

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from kidsmed.cli.app import app
from kidsmed.domain.clocks import RULES
from kidsmed.domain.vocab import STATUSES, label

NOW = "2026-12-01T09:00"
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# What a split leaves behind: the start of a reference, a date or a time span without the rest of it.
SPLIT = [
    re.compile(r"KM-(?!\d{4}-\d{4})"),
    re.compile(rf"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b(?! \d{{1,2}} ({MONTHS}) \d{{4}})"),
    re.compile(r"\b\d\d:\d\d–(?!\d\d:\d\d)"),
]
# Statuses and rule names: a line may not end with the start of one.
CODES = [label(s) for s in STATUSES] + list(RULES)


def split_code(line: str) -> bool:
    words = line.split()
    for n in (1, 2):
        end = " ".join(words[-n:])
        if any(code != end and code.startswith(end) and (" " in code or "-" in end) for code in CODES):
            return True
    return False


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """A demo book, and a runner of kidsmed commands on it at a given terminal width."""
    env = {"KIDSMED_DB": str(tmp_path_factory.mktemp("book") / "k.db"), "KIDSMED_NOW": NOW}
    runner = CliRunner()

    def run(*args: str, width: int = 80):
        result = runner.invoke(app, list(args), env={**env, "COLUMNS": str(width)}, catch_exceptions=False)
        assert result.exit_code == 0, (args, result.stderr)
        return result.stdout

    run("demo", "--cases", "300", "--seed", "3")
    return run


def screens(run) -> list[list[str]]:
    """Every command that draws for people, on the cases the demo made of every kind."""
    cases = json.loads(run("cases", "--all", "--json"))
    shown = [next(c["ref"] for c in cases if c["status"] == status) for status in STATUSES]
    views = [json.loads(run("show", ref, "--json")) for ref in [c["ref"] for c in cases[:60]]]
    certified = next(v["ref"] for v in views if v["certificates"] and v["family"]["name"])
    return [
        ["report", "day"], ["report", "day", cases[0]["received_on"]], ["report", "day", "--mediator", "Lee Goodwin"],
        ["cases"], ["cases", "--status", "awaiting-agreement"], ["due"], ["due", "--overdue"],
        ["schedule", "list"], ["schedule", "list", "--days", "14"], ["holidays", "list"], ["settings", "list"],
        ["mediators", "list"], ["venues", "list"], ["report", "month"], ["report", "month", "--by-la"],
        ["report", "year", "2026"], ["report", "year", "2025", "--academic"], ["check"], ["retention"],
        ["certificate", "print", certified], *(["show", ref] for ref in [*shown, certified]),
    ]


@pytest.mark.parametrize("width", [80, 120])
def test_every_screen_fits_the_terminal_with_codes_whole(book, width):
    for argv in screens(book):
        out = book(*argv, width=width)
        wide = [line for line in out.splitlines() if cell_len(line) > width]
        assert not wide, (argv, wide)
        split = [line for line in out.splitlines() if split_code(line) or any(p.search(line) for p in SPLIT)]
        assert not split, (argv, split)


def test_report_day_at_80_columns_has_one_line_a_session(book):
    out = book("report", "day", width=80)
    sessions = out.split("\nSessions\n")[1].split("\nStatutory clocks")[0].splitlines()[2:]
    assert sessions and all(re.match(r"\d\d:\d\d–\d\d:\d\d  KM-\d{4}-\d{4} #\d+  \S", line) for line in sessions)


def test_markup_in_names_is_shown_as_typed(kidsmed):
    kidsmed("mediators", "add", "[red]Jo[/red] Mediator", "--email", "jo@example.org")
    kidsmed.intake("--family", "[bold]Smith[/] :smile:", "--child", "[link=https://example.org]Kit[/link]")
    for party in ("family", "la"):
        kidsmed("agree", "KM-2026-0001", "--party", party, "--yes")
    assert kidsmed("schedule", "book", "KM-2026-0001", "--at", "8/12/2026 10:00", "--mediator",
                   "[red]Jo[/red] Mediator", "--remote", "video").stderr == ""
    for argv, typed in [(["cases"], "[bold]Smith[/] :smile:"), (["show", "KM-2026-0001"], "[link=https://example.org]Kit"),
                        (["schedule", "list"], "[red]Jo[/red]"), (["report", "day", "8/12/2026"], "[red]Jo[/red]")]:
        assert typed in kidsmed(*argv, env={"COLUMNS": "200", "FORCE_COLOR": "1"}).stdout, argv
