"""Everything kidsmed shows: tables and boxes for people; JSON and CSV, through the standard library, for scripts.

Screens are drawn by kidsmed.screen, in Rich's look without Rich's start-up cost (Rich is left to
the demo's progress bar). User text is always shown literally: a name like "[red]x" is text, and
control characters never reach the terminal.
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
from kidsmed.domain.dates import format_date, format_datetime, format_time, session_span
from kidsmed.errors import BadInput, Refused

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def clean(value) -> str:
    """User text made safe for a terminal: control characters shown as '?'."""
    if value is None:
        return ""
    return _CONTROL.sub("?", str(value))


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
    sys.stdout.write(f"{clean(message)}\n")


def warn(message: str) -> None:
    paint = screen.Painter(sys.stderr)
    sys.stderr.write(paint(f"Warning: {clean(message)}", "yellow") + "\n")


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence], empty: str,
          styles: Sequence[str | None] = (), light: bool = False) -> screen.Table | screen.Line:
    """A table of user values, or the one line that says there is nothing.

    `styles` gives each row a style (None for plain), e.g. to highlight what is overdue.
    """
    rows = [[clean(value) for value in row] for row in rows]
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
            # The table fits a terminal; kind, referrer and issues are in --json and --format csv.
            ("Ref", "Received", "Status", "LA", "Family", "Child"),
            ([r["ref"], r["received_on"], r["status"], r["local_authority"], r["family"], r["child"]]
             for r in rows),
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
    referrer = view["referrer"]
    family = view["family"]
    summary = [(label, clean(value)) for label, value in (
        ("Status", view["status"]),
        ("Next", view["next_step"]),
        ("Kind", view["kind"]),
        ("Received", when(view["received_at"])),
        ("Referrer", " · ".join(clean(v) for v in (referrer["role"], referrer["name"],
                                                  referrer["organisation"]) if v)),
        ("Family", " · ".join(clean(v) for v in (family["name"], family["relationship"],
                                                family["phone"], family["email"]) if v)),
        ("Child", " · ".join(clean(v) for v in (view["child"]["name"],
                                               date_words(view["child"]["date_of_birth"])) if v)),
        ("LA", view["local_authority"]),
        ("Setting", view["setting"]),
        ("Issues", ", ".join(view["issues"])),
        ("LA decision", date_words(view["decision_date"]) or "not known"),
        ("Consent", _consent_line(view["consent"])),
        ("Must agree", ", ".join(view["required_parties"])),
        ("Closed", f"{date_words(view['closed']['on'])} ({view['closed']['reason']})" if view["closed"] else None),
    ) if value]
    parts = [screen.Panel(view["ref"], pairs=summary)]
    parts.append(table("Agreements", ("Party", "Answer", "On", "Contact"),
                       ([a["party"], a["answer"], date_words(a["on"]), a["contact"]] for a in view["agreements"]),
                       "Agreements: none recorded yet."))
    parts.append(table("Clocks", ("Rule", "State", "Due", "Where it stands"),
                       ([c["rule"], c["state"], date_words(c["due_on"]), c["description"]] for c in view["clocks"]),
                       "Clocks: none running."))
    parts.append(table("Sessions", ("#", "When", "Mediator", "Venue", "Status", "Outcome"),
                       ([s["number"], session_span(s),
                         s["mediator"], s["venue"], s["status"], s["outcome"]] for s in view["sessions"]),
                       "Sessions: none booked."))
    parts.append(table("Certificates", ("Number", "Type", "Due", "Issued", "Appeal deadline"),
                       ([c["number"], c["type"], date_words(c["due_on"]), date_words(c["issued_on"]),
                         date_words(c["appeal_deadline"])]
                        for c in view["certificates"]),
                       "Certificates: none issued."))
    numbers = {s["id"]: s["number"] for s in view["sessions"]}
    parts.append(table("Timeline", ("When", "Who", "What", "Details"),
                       ([when(e["at"]), e["user"], e["action"], _event_words(e, numbers)] for e in view["timeline"]),
                       "Timeline: empty."))
    return parts


def _consent_line(consent: dict) -> str:
    words = consent["status"]
    if consent["on"]:
        details = ", ".join(clean(v) for v in (consent["by"], consent["relationship"], consent["method"]) if v)
        words += f" on {date_words(consent['on'])}" + (f" ({details})" if details else "")
    return words


def _event_words(event: dict, session_numbers: dict[int, int]) -> str:
    """An event's details; a session is named by its number within the case, as people read it."""
    detail = event["detail"]
    if detail.get("session") in session_numbers:
        detail = {**detail, "session": session_numbers[detail["session"]]}
    parts = [f"{k}: {_detail_value(v)}" for k, v in detail.items() if v not in (None, [], {})]
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


def due_list(rows: list[dict], fmt: str, limit: int | None = None) -> None:
    """The running clocks, soonest first; at most `limit` of them (the title counts them all)."""
    overdue = sum(r["state"] == "breached" for r in rows)
    title = f"{len(rows):,} running clock{'s' if len(rows) != 1 else ''}, {overdue:,} overdue"
    if limit is not None and len(rows) > limit:
        title += f", soonest {limit:,} shown (--limit N or --all for more)"
        rows = rows[:limit]
    listing(rows, fmt, DUE_COLUMNS, lambda rows: table(
        title,
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


def letter_panel(letter: dict) -> screen.Panel:
    return screen.Panel(letter["number"], letter_text(letter).rstrip("\n"), width=92)


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
# --- reports: the day's cases, and the monthly and annual counts ------------

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CHART_WIDTH = 24  # the longest terminal bar, in characters
CHART_TITLE = "Referrals and mediations held, by month"
# The chart's series: metric → (heading, colour)
TREND_SERIES = {"referrals_received": ("Referrals", "#3b6ea8"), "mediations_held": ("Mediations held", "#c7782a")}


def day_report(report: dict, fmt: str) -> None:
    if fmt == "json":
        write_json(report)
    else:
        show(*day_panels(report))


def day_panels(report: dict) -> list:
    from kidsmed.domain.daily import WAITING_WORKING_DAYS

    day = format_date(date.fromisoformat(report["date"]))
    waiting = f"Waiting more than {WAITING_WORKING_DAYS} working days"
    # section → (title, columns, one row, the line when there is none)
    sections = {
        "sessions": ("Sessions", ("Time", "Case", "Mediator", "Venue", "LA", "Status"),
                     lambda s: [_times(s), s["ref"], s["mediator"], _venue(s), s["local_authority"],
                                s["outcome"] or s["status"]],
                     f"Sessions: none on {day}."),
        "clocks": ("Statutory clocks due or overdue", ("Case", "Rule", "Due", "Days over"),
                   lambda c: [c["ref"], c["rule"], date_words(c["due_on"]), _days_over(c["days_over"])],
                   "Statutory clocks: none due or overdue."),
        "referrals": ("Referrals received", ("Time", "Case", "Kind", "Referrer", "LA", "Status"),
                      lambda r: [_time(r["received_at"]), r["ref"], r["kind"], r["referrer_role"],
                                 r["local_authority"], r["status"]],
                      f"Referrals: none received on {day}."),
        "waiting": (f"{waiting} for consent or an agreement", ("Case", "Waiting on", "Since", "Working days", "LA"),
                    lambda w: [w["ref"], w["waiting_on"], date_words(w["since"]), w["working_days"],
                               w["local_authority"]],
                    f"{waiting}: none."),
        "sessions_without_outcome": ("Past sessions with no outcome recorded", ("Date", "Case", "Mediator", "LA"),
                                     lambda s: [session_span(s), s["ref"], s["mediator"], s["local_authority"]],
                                     "Past sessions with no outcome: none."),
    }
    totals = report["totals"]
    summary = (f"{_plural(totals['sessions'], 'session')} · {_plural(totals['clocks'], 'clock')} due or overdue · "
               f"{_plural(totals['referrals'], 'referral')} · {totals['waiting']} waiting · "
               f"{_plural(totals['sessions_without_outcome'], 'past session')} without an outcome")
    heading = f"{day} — the day's cases" + (f" · sessions of {clean(report['mediator'])}" if report["mediator"] else "")
    return [screen.Panel(heading, summary),
            *(block for key, (title, columns, row, empty) in sections.items()
              for block in _section(title, columns, [row(r) for r in report[key]], empty, totals[key]))]


def _section(title: str, columns: Sequence[str], rows: list, empty: str, total: int) -> list:
    """A section's table, and how many more rows there are than it shows."""
    shown = table(title, columns, rows, empty)
    return [shown] if total <= len(rows) else [shown, screen.Line(f"… and {total - len(rows)} more")]


def _time(instant: str) -> str:
    return format_time(datetime.fromisoformat(instant))


def _times(session: dict) -> str:
    return f"{_time(session['start'])}–{_time(session['end'])}"


def _venue(session: dict) -> str | None:
    return session["venue"] or (f"remote ({session['remote']})" if session["remote"] else None)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _days_over(days: int) -> str:
    return "due today" if days == 0 else f"{_plural(days, 'day')} over"


def counts_report(report: dict, fmt: str, output: str | None = None) -> None:
    """`report month` and `report year`: on screen, or written to `output`."""
    if fmt == "table" and output is None:
        show(*counts_panels(report))
        return
    content = {"json": json_text, "csv": counts_csv, "html": counts_html, "table": counts_plain_text}[fmt](report)
    if output is None:
        sys.stdout.write(content)
        return
    try:
        with open(output, "w", encoding="utf-8", newline="") as file:
            file.write(content)
    except OSError as exc:
        raise Refused(f"cannot write {clean(output)} ({exc.strerror})",
                      "choose a file in a folder you can write to") from None


def metric_label(name: str) -> str:
    """referrals_by_kind → Referrals by kind"""
    return name.replace("_", " ").capitalize()


def month_words(label: str) -> str:
    """2026-10 → Oct 2026"""
    year, number = label.split("-")
    return f"{_MONTH_ABBR[int(number) - 1]} {year}"


def _count_columns(report: dict) -> tuple[list[str], list[dict]]:
    """Column headings and the metrics under each: one per LA then the total, or just the count."""
    parts = report["by_local_authority"]
    if not parts:
        return ["Count"], [report["metrics"]]
    return [p["local_authority"] for p in parts] + ["Total"], [p["metrics"] for p in parts] + [report["metrics"]]


def _where(report: dict) -> str:
    if report["local_authority"]:
        return report["local_authority"]
    return "by local authority" if report["by_local_authority"] else "all local authorities"


def _period_words(report: dict) -> str:
    return f"{date_words(report['from'])} to {date_words(report['to'])} · {_where(report)}"


def _trend_top(report: dict) -> int:
    """The largest count the chart shows (at least 1): the full length of a bar."""
    return max([v for point in report["trend"] for key in TREND_SERIES
                if isinstance(v := point[key], int)] + [1])


def _notes(report: dict) -> list[str]:
    notes = []
    if not report["complete"]:
        notes.append(f"{report['title']} is not over yet: these are the counts so far.")
    if report["suppressed_under"]:
        n = report["suppressed_under"]
        notes.append(f"Counts from 1 to {n - 1} are shown as <{n}.")
    return notes


def _metric_rows(report: dict) -> list[tuple[str, str, list]]:
    """(name, label, values) for every metric and breakdown part; a breakdown's heading has no values."""
    _, columns = _count_columns(report)
    rows = []
    for name, value in report["metrics"].items():
        if isinstance(value, dict):
            rows.append((name, metric_label(name), []))
            rows += [(f"{name}.{key}", f"  {key}", [m[name][key] for m in columns]) for key in value]
        else:
            rows.append((name, metric_label(name), [m[name] for m in columns]))
    return rows


def counts_panels(report: dict) -> list:
    headings, _ = _count_columns(report)
    counts = screen.Table(None, ("Metric", *map(clean, headings)),
                          [[label, *(str(v) for v in values or [""] * len(headings))]
                           for _, label, values in _metric_rows(report)],
                          no_wrap=frozenset({0}), right=frozenset(range(1, len(headings) + 1)))
    return [screen.Line(f"{report['title']} · {clean(_period_words(report))}", "bold"), counts,
            *(screen.Line(note) for note in _notes(report)), trend_chart(report)]


def trend_chart(report: dict) -> screen.Table:
    """Referrals and mediations held over the 12 months, as bars of block characters."""
    top = _trend_top(report)

    def bar(value) -> str:
        if not isinstance(value, int):  # suppressed: a bar would give the number away
            return value
        return "█" * round(value / top * CHART_WIDTH) + f" {value}"

    return screen.Table(CHART_TITLE, ("Month", *(heading for heading, _ in TREND_SERIES.values())),
                        [[month_words(point["period"]), *(bar(point[key]) for key in TREND_SERIES)]
                         for point in report["trend"]],
                        no_wrap=frozenset(range(len(TREND_SERIES) + 1)),
                        column_styles=(None, *(colour for _, colour in TREND_SERIES.values())))


PLAIN_WIDTH = 100  # the table view written to a file: wide enough for a column per LA


def counts_plain_text(report: dict) -> str:
    """The table view as plain text, for --output."""
    return screen.as_text(*counts_panels(report), width=PLAIN_WIDTH)


def counts_csv(report: dict) -> str:
    """One metric per row (breakdowns as metric.key); a column per LA and the total with --by-la."""
    parts = report["by_local_authority"]
    headings = [p["local_authority"] for p in parts] + ["total"] if parts else ["value"]
    places = [p["local_authority"] for p in parts] + ["all"] if parts else [report["local_authority"] or "all"]
    width = len(headings)
    rows = [["metric", *headings],
            ["period", *[report["period"]] * width],
            ["from", *[report["from"]] * width],
            ["to", *[report["to"]] * width],
            ["local_authority", *places],
            ["suppressed_under", *[report["suppressed_under"]] * width]]
    rows += [[name, *values] for name, _, values in _metric_rows(report) if values]
    return csv_rows(rows)


_HTML_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #222; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
p.meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .9rem; }
th, td { border-bottom: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.part td:first-child { padding-left: 1.5rem; color: #444; }
td.def { color: #555; font-size: .8rem; }
svg { width: 100%; height: auto; }
.note { font-size: .85rem; color: #555; }
@page { size: A4; margin: 15mm; }
@media print { body { margin: 0; max-width: none; } tr { break-inside: avoid; } }
"""


def counts_html(report: dict) -> str:
    """One self-contained printable page: inline CSS and SVG, no scripts, nothing fetched."""
    from html import escape

    from kidsmed.domain.reports import METRIC

    headings, _ = _count_columns(report)
    head = "".join(f'<th class="n">{escape(h)}</th>' for h in headings)
    body = []
    for name, label, values in _metric_rows(report):
        definition = METRIC[name].definition if name in METRIC else ""
        cells = "".join(f'<td class="n">{escape(str(v))}</td>' for v in values or [""] * len(headings))
        css = ' class="part"' if "." in name else ""
        body.append(f"<tr{css}><td>{escape(label.strip())}</td>{cells}<td class=\"def\">{escape(definition)}</td></tr>")
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in _notes(report))
    title = f"SEND mediation service — counts for {report['title']}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{escape(title)}</title>
<style>{_HTML_STYLE}</style>
</head>
<body>
<h1>{escape(title)}</h1>
<p class="meta">{escape(_period_words(report))}</p>
{notes}
{_svg_chart(report)}
<table>
<thead><tr><th>Metric</th>{head}<th>Definition</th></tr></thead>
<tbody>
{chr(10).join(body)}
</tbody>
</table>
<p class="note">Counts only: this report holds no names, contact details, dates of birth or notes.
Made by kidsmed.</p>
</body>
</html>
"""


def _svg_chart(report: dict) -> str:
    """Bars of referrals and mediations held for each of the 12 months, drawn inline."""
    from html import escape

    width, height, left, top_margin, bottom = 720, 260, 10, 40, 36
    plot = height - top_margin - bottom
    group = (width - 2 * left) / len(report["trend"])
    bar_width = group * 0.35
    top = _trend_top(report)
    shapes = [f'<text x="{left}" y="16" font-size="13" font-weight="bold">{CHART_TITLE}</text>']
    for i, (name, colour) in enumerate(TREND_SERIES.values()):
        x = left + 330 + i * 150
        shapes.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{colour}"/>'
                      f'<text x="{x + 16}" y="16" font-size="12">{name}</text>')
    baseline = height - bottom
    for i, point in enumerate(report["trend"]):
        x0 = left + i * group + group * 0.12
        for j, (key, (_, colour)) in enumerate(TREND_SERIES.items()):
            value, x = point[key], x0 + j * bar_width
            bar = plot * value / top if isinstance(value, int) else 0  # a suppressed count gets no bar
            shapes.append(f'<rect x="{x:.1f}" y="{baseline - bar:.1f}" width="{bar_width:.1f}" height="{bar:.1f}" '
                          f'fill="{colour}"/><text x="{x + bar_width / 2:.1f}" y="{baseline - bar - 3:.1f}" '
                          f'font-size="10" text-anchor="middle">{escape(str(value))}</text>')
        shapes.append(f'<text x="{x0 + bar_width:.1f}" y="{baseline + 16}" font-size="10" text-anchor="middle">'
                      f'{escape(month_words(point["period"]))}</text>')
    shapes.append(f'<line x1="{left}" y1="{baseline}" x2="{width - left}" y2="{baseline}" stroke="#888"/>')
    return (f'<svg viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{CHART_TITLE}">{"".join(shapes)}</svg>')
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

    if not rows:
        return [screen.Line(f"No sessions from {format_date(first)} to {format_date(last)}.")]
    # On a narrow terminal names wrap, and a long word folds rather than being cut short.
    return [table(format_date(datetime.fromisoformat(day)),
                  ("Time", "Case", "Mediator", "Where", "LA", "LA officer", "Status"),
                  ([_times(s), s["ref"], s["mediator"], s["venue"] or s["remote"], s["local_authority"],
                    s["la_officer"], s["outcome"] or s["status"]] for s in sessions),
                  "", light=True)
            for day, sessions in groupby(rows, key=lambda s: s["date"])]


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
        event.add("dtstart", datetime.fromisoformat(s["start"]).astimezone(UTC))
        event.add("dtend", datetime.fromisoformat(s["end"]).astimezone(UTC))
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
