"""The core of what kidsmed shows: plain lines, tables of user values, JSON and CSV for scripts.

Screens are drawn by kidsmed.screen, in Rich's look without Rich's start-up cost (Rich is left to
the demo's progress bar). User text is always shown literally: a name like "[red]x" is text, and
control characters never reach the terminal. Each area's screens live beside this module.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache

from kidsmed import screen
from kidsmed.domain.dates import format_date, format_datetime
from kidsmed.domain.text import json_escape, safe_text
from kidsmed.errors import BadInput, Refused

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@cache
def console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=False)


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


def write_atomically(path: str, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, then renamed over it, so a
    calendar program or a mail merge never reads half a file."""
    import os
    import tempfile

    target = os.path.realpath(path)  # through a link to the file it names, never over the link
    folder = os.path.dirname(target)
    try:
        if os.path.exists(target) and not os.path.isfile(target):
            # A device such as /dev/null is written in place: renaming over it would replace it.
            with open(target, "w", encoding="utf-8", newline="") as file:
                file.write(text)
            return
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".kidsmed-", suffix=".tmp")
        try:
            # The new file keeps the old one's mode (a calendar a web server publishes stays
            # readable); a first one gets the usual mode, as if opened for writing.
            os.chmod(temporary, os.stat(target).st_mode & 0o777 if os.path.exists(target) else _usual_mode())
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        raise Refused(f"cannot write {safe_text(path)} ({exc.strerror})",
                      "choose a file in a folder you can write to") from None


def _usual_mode() -> int:
    import os

    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def say(message: str) -> None:
    """A plain line for people; a value quoted in it can never reach the terminal as a control code."""
    sys.stdout.write(f"{safe_text(message)}\n")


def warn(message: str) -> None:
    paint = screen.Painter(sys.stderr)
    sys.stderr.write(paint(f"Warning: {safe_text(message)}", "yellow") + "\n")


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence], empty: str,
          styles: Sequence[str | None] = (), light: bool = False) -> screen.Table | screen.Line:
    """A table of user values, or the one line that says there is nothing.

    `styles` gives each row a style (None for plain), e.g. to highlight what is overdue.
    """
    rows = [[safe_text(value) for value in row] for row in rows]
    if not rows:
        return screen.Line(empty)
    # The first column and any column of codes (references, times, statuses, rule names) is never
    # wrapped: "KM-20 / 26-0001" and "awaiting- / consent" help nobody.
    codes = frozenset(i for i in range(len(columns)) if i == 0 or all(_code(row[i]) for row in rows))
    return screen.Table(title, columns, rows, codes, styles, light)


_VOCABULARY = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _code(value: str) -> bool:
    """A short word (a reference, a time) or one of kidsmed's kebab-case codes (a status, a rule)."""
    return (len(value) <= 14 and " " not in value) or _VOCABULARY.fullmatch(value) is not None


def when(iso_instant: str | None) -> str:
    """A stored instant in Europe/London wall time: 'Thu 3 Dec 2026 10:00'."""
    return format_datetime(datetime.fromisoformat(iso_instant)) if iso_instant else ""


def show(*blocks: screen.Line | screen.Table | screen.Panel) -> None:
    screen.write(*blocks)


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
