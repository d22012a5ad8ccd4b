"""Deadlines, bank holidays, settings and the certificate letter."""

from __future__ import annotations

from kidsmed.domain.vocab import label
from kidsmed.render.core import CODE, TEXT, Column, date_words, html_text, listing, panel, safe_text, table

DUE_COLUMNS = ("ref", "rule", "due_on", "state", "days_over", "local_authority", "dfe_la_code",
               "started_on",
               "start_event", "description", "owner")


def due_list(rows: list[dict], fmt: str, limit: int | None = None) -> None:
    """The running clocks, soonest first; at most `limit` of them (the title counts them all)."""
    overdue = sum(r["state"] == "breached" for r in rows)
    title = f"{len(rows):,} running clock{'s' if len(rows) != 1 else ''}, {overdue:,} overdue"
    if limit is not None and len(rows) > limit:
        title += f", soonest {limit:,} shown (--limit N or --all for more)"
        rows = rows[:limit]
    listing(rows, fmt, DUE_COLUMNS, lambda rows: table(
        title,
        # At 80 columns the description goes first: the state and the rule say the same in short.
        (Column("Ref", CODE), Column("Due", CODE), Column("State", CODE), Column("Rule", CODE),
         Column("LA", drop=1), Column("Where it stands", TEXT, drop=2)),
        ([r["ref"], r["due"], _state(r), r["rule"], r["local_authority"], r["description"]] for r in rows),
        "No running clocks match.",
        ["bold red" if r["state"] == "breached" else None for r in rows],
    ))


def _state(clock: dict) -> str:
    days = clock["days_over"]
    return f"{days} day{'s' if days != 1 else ''} over" if days else label(clock["state"])


HOLIDAY_COLUMNS = ("date", "name", "kind", "source", "note")


def holiday_list(rows: list[dict], fmt: str, year: int) -> None:
    listing(rows, fmt, HOLIDAY_COLUMNS, lambda rows: table(
        f"Bank holidays and closure days in {year}",
        (Column("Date", CODE), Column("Name"), Column("Kind", CODE), Column("Source", CODE, drop=1),
         Column("Note", TEXT)),
        ([date_words(r["date"]), r["name"], label(r["kind"]), label(r["source"]), r["note"]] for r in rows),
        f"No bank holidays or closure days in {year}.",
    ))


SETTINGS_COLUMNS = ("key", "value", "default", "meaning")


def settings_list(rows: list[dict], fmt: str) -> None:
    listing(rows, fmt, SETTINGS_COLUMNS, lambda rows: table(
        "Settings", (Column("Key", CODE), Column("Value", TEXT), Column("Meaning", TEXT)),
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
    held = letter["mediation_held"]
    mediation = [("Mediation held", f"{date_words(held['on'])}, {held['where']}")] if held else []
    return [
        ("header", [service["name"], *address, *([contact] if contact else [])]),
        ("title", letter["title"]),
        ("facts", [("Certificate number", letter["number"]), ("Date of issue", date_words(letter["issued_on"])),
                   *reissue]),
        ("facts", [("To", letter["family"]), ("Child or young person", letter["child"]),
                   ("Local authority", letter["local_authority"]),
                   ("Date the local authority sent written notice of its decision",
                    date_words(letter["decision_date"], "not known")), *mediation]),
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
            parts.append("\n".join(f"{label}: {safe_text(value)}" for label, value in content))
        elif kind == "header":
            parts.append("\n".join(safe_text(line) for line in content))
        else:
            parts.append(safe_text(content))
    return "\n\n".join(parts) + "\n"


def letter_panel(letter: dict):
    return panel(letter["number"], letter_text(letter).rstrip("\n"), width=92)


_LETTER_CSS = (
    "body{font-family:Arial,Helvetica,sans-serif;max-width:42em;margin:2em auto;line-height:1.45;color:#111}"
    "header p{margin:0}h1{font-size:1.3em;margin:1.5em 0 .5em}"
    "dl{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dt{font-weight:bold}dd{margin:0}"
    ".deadline{border:2px solid #111;padding:.6em 1em}@media print{body{margin:0}}"
)


def letter_html(letter: dict) -> str:
    """The letter as one self-contained HTML page: inline CSS, no scripts, every value escaped."""
    def facts(pairs, css=""):
        rows = "".join(f"<dt>{html_text(label)}</dt><dd>{html_text(value)}</dd>" for label, value in pairs)
        return f"<dl{css}>{rows}</dl>"

    draw = {
        "header": lambda lines: "<header>" + "".join(f"<p>{html_text(line)}</p>" for line in lines)
        + "</header>",
        "title": lambda line: f"<h1>{html_text(line)}</h1>",
        "facts": facts,
        "deadline": lambda pairs: facts(pairs, ' class="deadline"'),
        "prose": lambda line: f"<p>{html_text(line)}</p>",
    }
    body = "\n".join(draw[kind](content) for kind, content in letter_blocks(letter))
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            f"<title>{html_text(letter['number'])}</title><style>{_LETTER_CSS}</style></head>\n"
            f"<body>\n{body}\n</body></html>\n")
