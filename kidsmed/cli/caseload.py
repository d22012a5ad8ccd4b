"""assign and chase: who handles a case, and the next contact they mean to make."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from kidsmed.cli import cases as cases_cli
from kidsmed.cli.ask import ask_until
from kidsmed.cli.cases import echo_result
from kidsmed.cli.common import FormatOption, JsonOption, session
from kidsmed.domain import caseload
from kidsmed.domain.dates import format_date
from kidsmed.domain.vocab import PARTIES, choose
from kidsmed.errors import BadInput, Refused
from kidsmed.render import core

FORMATS = ("table", "json", "csv")
Ref = Annotated[str, typer.Argument(help="The case reference, e.g. KM-2026-0042.", show_default=False)]


def register(app: typer.Typer) -> None:
    app.command()(assign)
    app.command()(chase)


def assign(
    ctx: typer.Context,
    ref: Ref,
    name: Annotated[str, typer.Argument(help="The member of staff, as they give --user.", show_default=False)],
    new: Annotated[bool, typer.Option(
        "--new", help="The name is someone new, not a typo of a name already used.")] = False,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Give a case to a member of staff to handle; the old owner stays in the timeline.

    Example: kidsmed assign KM-2026-0042 "Priya Shah"
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, FORMATS)
    result = caseload.assign(s.db(), s.now, s.user, ref, name, new=new)
    echo_result(result, fmt, f"{result.case['ref']} is now handled by {result.case['owner']}.")


def chase(
    ctx: typer.Context,
    ref: Ref,
    on: Annotated[str | None, typer.Option(
        "--on", help="The day to chase, e.g. friday or 4/12/2026.", show_default=False)] = None,
    what: Annotated[str | None, typer.Option(
        "--what", help="What the chase is for, e.g. 'LA answer on taking part'.", show_default=False)] = None,
    party: Annotated[str | None, typer.Option(
        "--party", help=f"Whom to chase: {', '.join(PARTIES)}.", show_default=False)] = None,
    done: Annotated[bool, typer.Option("--done", help="The chase was made today.")] = False,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Set the next contact to make on a case, or record that it was made (--done).

    Example: kidsmed chase KM-2026-0042 --on friday --what "LA answer on taking part" --party la
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, FORMATS)
    if done:
        if on or what or party:
            raise BadInput("--done records the chase made today and takes no other option",
                           "then set the next one with --on DATE --what TEXT")
        result = caseload.chase_done(s.db(), s.now, s.user, ref)
        echo_result(result, fmt, f"Recorded the chase made today on {result.case['ref']}.",
                    next_step=f"set the next chase: kidsmed chase {result.case['ref']} --on DATE --what TEXT")
        if fmt == "table" and cases_cli.interactive():
            _ask_for_the_next(s, result.case["ref"])
        return
    if not (on and what):
        raise BadInput("a chase needs a day and what it is for", "give --on DATE --what TEXT, or --done")
    _set(s, fmt, ref, s.date(on), what, party)


def _set(s, fmt: str, ref: str, on, what: str, party: str | None) -> None:
    result = caseload.set_chase(s.db(), s.now, s.user, ref, on, what, party)
    chase_on = result.case["chase"]["on"]
    echo_result(result, fmt, f"Chase {result.case['ref']} on {format_date(date.fromisoformat(chase_on))}: "
                f"{result.case['chase']['what']}.", s)


def _ask_for_the_next(s, ref: str) -> None:
    """At a terminal, `--done` asks for the next chase there and then: a blank day sets none."""
    from kidsmed.domain.holidays import calendar_from

    def chase_day(answer: str):
        if not answer:
            return None
        try:
            return caseload.check_chase_day(calendar_from(s.db()), s.date(answer), s.today)
        except Refused as exc:  # asked again, with the nearest open day
            raise BadInput(exc.what, exc.fix) from None

    def wanted(answer: str) -> str:
        if not answer:
            raise BadInput("say what the chase is for", "e.g. LA answer on taking part")
        return answer

    on = ask_until("Next chase on (leave blank for none)", chase_day, optional=True)
    if on is None:
        return
    what = ask_until("What for", wanted)
    party = ask_until(f"Whom ({', '.join(PARTIES)}; blank if nobody in particular)",
                           lambda answer: choose(answer, PARTIES, "party") if answer else None, optional=True)
    _set(s, "table", ref, on, what, party)
