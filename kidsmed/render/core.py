"""The core of what kidsmed shows: plain lines, tables of user values, JSON and CSV for scripts.

Rich draws every screen: tables that fit the terminal, boxes, styles, NO_COLOR and FORCE_COLOR.
Rich is imported only when a screen is drawn, so --version, --json and --format csv never pay for
it. User text is always shown literally: a name like "[red]x" is text, and control characters never
reach the terminal. Each area's screens live beside this module.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple

from kidsmed.domain.dates import format_date, format_datetime
from kidsmed.domain.text import json_escape, safe_text
from kidsmed.errors import BadInput

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def console(stderr: bool = False):
    """A Rich console for one command's output: made when needed, so it reads the terminal's
    width, NO_COLOR and FORCE_COLOR as they are now."""
    from rich.console import Console

    # Nothing kidsmed prints is markup or emoji codes: a family's name is shown as it was typed.
    return Console(stderr=stderr, highlight=False, soft_wrap=False, markup=False, emoji=False)


def choose_format(fmt: str | None, as_json: bool, allowed: Sequence[str]) -> str:
    """The output format from `--format` and the `--json` shorthand."""
    if as_json:
        return "json"
    fmt = (fmt or "table").lower()
    if fmt not in allowed:
        raise BadInput(f"'{safe_text(fmt)[:20]}' is not an output format here", f"use one of: {', '.join(allowed)}")
    return fmt


def json_text(data) -> str:
    return json_escape(json.dumps(data, indent=2, ensure_ascii=False, default=str)) + "\n"


def write_json(data) -> None:
    sys.stdout.write(json_text(data))


def html_text(value) -> str:
    """User text for an HTML page: made safe like every output, then escaped."""
    from html import escape

    return escape(safe_text(value))


def csv_cell(value) -> str:
    """One CSV cell that a spreadsheet shows as text and never runs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    value = safe_text(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_rows(rows: Iterable[Sequence]) -> str:
    """CSV of plain rows, the first being the header; every cell formula-safe."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue()


def csv_text(columns: Sequence[str], rows: Iterable[dict]) -> str:
    return csv_rows([columns, *([row.get(column) for column in columns] for row in rows)])


def write_csv(columns: Sequence[str], rows: Iterable[dict]) -> None:
    sys.stdout.write(csv_text(columns, rows))


def say(message: str) -> None:
    """A plain line for people; a value quoted in it can never reach the terminal as a control code."""
    sys.stdout.write(f"{safe_text(message)}\n")


def warn(message: str) -> None:
    # One line, however long, as an error is: the terminal folds it, and a log keeps it whole.
    console(stderr=True).print(line(f"Warning: {message}", "yellow"), soft_wrap=True)


# --- what people see, drawn by Rich ----------------------------------------------------------
# User values reach Rich only as Text, so "[red]x" is shown as typed and never read as markup.

# How a column gives way when a table is wider than the terminal:
CODE = "code"  # a reference, date, time, status or count: never wrapped, never cut
NAME = "name"  # a name or a place: wraps between words; a word longer than the column ends in '…'
TEXT = "text"  # prose: wraps between words; a word longer than the column folds onto the next line
# A name or prose column is narrowed below its longest word only as a last resort, and never below this.
NARROWEST = 8
COUNT = "count"  # a number ("3 of 4, 75%"): right-aligned and whole; its heading wraps to fit above it


# A date ("Wed 2 Dec 2026"), perhaps with a time or a span of times: never split across lines.
_DATE = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}"
                   r"( \d\d:\d\d(–\d\d:\d\d)?)?\b")
# Stands for a space inside a date while Rich wraps the text: one cell wide, and not a space to Rich.
_GLUE = "\ue000"


def _glued(text: str) -> str:
    return _DATE.sub(lambda date: date.group().replace(" ", _GLUE), text)


class Prose:
    """Text that Rich wraps between words, but never inside a date: 'due Fri / 6 Nov 2026' helps
    nobody. Each date is one word while the lines are worked out, and shown with its spaces."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text, self.style = _glued(safe_text(text)), style

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement
        from rich.text import Text

        return Measurement.get(console, options, Text(self.text))

    def __rich_console__(self, console, options):
        from rich.text import Text

        for words in Text(self.text, self.style).wrap(console, options.max_width, overflow="fold"):
            words.plain = words.plain.replace(_GLUE, " ")
            yield words


class Column(NamedTuple):
    """A table column. `drop` 0 is always shown; the others are dropped, highest first, when the
    table cannot fit the terminal with its codes whole (the same facts are in --json and --format csv)."""

    heading: str
    kind: str = NAME
    drop: int = 0
    style: str | None = None


class Table:
    """A titled table that fits the width it is drawn at, the way its columns say.

    Drawn light (a rule under the headings, two spaces between columns) so that an 80-column
    terminal has room for the names. `styles` gives each row a style (None for plain), e.g. bold
    red for what is overdue."""

    def __init__(self, title: str | None, columns: Sequence[Column], rows: Iterable[Sequence],
                 styles: Sequence[str | None] = ()) -> None:
        self.title, self.columns = title, columns
        self.rows = [[safe_text(value) for value in row] for row in rows]
        self.styles = styles or [None] * len(self.rows)

    def __rich_console__(self, console, options):
        from rich import box
        from rich.table import Table as RichTable
        from rich.text import Text

        if self.title:  # above the table, not in it: a long title wraps at the terminal, not the table
            yield Text(self.title, "bold")
        # A space of padding and a space of border between columns; none at the edges.
        table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 0, 0, 1))
        widths = self._widths(options.max_width)
        for i, width in widths.items():
            column = self.columns[i]
            table.add_column(Text(column.heading), justify="right" if column.kind == COUNT else "left",
                             style=column.style, width=width, no_wrap=column.kind == CODE,
                             overflow="fold" if column.kind == TEXT else "ellipsis")
        for row, style in zip(self.rows, self.styles, strict=True):
            table.add_row(*(Prose(row[i]) if self.columns[i].kind == TEXT else Text(row[i]) for i in widths),
                          style=style)
        yield table

    def _widths(self, room: int) -> dict[int, int]:
        """Each shown column's width. Columns that may drop go, the highest `drop` first, while the
        rows cannot fit on one line (prose aside, which always wraps). Then codes are as wide as
        their widest value, and the others give a cell at a time, the widest first, down to their
        longest word (or, if even that is too wide, NARROWEST)."""
        from rich.cells import cell_len

        most, least = [], []
        for i, column in enumerate(self.columns):
            values = [column.heading, *(row[i] for row in self.rows)]
            words = [cell_len(word) for value in values for word in _glued(value).split()] or [0]
            widest = max(cell_len(value) for value in values[1:]) if column.kind == COUNT else 0
            most.append(max(widest, *words) if column.kind == COUNT else max(cell_len(value) for value in values))
            least.append(most[-1] if column.kind in (CODE, COUNT) else max(words))
        shown = list(range(len(self.columns)))
        one_line = [least[i] if column.kind == TEXT else most[i] for i, column in enumerate(self.columns)]
        for i in sorted((i for i, c in enumerate(self.columns) if c.drop), key=lambda i: -self.columns[i].drop):
            if sum(one_line[j] + 2 for j in shown) - 2 <= room:
                break
            shown.remove(i)
        widths = {i: most[i] for i in shown}
        # Names and prose give way down to their longest word; only if that is still too wide do
        # their words give way too (cut with '…', or folded), so that the codes stay whole.
        _narrow(widths, least, room)
        _narrow(widths, [w if c.kind in (CODE, COUNT) else min(w, NARROWEST)
                         for w, c in zip(least, self.columns, strict=True)], room)
        return widths


def _narrow(widths: dict[int, int], floors: Sequence[int], room: int) -> None:
    """Take cells from the widest columns still above their floor until the table fits `room`."""
    while (excess := sum(widths.values()) + 2 * len(widths) - 2 - room) > 0:
        giving = [i for i in widths if widths[i] > floors[i]]
        if not giving:
            return  # narrower than the codes: Rich squeezes what is left
        widest = max(giving, key=widths.get)
        next_widest = max((widths[i] for i in giving if widths[i] < widths[widest]), default=0)
        widths[widest] -= max(1, min(excess, widths[widest] - max(floors[widest], next_widest)))


def table(title: str | None, columns: Sequence[Column], rows: Iterable[Sequence], empty: str,
          styles: Sequence[str | None] = ()):
    """A table of user values, or the one line that says there is nothing."""
    drawn = Table(title, columns, rows, styles)
    return drawn if drawn.rows else line(empty)


def line(text: str, style: str | None = None):
    """One line of text (folded at the edge of the terminal)."""
    from rich.text import Text

    return Text(safe_text(text), style or "")


def panel(title: str, text: str = "", pairs: Sequence[tuple[str, str]] = (), width: int | None = None):
    """A box with a title around text (its line breaks kept) or labelled values in two columns;
    as wide as the terminal, or `width` if that is narrower (a letter reads best at 92)."""
    from rich.panel import Panel
    from rich.table import Table as RichTable
    from rich.text import Text

    if pairs:
        body = RichTable.grid(padding=(0, 2))
        body.add_column(style="bold", no_wrap=True)
        body.add_column(overflow="fold")
        for label, value in pairs:
            body.add_row(Text(label), Prose(value))
    else:
        body = Prose(text)
    return Panel(body, title=Text(safe_text(title)), title_align="left", width=width)


def when(iso_instant: str | None) -> str:
    """A stored instant in Europe/London wall time: 'Thu 3 Dec 2026 10:00'."""
    return format_datetime(datetime.fromisoformat(iso_instant)) if iso_instant else ""


def show(*blocks) -> None:
    """Draw each block, one under the other, on standard output."""
    out = console()
    with out.capture() as drawn:
        for block in blocks:
            out.print(block)
    sys.stdout.write(_trimmed(drawn.get()))


def as_text(*blocks, width: int) -> str:
    """The blocks as plain lines at most `width` cells wide: a screen written to a file."""
    from rich.console import Console

    page = Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False,
                   highlight=False, markup=False, emoji=False)
    for block in blocks:
        page.print(block)
    return _trimmed(page.file.getvalue())


def _trimmed(text: str) -> str:
    """Rich pads every cell to its column: the spaces at the end of a line go, for a copy and paste."""
    return "".join(line.rstrip(" ") + "\n" for line in text.splitlines())


def date_words(iso: str | None, missing: str = "") -> str:
    """An ISO date as staff read it: Wed 30 Dec 2026."""
    return format_date(date.fromisoformat(iso)) if iso else missing


def listing(rows: list[dict], fmt: str, columns: Sequence[str], draw) -> None:
    """A list as JSON or CSV for scripts, or drawn by `draw(rows)` for people."""
    if fmt == "json":
        write_json(rows)
    elif fmt == "csv":
        write_csv(columns, rows)
    else:
        show(draw(rows))
