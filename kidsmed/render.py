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


def write_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


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


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence], empty: str):
    """A Rich table of user values, or the one line that says there is nothing."""
    from rich.table import Table

    rows = list(rows)
    if not rows:
        return text(empty)
    grid = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*(text(v) for v in row))
    return grid


def show(*renderables) -> None:
    for renderable in renderables:
        console().print(renderable)


# --- cases ---------------------------------------------------------------

CASE_LIST_COLUMNS = ("ref", "received_on", "kind", "status", "referrer_role",
                     "local_authority", "family", "child", "issues")


def case_list(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        write_json(rows)
    elif fmt == "csv":
        write_csv(CASE_LIST_COLUMNS, rows)
    else:
        show(table(
            f"{len(rows)} case{'s' if len(rows) != 1 else ''}",
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
        ("Received", view["received_at"]),
        ("Referrer", " · ".join(clean(v) for v in (referrer["role"], referrer["name"],
                                                  referrer["organisation"]) if v)),
        ("Family", " · ".join(clean(v) for v in (family["name"], family["relationship"],
                                                family["phone"], family["email"]) if v)),
        ("Child", " · ".join(clean(v) for v in (view["child"]["name"],
                                               view["child"]["date_of_birth"]) if v)),
        ("LA", view["local_authority"]),
        ("Setting", view["setting"]),
        ("Issues", ", ".join(view["issues"])),
        ("LA decision", view["decision_date"] or "not known"),
        ("Consent", _consent_line(view["consent"])),
        ("Must agree", ", ".join(view["required_parties"])),
        ("Closed", f"{view['closed']['on']} ({view['closed']['reason']})" if view["closed"] else None),
    ):
        if value:
            summary.add_row(label, text(value))
    parts = [Panel(summary, title=text(view["ref"]), title_align="left")]
    parts.append(table("Agreements", ("Party", "Answer", "On", "Contact"),
                       ([a["party"], a["answer"], a["on"], a["contact"]] for a in view["agreements"]),
                       "Agreements: none recorded yet."))
    parts.append(table("Clocks", ("Rule", "State", "Due", "Where it stands"),
                       ([c["rule"], c["state"], c["due_on"], c["description"]] for c in view["clocks"]),
                       "Clocks: none running."))
    parts.append(table("Sessions", ("#", "Start", "End", "Mediator", "Venue", "Status", "Outcome"),
                       ([s["id"], s["start"], s["end"], s["mediator"], s["venue"], s["status"],
                         s["outcome"]] for s in view["sessions"]),
                       "Sessions: none booked."))
    parts.append(table("Certificates", ("Number", "Type", "Due", "Issued", "Appeal deadline"),
                       ([c["number"], c["type"], c["due_on"], c["issued_on"], c["appeal_deadline"]]
                        for c in view["certificates"]),
                       "Certificates: none issued."))
    parts.append(table("Timeline", ("When (UTC)", "Who", "What", "Details"),
                       ([e["at"], e["user"], e["action"], _event_words(e)] for e in view["timeline"]),
                       "Timeline: empty."))
    return parts


def _consent_line(consent: dict) -> str:
    words = consent["status"]
    if consent["on"]:
        details = ", ".join(clean(v) for v in (consent["by"], consent["relationship"], consent["method"]) if v)
        words += f" on {consent['on']}" + (f" ({details})" if details else "")
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


# --- sessions, and the mediators and venues they are booked with ----------------------------

def registry_list(register, rows: list[dict], fmt: str) -> None:
    columns = ("name", *register.details, "retired_on")
    if fmt == "json":
        write_json([{c: r[c] for c in columns} for r in rows])
    elif fmt == "csv":
        write_csv(columns, rows)
    else:
        show(table(f"{len(rows)} {register.table if len(rows) != 1 else register.noun}",
                   [c.replace("_", " ").capitalize() for c in columns],
                   ([r[c] for c in columns] for r in rows),
                   f"No {register.table} yet: add one with '{register.command} add NAME'."))


def registry_entry(register, entry: dict, fmt: str, lines: list[str]) -> None:
    """What a registry write prints: the lines for people, or the entry for scripts."""
    columns = ("name", *register.details, "retired_on")
    if fmt == "json":
        write_json({c: entry[c] for c in columns})
    elif fmt == "csv":
        write_csv(columns, [entry])
    else:
        for line in lines:
            say(line)


SESSION_COLUMNS = ("id", "ref", "date", "start", "end", "mediator", "venue", "remote",
                   "local_authority", "la_officer", "status", "outcome", "outcome_on")


def _moment(stored: str):
    from datetime import datetime

    return datetime.fromisoformat(stored)


def session_when(session: dict) -> str:
    """Thu 3 Dec 2026 10:00–13:00, London time."""
    from kidsmed.domain.dates import format_span

    return format_span(_moment(session["start"]), _moment(session["end"]))


def session_place(session: dict) -> str:
    """'at Oak Room', or 'by video' for a remote session."""
    return f"at {session['venue']}" if session["venue"] else f"by {session['remote']}"


def session_list(rows: list[dict], fmt: str, first, last, now) -> None:
    if fmt == "json":
        write_json(rows)
    elif fmt == "csv":
        write_csv(SESSION_COLUMNS, rows)
    elif fmt == "ics":
        sys.stdout.write(sessions_ics(rows, now))
    else:
        show(*session_days(rows, first, last))


def session_days(rows: list[dict], first, last) -> list:
    """One table per day that has sessions, under the day's name, with light borders so that
    a day fits a narrow terminal."""
    from itertools import groupby

    from rich import box
    from rich.table import Table

    from kidsmed.domain.dates import format_date, format_time

    if not rows:
        return [text(f"No sessions from {format_date(first)} to {format_date(last)}.")]
    days = []
    for day, sessions in groupby(rows, key=lambda s: s["date"]):
        grid = Table(title=format_date(_moment(day)), title_justify="left", title_style="bold",
                     header_style="bold", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0), show_edge=False)
        for column in ("Time", "Case", "Mediator", "Where", "LA", "LA officer", "Status"):
            # On a narrow terminal names wrap, and a long word folds rather than being cut short.
            grid.add_column(column, no_wrap=column in ("Time", "Case"), overflow="fold")
        for s in sessions:
            grid.add_row(*(text(v) for v in (
                f"{format_time(_moment(s['start']))}–{format_time(_moment(s['end']))}", s["ref"],
                s["mediator"], s["venue"] or s["remote"], s["local_authority"], s["la_officer"],
                s["outcome"] or s["status"])))
        days.append(grid)
    return days


def sessions_ics(rows: list[dict], now) -> str:
    """An iCalendar file: one event per session, its UID stable so a re-export updates the event.

    Times are in UTC, which every calendar converts; nothing about the family or child is in it.
    """
    from datetime import UTC

    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//kidsmed//sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Mediation sessions")
    for s in rows:
        event = Event()
        event.add("uid", f"session-{s['id']}@kidsmed")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", _moment(s["start"]).astimezone(UTC))
        event.add("dtend", _moment(s["end"]).astimezone(UTC))
        event.add("summary", f"{s['ref']} session {session_place(s)}")
        if s["venue"]:
            event.add("location", s["venue"])
        event.add("description", "\n".join(
            f"{label}: {s[key]}" for label, key in (
                ("Case", "ref"), ("Mediator", "mediator"), ("Local authority", "local_authority"),
                ("LA officer", "la_officer"), ("Status", "status"), ("Outcome", "outcome"))
            if s[key]))
        event.add("status", "CANCELLED" if s["status"] == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical().decode()
