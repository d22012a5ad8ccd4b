"""Sessions, and the mediators and venues they are booked with."""

from __future__ import annotations

import sys
from datetime import datetime

from kidsmed.domain.dates import format_date, format_time
from kidsmed.domain.vocab import label
from kidsmed.render.core import (
    CODE,
    TEXT,
    Column,
    date_words,
    line,
    safe_text,
    say,
    show,
    table,
    write_csv,
    write_json,
)
from kidsmed.render.output import write_output


def registry_list(register, rows: list[dict], fmt: str) -> None:
    columns = ("name", *register.details, "retired_on")
    if fmt == "json":
        write_json([{c: r[c] for c in columns} for r in rows])
    elif fmt == "csv":
        write_csv(columns, rows)
    else:
        show(table(f"{len(rows)} {register.table if len(rows) != 1 else register.noun}",
                   (Column("Name"), *(Column(c.replace("_", " ").capitalize(), TEXT) for c in register.details),
                    Column("Retired on", CODE)),
                   ([r["name"], *(r[c] for c in register.details), date_words(r["retired_on"])] for r in rows),
                   f"No {register.table} yet: add one with '{register.command} add NAME'."))


def registry_entry(register, entry: dict, fmt: str, lines: list[str]) -> None:
    """What a registry write prints: the lines for people, or the entry for scripts."""
    columns = ("name", *register.details, "retired_on")
    if fmt == "json":
        write_json({c: entry[c] for c in columns})
    elif fmt == "csv":
        write_csv(columns, [entry])
    else:
        for words in lines:
            say(words)


SESSION_COLUMNS = ("id", "number", "ref", "date", "start", "end", "mediator", "venue", "remote",
                   "local_authority", "dfe_la_code", "la_officer", "status", "outcome", "outcome_on")


def session_place(session: dict) -> str:
    """'at Oak Room', or 'by video' for a remote session."""
    return f"at {session['venue']}" if session["venue"] else f"by {session['remote']}"


def session_list(rows: list[dict], fmt: str, first, last) -> None:
    if fmt == "json":
        write_json(rows)
    elif fmt == "csv":
        write_csv(SESSION_COLUMNS, map(_wall_times, rows))
    else:
        show(*session_days(rows, first, last))


def _wall_times(session: dict) -> dict:
    """Start and end as Europe/London wall times (09:30), which a spreadsheet reads as times
    beside the date; the ISO instants stay in the JSON."""
    return {**session, "start": session_time(session["start"]), "end": session_time(session["end"])}


def session_days(rows: list[dict], first, last) -> list:
    """One table per day that has sessions, under the day's name, with light borders so that
    a day fits a narrow terminal."""
    from itertools import groupby

    if not rows:
        return [line(f"No sessions from {format_date(first)} to {format_date(last)}.")]
    # On a narrow terminal names wrap between words, and the LA officer goes first, then the LA.
    return [table(format_date(datetime.fromisoformat(day)),
                  (Column("Time", CODE), Column("Case", CODE), Column("Mediator"), Column("Where"),
                   Column("LA", drop=1), Column("LA officer", drop=2), Column("Status", CODE)),
                  ([session_times(s), session_case(s), s["mediator"], session_where(s), s["local_authority"],
                    s["la_officer"], label(s["outcome"] or s["status"])] for s in sessions),
                  "")
            for day, sessions in groupby(rows, key=lambda s: s["date"])]


def sessions_ics(export, now) -> str:
    """An iCalendar file: one event per session, cancelled and moved ones too.

    An event's UID names the book and the session, so a re-export updates the event and
    another book's never replaces it; its SEQUENCE rises with every change, so a calendar
    takes the new version. Times are in UTC, which every calendar converts; nothing about
    the family or child is in it.
    """
    from datetime import UTC

    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//kidsmed//sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", safe_text(export.name))
    for s in export.sessions:
        cancelled = s["status"] == "cancelled"
        event = Event()
        event.add("uid", f"session-{s['id']}.{export.book}@kidsmed")
        event.add("sequence", s["sequence"])
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", datetime.fromisoformat(s["start"]).astimezone(UTC))
        event.add("dtend", datetime.fromisoformat(s["end"]).astimezone(UTC))
        event.add("summary", safe_text(f"{'Cancelled: ' if cancelled else ''}{s['ref']} session {s['number']}"))
        event.add("location", safe_text(s["location"]))
        event.add("description", "\n".join(
            f"{label}: {safe_text(s[key])}" for label, key in (
                ("Case", "ref"), ("Mediator", "mediator"), ("Local authority", "local_authority"),
                ("LA officer", "la_officer"), ("Status", "status"), ("Outcome", "outcome"))
            if s[key]))
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical().decode()


def write_ics(export, now) -> None:
    sys.stdout.write(sessions_ics(export, now))


def write_ics_file(export, now, path: str, book: str) -> None:
    """The calendar written whole or not at all: a subscriber never reads half a file. It names
    no family or child, so it keeps the mode a web server publishing it needs."""
    write_output(path, sessions_ics(export, now), book=book, personal=False)


def session_time(instant: str) -> str:
    return format_time(datetime.fromisoformat(instant))


def session_case(session: dict) -> str:
    """'KM-2026-0862 #2': the case and the session's number within it, as people count them."""
    return f"{session['ref']} #{session['number']}"


def session_where(session: dict) -> str:
    """The venue, or how a remote session is held ('Video', 'Phone')."""
    return session["venue"] or label(session["remote"])


def session_times(session: dict) -> str:
    return f"{session_time(session['start'])}–{session_time(session['end'])}"
