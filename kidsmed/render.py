"""Everything kidsmed shows: Rich for people; JSON and CSV, through the standard library, for scripts.

Rich is imported only when something is drawn for a person, so scripted and
`--version` calls never pay for it. User text is always shown literally: a name
like "[red]x" is text, and control characters never reach the terminal.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Sequence
from functools import cache

from kidsmed.errors import BadInput

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(value) -> str:
    """User text made safe for a terminal: control characters shown as '?'."""
    if value is None:
        return ""
    return _CONTROL.sub("?", str(value))


def text(value):
    """User text as a Rich Text, so markup in it is shown literally."""
    from rich.text import Text

    return Text(clean(value))


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
        raise BadInput(f"'{clean(fmt)[:20]}' is not an output format here", f"use one of: {', '.join(allowed)}")
    return fmt


def json_text(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


def write_json(data) -> None:
    sys.stdout.write(json_text(data))


def csv_cell(value) -> str:
    """One CSV cell that a spreadsheet shows as text and never runs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        value = ";".join(str(v) for v in value)
    value = str(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_text(columns: Sequence[str], rows: Iterable[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return out.getvalue()


def write_csv(columns: Sequence[str], rows: Iterable[dict]) -> None:
    sys.stdout.write(csv_text(columns, rows))


def say(message: str) -> None:
    """A plain line for people (our own words, not user text: no markup in it)."""
    console().print(message, markup=False, soft_wrap=True)


def warn(message: str) -> None:
    console(stderr=True).print(f"Warning: {message}", markup=False, style="yellow", soft_wrap=True)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence], empty: str,
          styles: Sequence[str | None] = ()):
    """A Rich table of user values, or the one line that says there is nothing.

    `styles` gives each row a style (None for plain), e.g. to highlight what is overdue.
    """
    from rich.table import Table

    rows = list(rows)
    if not rows:
        return text(empty)
    grid = Table(title=title, title_justify="left", header_style="bold")
    for index, column in enumerate(columns):
        # The first column is the key (a reference, a date or a time): never wrap or cut it.
        grid.add_column(column, no_wrap=index == 0, min_width=None if index else len(column))
    for row, style in zip(rows, styles or [None] * len(rows), strict=True):
        grid.add_row(*(text(v) for v in row), style=style)
    return grid


def day(iso_date: str | None) -> str:
    """An ISO date as staff read it: 'Thu 3 Dec 2026'."""
    from datetime import date

    from kidsmed.domain.dates import format_date

    return format_date(date.fromisoformat(iso_date)) if iso_date else ""


def when(iso_instant: str | None) -> str:
    """A stored instant in Europe/London wall time: 'Thu 3 Dec 2026 10:00'."""
    from datetime import datetime

    from kidsmed.domain.dates import format_datetime

    return format_datetime(datetime.fromisoformat(iso_instant)) if iso_instant else ""


def show(*renderables) -> None:
    for renderable in renderables:
        console().print(renderable)


# --- cases ---------------------------------------------------------------

CASE_LIST_COLUMNS = ("ref", "received_on", "kind", "status", "referrer_role",
                     "local_authority", "family", "child", "issues")


def case_list(rows: list[dict], total: int, fmt: str) -> None:
    if fmt == "json":
        write_json(rows)
    elif fmt == "csv":
        write_csv(CASE_LIST_COLUMNS, rows)
    else:
        title = f"{total:,} case{'s' if total != 1 else ''}"
        if len(rows) < total:
            title += f", newest {len(rows):,} shown (--limit N or --all for more)"
        show(table(
            title,
            ("Ref", "Received", "Kind", "Status", "Referrer", "LA", "Family", "Child", "Issues"),
            ([r["ref"], r["received_on"], r["kind"], r["status"], r["referrer_role"],
              r["local_authority"], r["family"], r["child"], ", ".join(r["issues"])] for r in rows),
            "No cases match.",
        ))


CASE_CSV_COLUMNS = ("ref", "kind", "status", "next_step", "received_at", "local_authority",
                    "setting", "issues", "decision_date", "consent", "closed")


def case(view: dict, fmt: str) -> None:
    """One whole case: `show REF` and every write command's echo."""
    if fmt == "json":
        write_json(view)
    elif fmt == "csv":
        flat = {**view, "consent": view["consent"]["status"],
                "closed": view["closed"]["reason"] if view["closed"] else ""}
        write_csv(CASE_CSV_COLUMNS, [flat])
    else:
        show(*case_panels(view))


def case_panels(view: dict) -> list:
    from rich.panel import Panel
    from rich.table import Table

    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold")
    summary.add_column()
    referrer = view["referrer"]
    family = view["family"]
    for label, value in (
        ("Status", view["status"]),
        ("Next", view["next_step"]),
        ("Kind", view["kind"]),
        ("Received", when(view["received_at"])),
        ("Referrer", " · ".join(clean(v) for v in (referrer["role"], referrer["name"],
                                                  referrer["organisation"]) if v)),
        ("Family", " · ".join(clean(v) for v in (family["name"], family["relationship"],
                                                family["phone"], family["email"]) if v)),
        ("Child", " · ".join(clean(v) for v in (view["child"]["name"],
                                               day(view["child"]["date_of_birth"])) if v)),
        ("LA", view["local_authority"]),
        ("Setting", view["setting"]),
        ("Issues", ", ".join(view["issues"])),
        ("LA decision", day(view["decision_date"]) or "not known"),
        ("Consent", _consent_line(view["consent"])),
        ("Must agree", ", ".join(view["required_parties"])),
        ("Closed", f"{day(view['closed']['on'])} ({view['closed']['reason']})" if view["closed"] else None),
    ):
        if value:
            summary.add_row(label, text(value))
    parts = [Panel(summary, title=text(view["ref"]), title_align="left")]
    parts.append(table("Agreements", ("Party", "Answer", "On", "Contact"),
                       ([a["party"], a["answer"], day(a["on"]), a["contact"]] for a in view["agreements"]),
                       "Agreements: none recorded yet."))
    parts.append(table("Clocks", ("Rule", "State", "Due", "Where it stands"),
                       ([c["rule"], c["state"], day(c["due_on"]), c["description"]] for c in view["clocks"]),
                       "Clocks: none running."))
    parts.append(table("Sessions", ("#", "Start", "End", "Mediator", "Venue", "Status", "Outcome"),
                       ([s["id"], s["start"], s["end"], s["mediator"], s["venue"], s["status"],
                         s["outcome"]] for s in view["sessions"]),
                       "Sessions: none booked."))
    parts.append(table("Certificates", ("Number", "Type", "Due", "Issued", "Appeal deadline"),
                       ([c["number"], c["type"], day(c["due_on"]), day(c["issued_on"]), day(c["appeal_deadline"])]
                        for c in view["certificates"]),
                       "Certificates: none issued."))
    parts.append(table("Timeline", ("When", "Who", "What", "Details"),
                       ([when(e["at"]), e["user"], e["action"], _event_words(e)] for e in view["timeline"]),
                       "Timeline: empty."))
    return parts


def _consent_line(consent: dict) -> str:
    words = consent["status"]
    if consent["on"]:
        details = ", ".join(clean(v) for v in (consent["by"], consent["relationship"], consent["method"]) if v)
        words += f" on {day(consent['on'])}" + (f" ({details})" if details else "")
    return words


def _event_words(event: dict) -> str:
    parts = [f"{k}: {_detail_value(v)}" for k, v in event["detail"].items() if v not in (None, [], {})]
    parts += [f"{c['field']}: {clean(c['old']) or '—'} → {clean(c['new']) or '—'}" for c in event["changes"]]
    if event["note"]:
        parts.append(f"note: {clean(event['note'])}")
    return "; ".join(parts)


def _detail_value(value) -> str:
    if isinstance(value, dict) and set(value) >= {"old", "new"}:
        return f"{value['old']} → {value['new']}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_detail_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


# --- deadlines, bank holidays and certificates ---------------------------------

def date_words(iso: str | None, missing: str = "") -> str:
    """An ISO date as staff read it: Wed 30 Dec 2026."""
    from datetime import date

    from kidsmed.domain.dates import format_date

    return format_date(date.fromisoformat(iso)) if iso else missing


def listing(rows: list[dict], fmt: str, columns: Sequence[str], draw) -> None:
    """A list as JSON or CSV for scripts, or drawn by `draw(rows)` for people."""
    if fmt == "json":
        write_json(rows)
    elif fmt == "csv":
        write_csv(columns, rows)
    else:
        show(draw(rows))


DUE_COLUMNS = ("ref", "rule", "due_on", "state", "days_over", "local_authority", "started_on",
               "start_event", "description")


def due_list(rows: list[dict], fmt: str) -> None:
    overdue = sum(r["state"] == "breached" for r in rows)
    listing(rows, fmt, DUE_COLUMNS, lambda rows: table(
        f"{len(rows)} running clock{'s' if len(rows) != 1 else ''}, {overdue} overdue",
        ("Ref", "Due", "State", "Where it stands", "LA"),
        ([r["ref"], r["due"], f"{r['state']}, {r['days_over']} days over" if r["days_over"] else r["state"],
          r["description"], r["local_authority"]] for r in rows),
        "No running clocks match.",
        ["bold red" if r["state"] == "breached" else None for r in rows],
    ))


HOLIDAY_COLUMNS = ("date", "name", "kind", "source", "note")


def holiday_list(rows: list[dict], fmt: str, year: int) -> None:
    listing(rows, fmt, HOLIDAY_COLUMNS, lambda rows: table(
        f"Bank holidays and closure days in {year}",
        ("Date", "Name", "Kind", "Source", "Note"),
        ([date_words(r["date"]), r["name"], r["kind"], r["source"], r["note"]] for r in rows),
        f"No bank holidays or closure days in {year}.",
    ))


SETTINGS_COLUMNS = ("key", "value", "default", "meaning")


def settings_list(rows: list[dict], fmt: str) -> None:
    listing(rows, fmt, SETTINGS_COLUMNS, lambda rows: table(
        "Settings", ("Key", "Value", "Meaning"),
        ([r["key"], r["value"] or "(not set)", r["meaning"]] for r in rows), "No settings."))


def letter_blocks(letter: dict) -> list[tuple[str, object]]:
    """The certificate letter, top to bottom, as (kind, content) blocks that text and HTML both draw.

    Kinds: "header" (lines), "title" (a line), "facts" and "deadline" ((label, value) pairs), "prose".
    """
    service = letter["service"]
    address = [part.strip() for part in service["address"].split(",") if part.strip()]
    contact = " · ".join(f"{label}: {service[key]}" for label, key in (("Phone", "phone"), ("Email", "email"))
                         if service[key])
    reissue = [("Reissue of", letter["reissue_of"])] if letter["reissue_of"] else []
    return [
        ("header", [service["name"], *address, *([contact] if contact else [])]),
        ("title", letter["title"]),
        ("facts", [("Certificate number", letter["number"]), ("Date of issue", date_words(letter["issued_on"])),
                   *reissue]),
        ("facts", [("To", letter["family"]), ("Child or young person", letter["child"]),
                   ("Local authority", letter["local_authority"]),
                   ("Date of the local authority's decision", date_words(letter["decision_date"], "not known"))]),
        ("prose", f"This certificate confirms that {letter['confirms']}. It is issued under section 55 of the "
                  "Children and Families Act 2014. If you still disagree with the local authority's decision, "
                  "you may now appeal to the First-tier Tribunal (Special Educational Needs and Disability)."),
        ("deadline", [("Your appeal must reach the Tribunal by", date_words(letter["appeal_deadline"])),
                      ("How this date was worked out", letter["appeal_rule"])]),
        ("prose", "If you are unsure of the date, appeal early or ask the Tribunal."),
    ]


def letter_text(letter: dict) -> str:
    """The letter as plain text, for the terminal or a file."""
    parts = []
    for kind, content in letter_blocks(letter):
        if kind in ("facts", "deadline"):
            parts.append("\n".join(f"{label}: {clean(value)}" for label, value in content))
        elif kind == "header":
            parts.append("\n".join(clean(line) for line in content))
        else:
            parts.append(clean(content))
    return "\n\n".join(parts) + "\n"


def letter_panel(letter: dict):
    from rich.panel import Panel

    return Panel(text(letter_text(letter).rstrip("\n")), title=text(letter["number"]), title_align="left",
                 width=92)


_LETTER_CSS = (
    "body{font-family:Arial,Helvetica,sans-serif;max-width:42em;margin:2em auto;line-height:1.45;color:#111}"
    "header p{margin:0}h1{font-size:1.3em;margin:1.5em 0 .5em}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:bold}dd{margin:0}"
    ".deadline{border:2px solid #111;padding:.6em 1em}@media print{body{margin:0}}"
)


def letter_html(letter: dict) -> str:
    """The letter as one self-contained HTML page: inline CSS, no scripts, every value escaped."""
    from html import escape

    def facts(pairs, css=""):
        rows = "".join(f"<dt>{escape(label)}</dt><dd>{escape(clean(value))}</dd>" for label, value in pairs)
        return f"<dl{css}>{rows}</dl>"

    draw = {
        "header": lambda lines: "<header>" + "".join(f"<p>{escape(clean(line))}</p>" for line in lines)
        + "</header>",
        "title": lambda line: f"<h1>{escape(clean(line))}</h1>",
        "facts": facts,
        "deadline": lambda pairs: facts(pairs, ' class="deadline"'),
        "prose": lambda line: f"<p>{escape(clean(line))}</p>",
    }
    body = "\n".join(draw[kind](content) for kind, content in letter_blocks(letter))
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(clean(letter['number']))}</title><style>{_LETTER_CSS}</style></head>\n"
            f"<body>\n{body}\n</body></html>\n")


# --- check and retention ---------------------------------------------------

PROBLEM_COLUMNS = ("check", "ref", "problem")


def problems(found: list, checks: Sequence[str], fmt: str) -> None:
    """What `kidsmed check` found: a table, or "No problems found."; JSON says which checks ran."""
    rows = [{"check": p.check, "ref": p.ref, "problem": p.problem} for p in found]
    if fmt == "json":
        write_json({"ok": not rows, "checks": list(checks), "problems": rows})
    elif fmt == "csv":
        write_csv(PROBLEM_COLUMNS, rows)
    elif rows:
        show(table(f"{len(rows)} problem{'s' if len(rows) != 1 else ''} found", ("Check", "Case", "Problem"),
                   ([r["check"], r["ref"] or "—", r["problem"]] for r in rows), ""))
    else:
        say("No problems found.")


RETENTION_COLUMNS = ("ref", "kind", "closed_on", "closed_reason")


def retention(review, fmt: str, summary: str) -> None:
    """The closed cases past retention (anonymised or about to be), after a line that sums them up."""
    if fmt == "json":
        write_json({"cutoff": review.cutoff.isoformat(), "years": review.years,
                    "applied": review.applied, "cases": review.cases})
    elif fmt == "csv":
        write_csv(RETENTION_COLUMNS, review.cases)
    else:
        say(summary)
        if review.cases:
            show(table(None, ("Ref", "Kind", "Closed on", "Reason"),
                       ([c[k] for k in RETENTION_COLUMNS] for c in review.cases), ""))
