"""Tables, boxes and lines for people at a terminal, drawn without Rich.

Why not Rich here: the commands staff type all day (`report day`, `schedule list`, `show`, `due`,
`cases`) must answer within 6× a bare Python start (issue 8). Importing Rich and laying out one
50-row table with it costs about 40 ms — 2.5× that start on its own — before a single query runs
(tests/perf/bench.py). These few shapes are drawn here in Rich's own default look (a heavy header
rule, rounded box corners), and every screen uses them, so there is one way to draw a table. Rich
is left to the demo's progress bar, where it earns its cost.

Values arrive as plain text, already cleaned of control characters by the caller; nothing in a
value is ever read as markup. Styles (bold, red…) are written only to a terminal.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from typing import NamedTuple

# A wrappable column is never narrowed below this many cells (or its own width, if less).
NARROWEST = 8

_SGR = {"bold": "1", "dim": "2", "italic": "3", "underline": "4"}
_COLOURS = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}


class Line(NamedTuple):
    """One line of text, folded at the terminal's edge by the terminal itself."""

    text: str
    style: str | None = None


class Table(NamedTuple):
    """A titled table. `no_wrap` columns (references, times) are never wrapped or cut; the others
    wrap at word boundaries when the table is wider than the terminal. `styles` style whole rows,
    `column_styles` whole columns (a row's style wins); `right` columns (counts) are right-aligned.
    `light` draws only a rule under the headings, so that a day of sessions fits a narrow laptop."""

    title: str | None
    columns: Sequence[str]
    rows: Sequence[Sequence[str]]
    no_wrap: frozenset[int] = frozenset()
    styles: Sequence[str | None] = ()
    light: bool = False
    right: frozenset[int] = frozenset()
    column_styles: Sequence[str | None] = ()


class Panel(NamedTuple):
    """A box with a title: text (its line breaks kept), or labelled values in two columns.
    As wide as the terminal, or `width` if that is narrower (a letter reads best at 92)."""

    title: str
    text: str = ""
    pairs: Sequence[tuple[str, str]] = ()
    width: int | None = None


class Painter:
    """Adds terminal styles to text, or leaves the text alone when styles would be noise."""

    def __init__(self, stream) -> None:
        forced = bool(os.environ.get("FORCE_COLOR"))
        self.enabled = (forced or _isatty(stream)) and os.environ.get("TERM") != "dumb"
        self.colours = self.enabled and not os.environ.get("NO_COLOR")

    def __call__(self, text: str, style: str | None) -> str:
        if not (self.enabled and style and text):
            return text
        codes = [_SGR.get(word) or (self.colours and (_COLOURS.get(word) or _rgb(word))) for word in style.split()]
        codes = [c for c in codes if c]
        return f"\x1b[{';'.join(codes)}m{text}\x1b[0m" if codes else text


def unstyled(text: str, style: str | None) -> str:
    """The painter for a file: the words alone, whatever the style."""
    return text


def _rgb(word: str) -> str | None:
    """'#3b6ea8' as a 24-bit colour code, which current terminals show."""
    if len(word) != 7 or not word.startswith("#"):
        return None
    try:
        red, green, blue = (int(word[i:i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return None
    return f"38;2;{red};{green};{blue}"


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def write(*blocks: Line | Table | Panel, stream=None) -> None:
    """Draw each block, one under the other, to `stream` (standard output by default)."""
    stream = stream or sys.stdout
    stream.write(as_text(*blocks, width=shutil.get_terminal_size((80, 24)).columns, paint=Painter(stream)))


def as_text(*blocks: Line | Table | Panel, width: int, paint=unstyled) -> str:
    """The blocks, one under the other, as lines at most `width` cells wide (unstyled: for a file)."""
    return "".join(line + "\n" for block in blocks for line in lines(block, width, paint))


def lines(block: Line | Table | Panel, width: int, paint) -> list[str]:
    if isinstance(block, Table):
        return _table_lines(block, width, paint)
    if isinstance(block, Panel):
        return _panel_lines(block, width, paint)
    return [paint(block.text, block.style)]


# --- measuring and wrapping ---------------------------------------------------------------

def cell_width(text: str) -> int:
    """How many terminal cells `text` takes: wide (East Asian) letters take two, accents none."""
    if text.isascii():
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(ch) else 2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells, broken between words; a word longer than a
    line is folded, never cut short. Line breaks in the text are kept."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        if cell_width(paragraph) <= width:  # fits: kept as it is, leading spaces and all
            out.append(paragraph)
            continue
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if cell_width(candidate) <= width:
                line = candidate
                continue
            if line:
                out.append(line)
            *folded, line = _fold(word, width)
            out += folded
        out.append(line)
    return out


def _fold(word: str, width: int) -> list[str]:
    """`word` in pieces of at most `width` cells (each at least one character), measured letter
    by letter in one pass: a very long word costs its length, not its length squared."""
    pieces, start, used = [], 0, 0
    for end, ch in enumerate(word):
        cells = cell_width(ch)
        if used + cells > width and end > start:
            pieces.append(word[start:end])
            start, used = end, 0
        used += cells
    return [*pieces, word[start:]]


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * (width - cell_width(text))
    return space + text if right else text + space


# --- tables ---------------------------------------------------------------------------------

def _column_widths(table: Table, room: int) -> list[int]:
    """Each column as wide as its widest value; then, while the table is wider than `room` cells,
    the widest wrappable column gives a cell — first down to its longest word, so that words stay
    whole where they can, then down to NARROWEST."""
    values = [[line for value in (heading, *(row[i] for row in table.rows)) for line in value.split("\n")]
              for i, heading in enumerate(table.columns)]
    widths = [max(map(cell_width, lines)) for lines in values]
    longest_word = [max(cell_width(word) for line in lines for word in line.split(" ")) for lines in values]
    for floor in (lambda i: longest_word[i], lambda i: NARROWEST):
        floors = [w if i in table.no_wrap else min(w, floor(i)) for i, w in enumerate(widths)]
        while sum(widths) > room:
            giving = [i for i, w in enumerate(widths) if w > floors[i]]
            if not giving:
                break
            widths[max(giving, key=lambda i: widths[i])] -= 1
    return widths


def _table_lines(table: Table, width: int, paint) -> list[str]:
    count = len(table.columns)
    # Heavy tables pad each cell by one space and draw every border; light ones put two spaces between columns.
    frame = 3 * count + 1 if not table.light else 2 * (count - 1)
    widths = _column_widths(table, width - frame)
    styles = table.styles or [None] * len(table.rows)

    def lines_of(row: Sequence[str], style: str | None, left: str, between: str, right: str) -> list[str]:
        return [(left + between.join(_painted(table, cells, widths, style, paint)) + right).rstrip()
                for cells in _wrapped(row, widths)]

    out = [paint(table.title, "bold" if table.light else "italic")] if table.title else []
    if table.light:
        out += lines_of(table.columns, "bold", "", "  ", "")
        out.append("─" * (sum(widths) + frame))
        for row, style in zip(table.rows, styles, strict=True):
            out += lines_of(row, style, "", "  ", "")
        return out
    rules = ["━" * (w + 2) for w in widths]
    out.append("┏" + "┳".join(rules) + "┓")
    out += lines_of(table.columns, "bold", "┃ ", " ┃ ", " ┃")
    out.append("┡" + "╇".join(rules) + "┩")
    for row, style in zip(table.rows, styles, strict=True):
        out += lines_of(row, style, "│ ", " │ ", " │")
    out.append("└" + "┴".join("─" * (w + 2) for w in widths) + "┘")
    return out


def _painted(table: Table, cells: list[str], widths: list[int], row_style: str | None, paint) -> list[str]:
    """One screen line of a row's cells, each padded (or right-aligned) to its column and styled."""
    column_styles = table.column_styles or [None] * len(widths)
    return [paint(_pad(cell, width, i in table.right), row_style or column_styles[i])
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))]


def _wrapped(row: Sequence[str], widths: list[int]) -> list[list[str]]:
    """A row as its screen lines: each a list of one line of every cell (blank when a cell has ended)."""
    cells = [wrap(value, w) for value, w in zip(row, widths, strict=True)]
    height = max(len(c) for c in cells)
    return [[c[i] if i < len(c) else "" for c in cells] for i in range(height)]




# --- panels ---------------------------------------------------------------------------------

def _panel_lines(panel: Panel, width: int, paint) -> list[str]:
    inner = max(min(width, panel.width or width) - 4, NARROWEST)  # a border and a space on each side
    body = _pairs_lines(panel.pairs, inner, paint) if panel.pairs else [
        (line, cell_width(line)) for line in wrap(panel.text, inner)]
    title = f" {panel.title} "
    top = "╭─" + title + "─" * max(inner + 1 - cell_width(title), 0) + "╮"
    return [top, *("│ " + line + " " * (inner - shown) + " │" for line, shown in body),
            "╰" + "─" * (inner + 2) + "╯"]


def _pairs_lines(pairs: Sequence[tuple[str, str]], inner: int, paint) -> list[tuple[str, int]]:
    """Labels in bold down the left, their values wrapped beside them: (line, cells it takes)."""
    label_width = max(cell_width(label) for label, _ in pairs)
    room = max(inner - label_width - 2, NARROWEST)
    out = []
    for label, value in pairs:
        for i, line in enumerate(wrap(value, room)):
            left = paint(_pad(label, label_width), "bold") if i == 0 else " " * label_width
            out.append((f"{left}  {line}", label_width + 2 + cell_width(line)))
    return out
