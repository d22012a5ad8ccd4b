"""The docs' examples are run, and what they show must be what kidsmed prints.

A fenced block is checked when the line before it is a marker:

    <!-- checked: empty -->   a new, empty case book
    <!-- checked: demo -->    a new demo book: `kidsmed demo --cases 200 --seed 1`
    <!-- checked -->          the book the page's last checked block left behind

Each may end with `now=2026-12-03T10:00`; else a new book starts at DEFAULT_NOW and `checked`
carries on at the 'now' of the block before.
In the block, a line `$ kidsmed …` (continued by a trailing backslash) is a command and the lines
after it, up to the next `$`, are exactly what it prints (stdout and stderr), except that
‹words in angle quotes› stand for whatever differs between runs (a random id). Blocks without a
marker are not run: mark the examples a reader will follow, and leave long screens unmarked so
that a change of layout elsewhere does not fail the docs.

When a change of output is meant, `KIDSMED_UPDATE_DOCS=1 python -m pytest tests/test_doc_examples.py`
writes what kidsmed now prints into the checked blocks (read the diff before committing it)."""

import difflib
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kidsmed.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
MARKER = re.compile(r"^<!-- checked(?:: (?P<book>empty|demo))?(?: now=(?P<now>\S+))? -->$")
DEFAULT_NOW = "2026-12-01T10:00"  # a Tuesday
DEMO = ("demo", "--cases", "200", "--seed", "1")
UPDATE = "KIDSMED_UPDATE_DOCS"


@dataclass
class Block:
    page: Path
    line: int  # of the marker, 1-based
    book: str | None
    now: str | None
    text: list[str]

    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def checked_blocks(page: Path) -> list[Block]:
    lines = page.read_text().splitlines()
    blocks = []
    for number, line in enumerate(lines):
        marker = MARKER.match(line)
        if not marker:
            assert not line.startswith("<!-- checked"), f"{page.name}:{number + 1}: unreadable marker {line!r}"
            continue
        assert lines[number + 1].startswith("```"), f"{page.name}:{number + 1}: a marker goes just above a ``` block"
        end = lines.index("```", number + 2)
        blocks.append(Block(page, number + 1, marker["book"], marker["now"], lines[number + 2:end]))
    return blocks


@dataclass
class Step:
    typed: list[str]  # the command as the doc shows it, continuation lines and all
    shown: list[str]  # what the doc says it prints
    gap: int = 0  # blank lines before the next command

    @property
    def command(self) -> str:
        return " ".join(line.removeprefix("$ ").removesuffix("\\").strip() for line in self.typed)


def steps(block: Block) -> list[Step]:
    """Each command of the block and the lines it should print."""
    found: list[Step] = []
    for line in block.text:
        if found and found[-1].typed[-1].endswith("\\") and not found[-1].shown:
            found[-1].typed.append(line)
        elif line.startswith("$ "):
            found.append(Step([line], []))
        else:
            assert found, f"{block.where()}: a checked block starts with '$ kidsmed'"
            found[-1].shown.append(line)
    for step in found:  # blank lines between commands only separate them
        while step.shown and not step.shown[-1].strip():
            step.shown.pop()
            step.gap += 1
    return found


def _argv(command: str, block: Block) -> list[str]:
    words = shlex.split(command, comments=True)
    assert words[0] == "kidsmed" and not {">", "|", "<", "&&"} & set(words), \
        f"{block.where()}: a checked block runs kidsmed commands only: {command}"
    return words[1:]


def _same(shown: list[str], printed: list[str]) -> bool:
    return len(shown) == len(printed) and all(
        re.fullmatch(".+?".join(re.escape(part) for part in re.split("‹[^›]*›", doc)), out)
        for doc, out in zip(shown, printed, strict=True))


@pytest.mark.parametrize("page", [page for page in PAGES if checked_blocks(page)], ids=lambda page: page.name)
def test_the_examples_show_what_kidsmed_prints(page, tmp_path):
    runner, book, now, wrong, rewrites = CliRunner(), None, DEFAULT_NOW, [], []
    for number, block in enumerate(checked_blocks(page)):
        now = block.now or (DEFAULT_NOW if block.book else now)  # a new book starts on the default day
        if block.book or book is None:
            book = tmp_path / f"book-{number}" / "kidsmed.db"
        env = {"KIDSMED_DB": str(book), "KIDSMED_NOW": now, "KIDSMED_USER": "docs", "COLUMNS": "80"}
        if block.book == "demo":
            assert runner.invoke(app, list(DEMO), env=env).exit_code == 0
        rewritten = []
        for step in steps(block):
            printed = runner.invoke(app, _argv(step.command, block), env=env).output.splitlines()
            if not _same(step.shown, printed):
                diff = "\n".join(difflib.unified_diff(step.shown, printed, "the docs", "kidsmed", lineterm=""))
                wrong.append(f"{block.where()}: `{step.command}` prints something else:\n{diff}")
                step.shown = printed
            rewritten += [*step.typed, *step.shown, *[""] * step.gap]
        rewrites.append((block.line + 1, block.line + 1 + len(block.text), rewritten))
    if wrong and os.environ.get(UPDATE):
        lines = page.read_text().splitlines()
        for start, end, rewritten in reversed(rewrites):  # from the end, so earlier line numbers hold
            lines[start:end] = rewritten
        page.write_text("\n".join(lines) + "\n")
    assert not wrong, "\n\n".join(wrong) + f"\n\nIf the changes are meant, {UPDATE}=1 writes them into the docs."
