"""schedule book|list|move|cancel|outcome|feed: a case's sessions, the mediator's list and calendar."""

from __future__ import annotations

from typing import Annotated

import typer

from kidsmed.cli.cases import echo_result
from kidsmed.cli.common import FormatOption, JsonOption, Mine, OwnerOption, csv_with_codes, owner_wanted, session
from kidsmed.domain import scheduling
from kidsmed.domain.dates import parse_datetime, parse_time, session_span
from kidsmed.domain.ranges import span
from kidsmed.render import core
from kidsmed.render import sessions as draw

schedule = typer.Typer(
    help="Book sessions, move or cancel them, record how they went, and list what is coming.\n\n"
    "Example: kidsmed schedule list --mediator \"Jo Mediator\"",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(schedule, name="schedule")


def _option(help: str, *names: str):
    return typer.Option(*names, show_default=False, help=help)


Ref = Annotated[str, typer.Argument(help="The case reference, e.g. KM-2026-0042.", show_default=False)]
SessionId = Annotated[int | None, _option(
    f"The session's number within the case, {span('--session')} (see 'kidsmed show REF'); needed when more "
    "than one is booked.",
    "--session")]
Force = Annotated[bool, typer.Option("--force", help="Go ahead despite the warnings; needs --reason.")]
NoticeAgreed = Annotated[bool, typer.Option(
    "--short-notice-agreed", help="The family agreed to less than 5 working days' notice.")]
ListFormat = Annotated[str, typer.Option(
    "--format", "-f", help="Output: table, json, csv or ics (a calendar file).", show_default=False)]


def _done(result: scheduling.SessionResult, verb: str) -> str:
    s = result.session
    return (f"{verb} {session_span(s)} with {s['mediator']} {draw.session_place(s)} "
            f"(session {s['number']} of {s['ref']}).")


@schedule.command()
def book(
    ctx: typer.Context,
    ref: Ref,
    at: Annotated[str, _option("When it starts, e.g. '3/12/2026 10:00' or 'thursday 2pm'.", "--at")],
    mediator: Annotated[str, _option("The mediator (see 'kidsmed mediators list').", "--mediator")],
    hours: Annotated[float | None, _option(
        f"How long it lasts, {span('--hours')} hours (default 3).", "--hours")] = None,
    until: Annotated[str | None, _option("When it ends instead of --hours, e.g. 13:00.", "--until")] = None,
    venue: Annotated[str | None, _option("Where (see 'kidsmed venues list').", "--venue")] = None,
    remote: Annotated[str | None, _option("Held by video or phone instead of at a venue.", "--remote")] = None,
    la_officer: Annotated[str | None, _option("The LA officer attending.", "--la-officer")] = None,
    short_notice_agreed: NoticeAgreed = False,
    force: Force = False,
    reason: Annotated[str | None, _option("Why the warnings are overridden (with --force).", "--reason")] = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Book a session for a case every party has agreed to (09:00–17:00 on a working day).

    Example: kidsmed schedule book KM-2026-0042 --at "3/12/2026 10:00" --mediator "Jo Mediator" --venue "Oak Room"
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    booking = scheduling.Booking(
        at=parse_datetime(at, s.now), mediator=mediator, hours=hours,
        until=parse_time(until) if until is not None else None, venue=venue, remote=remote,
        la_officer=la_officer, short_notice_agreed=short_notice_agreed, force=force, reason=reason)
    result = scheduling.book(s.db(), s.now, s.user, ref, booking)
    echo_result(result, fmt, _done(result, "Booked"))


@schedule.command(name="list")
def list_sessions(
    ctx: typer.Context,
    first: Annotated[str | None, _option("The first day (default today).", "--from")] = None,
    last: Annotated[str | None, _option("The last day.", "--to")] = None,
    days: Annotated[int | None, _option(f"How many days from --from, {span('--days')} (default 14).", "--days")] = None,
    mediator: Annotated[str | None, _option("Only this mediator's sessions.", "--mediator")] = None,
    la: Annotated[str | None, _option("Only this local authority's cases.", "--la")] = None,
    mine: Mine = False,
    owner: OwnerOption = None,
    include_cancelled: Annotated[bool, typer.Option(
        "--all", help="Include cancelled sessions (a calendar file always does).")] = False,
    fmt: ListFormat = "table",
    as_json: JsonOption = False,
) -> None:
    """List sessions day by day: today and the next 13 days unless told otherwise.

    Example: kidsmed schedule list --mediator "Jo Mediator" --days 7 --format ics > jo.ics
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv", "ics"))
    start, end = scheduling.window(s.today, s.date(first), s.date(last), days)
    owner = owner_wanted(s, mine, owner)
    if fmt == "ics":
        draw.write_ics(scheduling.calendar(s.db(), start, end, mediator=mediator, la=la, owner=owner), s.now)
        return
    rows = scheduling.sessions_between(s.db(), start, end, mediator=mediator, la=la,
                                       owner=owner, include_cancelled=include_cancelled)
    draw.session_list(csv_with_codes(s, rows, fmt), fmt, start, end)


@schedule.command()
def feed(
    ctx: typer.Context,
    output: Annotated[str, _option("The calendar file to write (replaced whole each time).", "--output")],
    mediator: Annotated[str | None, _option("This mediator's sessions.", "--mediator")] = None,
    venue: Annotated[str | None, _option("This venue's sessions.", "--venue")] = None,
) -> None:
    """Write a mediator's or a venue's whole calendar (the last 30 days and every session to come)
    to an .ics file a calendar program subscribes to; run it from a scheduled job to keep it true.

    Example: kidsmed schedule feed --mediator "Jo Mediator" --output /srv/calendars/jo.ics
    """
    s = session(ctx)
    export = scheduling.feed(s.db(), s.today, mediator=mediator, venue=venue)
    draw.write_ics_file(export, s.now, output, s.db_path)
    core.say(f"Wrote {len(export.sessions)} session{'s' if len(export.sessions) != 1 else ''} "
             f"to {core.safe_text(output)} ({export.name}).")


@schedule.command()
def move(
    ctx: typer.Context,
    ref: Ref,
    to: Annotated[str, _option("The new start, e.g. '4/12/2026 14:00'; the length stays the same.", "--to")],
    reason: Annotated[str, _option("Why it moves (kept in the case timeline).", "--reason")],
    session_id: SessionId = None,
    short_notice_agreed: NoticeAgreed = False,
    force: Force = False,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Move a booked session; every booking check runs again and the old time stays in the timeline.

    Example: kidsmed schedule move KM-2026-0042 --to "4/12/2026 14:00" --reason "mediator unwell"
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    result = scheduling.move(s.db(), s.now, s.user, ref, parse_datetime(to, s.now), reason,
                             session_id=session_id, force=force, short_notice_agreed=short_notice_agreed)
    echo_result(result, fmt, f"Moved session {result.session['number']} of {result.session['ref']} from "
                f"{session_span(result.was)} to {session_span(result.session)}.")


@schedule.command()
def cancel(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str, _option("Why it is cancelled (kept in the case timeline).", "--reason")],
    session_id: SessionId = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Cancel a booked session; the case is ready to book again when none is left booked.

    Example: kidsmed schedule cancel KM-2026-0042 --reason "family unwell"
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    result = scheduling.cancel(s.db(), s.now, s.user, ref, reason, session_id=session_id)
    echo_result(result, fmt, _done(result, "Cancelled"))


@schedule.command()
def outcome(
    ctx: typer.Context,
    ref: Ref,
    result_code: Annotated[str, _option(
        f"How it went: {', '.join(scheduling.RESULTS)}.", "--result")],
    session_id: SessionId = None,
    on: Annotated[str | None, _option("When (default the session's date).", "--on")] = None,
    note: Annotated[str | None, _option("A note on how it went (kept in the case timeline).", "--note")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Record it before the session has started; needs --reason.")] = False,
    reason: Annotated[str | None, _option("Why it is recorded early (with --force).", "--reason")] = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Record how a session went; agreement, partial and no-agreement close the case.

    Example: kidsmed schedule outcome KM-2026-0042 --result agreement --note "LA to amend section F"
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    result = scheduling.record_outcome(s.db(), s.now, s.user, ref, result_code, session_id=session_id,
                                       on=s.date(on), note=note, force=force, reason=reason)
    echo_result(result, fmt, _done(result, f"Recorded {result.session['outcome']} for"), s)
