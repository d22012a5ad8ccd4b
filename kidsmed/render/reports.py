"""Reports: the day's cases, and the monthly and annual counts."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import date

from kidsmed.domain.dates import format_date, session_span
from kidsmed.domain.vocab import label
from kidsmed.domain.workflow import PARTY_SHORT
from kidsmed.render.core import (
    CODE,
    COUNT,
    TEXT,
    Column,
    Table,
    as_text,
    csv_rows,
    date_words,
    html_text,
    json_text,
    line,
    panel,
    safe_text,
    show,
    table,
    write_json,
)
from kidsmed.render.las import la_words
from kidsmed.render.output import output_folder, write_output
from kidsmed.render.sessions import session_case, session_time, session_times, session_where

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
    from kidsmed.domain.daily import FORGOTTEN_WORKING_DAYS, WAITING_WORKING_DAYS

    day = format_date(date.fromisoformat(report["date"]))
    waiting = f"Waiting more than {WAITING_WORKING_DAYS} working days"
    forgotten = f"Waiting, no chase set and no contact for {FORGOTTEN_WORKING_DAYS} working days or more"
    # One person's day needs no owner column: every row is theirs. On a narrow terminal the owner
    # goes before anything else.
    owned = (lambda columns, row: (columns, row)) if report["owner"] else (
        lambda columns, row: ((*columns, Column("Owner", drop=1)), lambda r: [*row(r), r["owner"]]))
    case, mediator, la, status = Column("Case", CODE), Column("Mediator"), Column("LA"), Column("Status", CODE)
    # section → (title, (columns, one row), the line when there is none). The columns fit 80
    # terminal columns on one line a row for everyday names; longer names wrap between words.
    sections = {
        # A session's person is its mediator; the case's owner is in --json (80 columns are full).
        "sessions": ("Sessions", ((Column("Time", CODE), case, mediator, Column("Where"), la, status),
                                  lambda s: [session_times(s), session_case(s), s["mediator"], session_where(s),
                                             s["local_authority"], label(s["outcome"] or s["status"])]),
                     f"Sessions: none on {day}."),
        "clocks": ("Statutory clocks due or overdue",
                   owned((case, Column("Rule", CODE), Column("Due", CODE), Column("Days over", CODE)),
                         lambda c: [c["ref"], c["rule"], date_words(c["due_on"]), _days_over(c["days_over"])]),
                   "Statutory clocks: none due or overdue."),
        "chases": ("Chases due", owned((case, Column("Due", CODE), Column("Whom"), Column("What", TEXT)),
                   lambda c: [c["ref"], _days_over(c["days_over"]), _party(c["chase"]["party"], c),
                              c["chase"]["what"]]),
                   "Chases: none due."),
        # Whoever took the call owns a new referral (in --json).
        "referrals": ("Referrals received",
                      ((Column("Time", CODE), case, Column("Kind"), Column("Referrer"), la, status),
                       lambda r: [session_time(r["received_at"]), r["ref"], label(r["kind"]),
                                  label(r["referrer_role"]), r["local_authority"], label(r["status"])]),
                      f"Referrals: none received on {day}."),
        "waiting": (f"{waiting} for consent or an agreement",
                    owned((case, Column("Waiting on"), Column("Since", CODE), Column("Working days", COUNT)),
                          lambda w: [w["ref"], _party(w["party"], w), date_words(w["since"]), w["working_days"]]),
                    f"{waiting}: none."),
        "sessions_without_outcome": ("Past sessions with no outcome recorded",
                                     ((Column("When", CODE), case, mediator, la),
                                      lambda s: [session_span(s), session_case(s), s["mediator"],
                                                 s["local_authority"]]),
                                     "Past sessions with no outcome: none."),
        "unowned": ("Open cases with no owner (kidsmed assign REF NAME)",
                    ((case, status, Column("Received", CODE), la),
                     lambda c: [c["ref"], label(c["status"]), date_words(c["received_on"]), c["local_authority"]]),
                    "Open cases with no owner: none."),
        "forgotten": (forgotten, owned((case, status, Column("Last contact", CODE), Column("Working days", COUNT)),
                      lambda c: [c["ref"], label(c["status"]), date_words(c["last_contact_on"]), c["working_days"]]),
                      "Waiting cases nobody is chasing: none."),
        "sessions_on_days_off": ("Sessions to move: booked on a day the office is shut",
                                 ((Column("When", CODE), case, mediator, Column("Day off")),
                                  lambda s: [session_span(s), session_case(s), s["mediator"], s["day_off"]]),
                                 ""),
    }
    totals = report["totals"]
    # Sessions on a day the office is now shut are rare and urgent: shown only when there are some.
    to_move = totals["sessions_on_days_off"]
    if not to_move:
        del sections["sessions_on_days_off"]
    summary = " · ".join(words for words in (
        _plural(totals["sessions"], "session"),
        f"{_plural(totals['clocks'], 'clock')} due or overdue",
        f"{_plural(totals['chases'], 'chase')} due",
        _plural(totals["referrals"], "referral"),
        f"{totals['waiting']} waiting",
        f"{_plural(totals['sessions_without_outcome'], 'past session')} without an outcome",
        f"{totals['unowned']} with no owner" if "unowned" in totals else None,
        f"{totals['forgotten']} nobody is chasing",
        f"{_plural(to_move, 'session')} to move" if to_move else None,
    ) if words)
    heading = f"{day} — " + (f"the day of {safe_text(report['owner'])}" if report["owner"] else "the day's cases") + (
        f" · sessions of {safe_text(report['mediator'])}" if report["mediator"] else "")
    return [panel(heading, summary),
            *(block for key, (title, (columns, row), empty) in sections.items() if key in report
              for block in _section(title, columns, [row(r) for r in report[key]], empty, totals[key]))]


def _party(party: str | None, case: dict) -> str:
    """Whom a case waits on or is to chase: "LA (Northshire)", "family"."""
    if party == "la":
        return f"LA ({case['local_authority']})"
    return PARTY_SHORT.get(party, "")


def _section(title: str, columns: Sequence[Column], rows: list, empty: str, total: int) -> list:
    """A section's table, and how many more rows there are than it shows."""
    shown = table(title, columns, rows, empty)
    return [shown] if total <= len(rows) else [shown, line(f"… and {total - len(rows)} more")]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _days_over(days: int) -> str:
    return "due today" if days == 0 else f"{_plural(days, 'day')} over"


def counts_report(report: dict, fmt: str, output: str | None, book: str) -> None:
    """`report month` and `report year`: on screen, or written to `output` (never over `book`)."""
    if fmt == "table" and output is None:
        show(*counts_panels(report))
        return
    content = counts_text(report, fmt)
    if output is None:
        sys.stdout.write(content)
        return
    write_output(output, content, book=book, personal=False)  # a count never names anyone


def each_la_reports(reports: list[dict], fmt: str, folder: str, book: str) -> list[str]:
    """Write each LA's report to `folder` as '<DfE code>-<name>-<period>.<ext>', each whole or
    not at all; returns the file names, in the order written."""
    import os

    output_folder(folder)
    names = []
    for report in reports:
        name = f"{_file_stem(report)}.{fmt}"
        write_output(os.path.join(folder, name), counts_text(report, fmt), book=book, personal=False)
        names.append(name)
    return names


def _file_stem(report: dict) -> str:
    """'929-northshire-2026-11': the DfE code first, so the files sort as the DfE lists LAs."""
    import re

    words = re.sub(r"[^a-z0-9]+", "-", report["local_authority"].casefold()).strip("-") or "la"
    return "-".join(part for part in (report["dfe_la_code"], words, report["period"].replace("/", "-")) if part)


def counts_text(report: dict, fmt: str) -> str:
    """The report as a file holds it: json, csv, html, or the table view as plain text."""
    return {"json": json_text, "csv": counts_csv, "html": counts_html, "table": counts_plain_text}[fmt](report)


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
    return [la_words(p) for p in parts] + ["Total"], [p["metrics"] for p in parts] + [report["metrics"]]


def _where(report: dict) -> str:
    if report["local_authority"]:
        return la_words(report)
    return "by local authority" if report["by_local_authority"] else "all local authorities"


def _period_words(report: dict) -> str:
    return f"{date_words(report['from'])} to {date_words(report['to'])} · {_where(report)}"


def _trend_top(report: dict) -> int:
    """The largest count the chart shows (at least 1): the full length of a bar."""
    return max([v for point in report["trend"] for key in TREND_SERIES
                if isinstance(v := point[key], int)] + [1])


def heading(report: dict) -> str:
    """'Northshire SEND Mediation Service — counts for October 2026 — Northshire (929)'"""
    where = f" — {la_words(report)}" if report["local_authority"] else ""
    return safe_text(f"{report['service']} — counts for {report['title']}{where}")


def produced_words(report: dict) -> str:
    """'Produced on Wed 2 Dec 2026 at 10:14 by jo: figures as recorded at that moment.'"""
    from datetime import datetime

    at = datetime.fromisoformat(report["produced_at"])
    return (f"Produced on {format_date(at)} at {at:%H:%M} by {safe_text(report['produced_by'])}: "
            "figures as recorded at that moment.")


def _notes(report: dict) -> list[str]:
    notes = []
    if not report["complete"]:
        notes.append(f"{report['title']} is not over yet: these are the counts so far.")
    if report["suppressed_under"]:
        n = report["suppressed_under"]
        notes.append(f"Counts from 1 to {n - 1} are shown as <{n}.")
    if report["secondary_suppression"]:
        notes.append("Secondary suppression was applied: a count shown as c is hidden as well, so that no "
                     f"<{report['suppressed_under']} can be worked out by subtracting from a total.")
    return notes


def _with_rate(value, rate: dict | None) -> object:
    """A count with the rate a manager reads beside it: '40 of 48, 83%'."""
    if rate is None or rate["percent"] is None:
        return value
    return f"{value} of {rate['of']}, {rate['percent']}%"


def _metric_rows(report: dict, with_rates: bool = False) -> list[tuple[str, str, list]]:
    """(name, label, values) for every metric and breakdown part; a breakdown's heading has no values.
    `with_rates` puts each rate beside its count, as people read it."""
    _, columns = _count_columns(report)
    rates = [{}] * len(columns)
    if with_rates:
        rates = [p["rates"] for p in report["by_local_authority"]] + [report["rates"]]
    rows = []
    for name, value in report["metrics"].items():
        if isinstance(value, dict):
            rows.append((name, metric_label(name), []))
            rows += [(f"{name}.{key}", f"  {label(key)}", [m[name][key] for m in columns]) for key in value]
        else:
            rows.append((name, metric_label(name),
                         [_with_rate(m[name], r.get(name)) for m, r in zip(columns, rates, strict=True)]))
    return rows


def counts_panels(report: dict) -> list:
    headings, _ = _count_columns(report)
    # Counts are single words: a metric's name wraps first, so that each LA keeps its name whole.
    counts = Table(None, (Column("Metric"), *(Column(words, COUNT) for words in headings)),
                   [[name, *(str(v) for v in values or [""] * len(headings))]
                    for _, name, values in _metric_rows(report, with_rates=not report["by_local_authority"])])
    return [line(heading(report), "bold"), line(_period_words(report)), line(produced_words(report)), counts,
            *(line(note) for note in _notes(report)), trend_chart(report)]


def trend_chart(report: dict) -> Table:
    """Referrals and mediations held over the 12 months, as bars of block characters."""
    top = _trend_top(report)

    def bar(value) -> str:
        if value is None:  # a month still to come: no bar, not a zero
            return ""
        if not isinstance(value, int):  # suppressed: a bar would give the number away
            return value
        return "█" * round(value / top * CHART_WIDTH) + f" {value}"

    return Table(CHART_TITLE, (Column("Month", CODE),
                               *(Column(heading, CODE, style=colour) for heading, colour in TREND_SERIES.values())),
                 [[month_words(point["period"]), *(bar(point[key]) for key in TREND_SERIES)]
                  for point in report["trend"]])


PLAIN_WIDTH = 100  # the table view written to a file: wide enough for a column per LA


def counts_plain_text(report: dict) -> str:
    """The table view as plain text, for --output."""
    return as_text(*counts_panels(report), width=PLAIN_WIDTH)


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
            ["dfe_la_code", *([p["dfe_la_code"] for p in parts] + [None] if parts else [report["dfe_la_code"]])],
            ["service", *[report["service"]] * width],
            ["produced_at", *[report["produced_at"]] * width],
            ["produced_by", *[report["produced_by"]] * width],
            ["suppressed_under", *[report["suppressed_under"]] * width],
            ["secondary_suppression", *[report["secondary_suppression"]] * width]]
    rows += [[name, *values] for name, _, values in _metric_rows(report) if values]
    rates = [p["rates"] for p in parts] + [report["rates"]]
    rows += [[f"{name}_percent", *(r[name]["percent"] for r in rates)] for name in report["rates"]]
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
    from kidsmed.domain.reports import METRIC

    headings, _ = _count_columns(report)
    head = "".join(f'<th class="n">{html_text(h)}</th>' for h in headings)
    body = []
    for name, words, values in _metric_rows(report, with_rates=True):
        definition = METRIC[name].definition if name in METRIC else ""
        if name in report["rates"]:
            definition += f" The per cent is of {metric_label(report['rates'][name]['denominator']).lower()}."
        cells = "".join(f'<td class="n">{html_text(v)}</td>' for v in values or [""] * len(headings))
        css = ' class="part"' if "." in name else ""
        body.append(f"<tr{css}><td>{html_text(words.strip())}</td>{cells}"
                    f"<td class=\"def\">{html_text(definition)}</td></tr>")
    notes = "".join(f'<p class="note">{html_text(n)}</p>' for n in _notes(report))
    title = heading(report)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html_text(title)}</title>
<style>{_HTML_STYLE}</style>
</head>
<body>
<h1>{html_text(title)}</h1>
<p class="meta">{html_text(_period_words(report))}</p>
<p class="meta produced">{html_text(produced_words(report))}</p>
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
                          f'font-size="10" text-anchor="middle">{html_text("" if value is None else value)}</text>')
        shapes.append(f'<text x="{x0 + bar_width:.1f}" y="{baseline + 16}" font-size="10" text-anchor="middle">'
                      f'{html_text(month_words(point["period"]))}</text>')
    shapes.append(f'<line x1="{left}" y1="{baseline}" x2="{width - left}" y2="{baseline}" stroke="#888"/>')
    return (f'<svg viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{CHART_TITLE}">{"".join(shapes)}</svg>')
