"""due and holidays: the statutory clocks across all cases, and the calendar they count on."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from kidsmed.cli.cases import echo_result
from kidsmed.cli.common import (
    ChangeFormatOption,
    FormatOption,
    JsonOption,
    Mine,
    OwnerOption,
    csv_with_codes,
    owner_wanted,
    session,
)
from kidsmed.domain import deadlines, holidays
from kidsmed.domain.dates import format_date
from kidsmed.domain.ranges import in_range, span
from kidsmed.errors import BadInput
from kidsmed.render import core
from kidsmed.render import deadlines as draw

FORMATS = ("table", "json", "csv")
Ref = Annotated[str, typer.Argument(help="The case reference, e.g. KM-2026-0042.", show_default=False)]


# A group that lists when given no command (`kidsmed due --overdue`): its callback's
# docstring is its help.
due_app = typer.Typer(rich_markup_mode=None)
holidays_app = typer.Typer(rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(due_app, name="due")
    app.add_typer(holidays_app, name="holidays")


@due_app.callback(invoke_without_command=True)
def due(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only clocks past their due date.")] = False,
    within: Annotated[int | None, typer.Option(
        "--within", help=f"Only clocks due in the next N days, {span('--within')} (overdue ones too).",
        show_default=False)] = None,
    la: Annotated[str | None, typer.Option("--la", help="Only this local authority.", show_default=False)] = None,
    mine: Mine = False,
    owner: OwnerOption = None,
    limit: Annotated[int, typer.Option(
        "--limit", help=f"Show at most this many, soonest first ({span('--limit')}).")] = 100,
    show_all: Annotated[bool, typer.Option("--all", help="Show every matching clock.")] = False,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """List the running statutory clocks of every case, soonest due first (the 100 soonest unless
    --limit or --all); overdue ones in red.

    Example: kidsmed due --within 7 --la Northshire
    """
    if ctx.invoked_subcommand:
        return
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, FORMATS)
    in_range(limit, "--limit", "or use --all to list every clock")
    rows = deadlines.unmet(s.db(), s.today, overdue=overdue, within=within, la=la,
                           owner=owner_wanted(s, mine, owner))
    draw.due_list(csv_with_codes(s, rows, fmt), fmt, None if show_all else limit)


@due_app.command("done")
def due_done(
    ctx: typer.Context,
    ref: Ref,
    rule: Annotated[str, typer.Argument(help="health-notice or agreement-actions.", show_default=False)],
    on: Annotated[str | None, typer.Option("--on", help="The day it was done (default: today).",
                                           show_default=False)] = None,
    action: Annotated[str | None, typer.Option(
        "--action", show_default=False,
        help="Which agreed action was done, when the case has several (see 'kidsmed due action').")] = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Mark done a clock that no other event meets: health-notice or agreement-actions.

    Example: kidsmed due done KM-2026-0042 agreement-actions --action amend-plan --on yesterday
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, FORMATS)
    result, clock = deadlines.mark_done(s.db(), s.now, s.user, ref, rule, s.date(on), action)
    met_on, due_on = (date.fromisoformat(clock[key]) for key in ("met_on", "due_on"))
    timing = "late: it was due" if met_on > due_on else "on time: due"
    echo_result(result, fmt, f"Marked {clock['rule']} done on {format_date(met_on)} for "
                f"{result.case['ref']} — {timing} {format_date(due_on)}.")


@due_app.command("action")
def due_action(
    ctx: typer.Context,
    ref: Ref,
    kind: Annotated[str, typer.Argument(
        help="What was agreed: assess, issue-plan, amend-plan, name-school, continue-plan (the family "
             "could have appealed these), other (they could not) or health-notice (a health body tells "
             "the LA).", show_default=False)],
    by: Annotated[str | None, typer.Option(
        "--by", show_default=False,
        help="Another timescale the parties agreed in writing (reg 42(5)): the day it is due. Needs --reason.")] = None,
    reason: Annotated[str | None, typer.Option(
        "--reason", show_default=False, help="Why another timescale was agreed.")] = None,
    what: Annotated[str | None, typer.Option(
        "--what", show_default=False, help="The action in the agreement's words.")] = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Record one action agreed at mediation, with its own clock and the time limit regulation 42 gives it.

    Example: kidsmed due action KM-2026-0042 amend-plan --what "Section F: speech and language therapy"
    """
    from kidsmed.domain import actions

    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, FORMATS)
    result, action = actions.record(s.db(), s.now, s.user, ref, kind, by=s.date(by), reason=reason, what=what)
    appealable = "appealable" if action["appealable"] else "not appealable"
    echo_result(result, fmt, f"Recorded {action['kind']} for {result.case['ref']} ({appealable}): due "
                f"{format_date(date.fromisoformat(action['due_on']))} — {action['source']}.", s)


Year = Annotated[int | None, typer.Option("--year", help=f"The year to list, {span('--year')} (default: this year).",
                                          show_default=False)]


@holidays_app.callback(invoke_without_command=True)
def holidays_default(ctx: typer.Context, year: Year = None, fmt: FormatOption = "table",
                     as_json: JsonOption = False) -> None:
    """The bank holidays and service closure days, and adding to them; alone, the same as 'holidays list'.

    Example: kidsmed holidays list --year 2027
    """
    if not ctx.invoked_subcommand:
        holidays_list(ctx, year, fmt, as_json)


@holidays_app.command("list")
def holidays_list(ctx: typer.Context, year: Year = None, fmt: FormatOption = "table",
                  as_json: JsonOption = False) -> None:
    """List the year's bank holidays and service closure days, with where each came from.

    Example: kidsmed holidays list --year 2027
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, FORMATS)
    year = in_range(year or s.today.year, "--year", "give a year like 2027")
    draw.holiday_list(holidays.listing(s.db(), year), fmt, year)


@holidays_app.command("add")
def holidays_add(
    ctx: typer.Context,
    day: Annotated[str, typer.Argument(metavar="DATE", help="The day, e.g. 4/6/2029.", show_default=False)],
    name: Annotated[str, typer.Argument(help="Its name, e.g. \"Extra bank holiday\".", show_default=False)],
    closure: Annotated[bool, typer.Option(
        "--closure", help="A day the office is closed: blocks bookings, never moves a clock.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Close the day although sessions are booked on it (move them afterwards).")] = False,
    fmt: ChangeFormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Add a newly announced bank holiday (running clocks are worked out again) or a closure day.

    A closure day over booked sessions is refused unless --force; 'kidsmed report day' lists them
    until they are moved.

    Example: kidsmed holidays add 24/12/2026 "Office closed" --closure
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json"))  # a refused format changes nothing
    show_change(holidays.add(s.db(), s.now, s.user, s.date(day), name, closure, force), fmt)


@holidays_app.command("import")
def holidays_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="GOV.UK's bank-holidays.json.", show_default=False)],
    fmt: ChangeFormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Add the England and Wales bank holidays in GOV.UK's bank-holidays.json that kidsmed lacks.

    Example: kidsmed holidays import ~/Downloads/bank-holidays.json
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json"))
    show_change(holidays.import_govuk(s.db(), s.now, s.user, read_text(file)), fmt)


def read_text(path: Path) -> str:
    shown = "".join(c for c in path.name if c.isprintable())[:60]
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise BadInput(f"cannot read {shown} as a text file", "check the file's name and path") from None


def show_change(change: holidays.Change, fmt: str) -> None:
    """What adding days did: the days, and every clock whose due date moved."""
    for warning in change.warnings:
        core.warn(warning)
    if fmt == "json":
        core.write_json({"added": change.added, "already_known": change.already_known, "moved": change.moved,
                         "warnings": change.warnings,
                         "to_move": [{"ref": t["ref"], "session": t["number"], "start": t["start"], "end": t["end"],
                                      "mediator": t["mediator"]} for t in change.to_move]})
        return
    for day in change.added:
        words = "bank holiday" if day["kind"] == "bank-holiday" else "closure day"
        core.say(f"Added {words} {core.date_words(day['date'])}: {core.safe_text(day['name'])}.")
    if change.already_known or not change.added:
        core.say(f"{change.already_known} day{'s' if change.already_known != 1 else ''} already known.")
    for clock in change.moved:
        core.say(f"Moved {clock['ref']} {clock['rule']}: due {core.date_words(clock['old_due_on'])} → "
                   f"{core.date_words(clock['new_due_on'])}.")
    if change.to_move:
        core.say("Still booked on the days added: " + ", ".join(map(holidays.session_words, change.to_move)) + ".")
        first = change.to_move[0]
        core.say(f"Next: move each, e.g. kidsmed schedule move {first['ref']} --session {first['number']} "
                 "--to DATETIME --reason \"office closed\" ('kidsmed report day' lists them until then)")
    elif any(day["kind"] == "closure" for day in change.added):
        core.say("Next: nothing — closures block bookings but never move a statutory clock.")
    elif change.moved:
        core.say("Next: kidsmed due (check the moved deadlines)")
    else:
        core.say("Next: nothing — no running clock counts across the days added.")
