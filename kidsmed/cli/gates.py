"""consent, agree, close: the answers that move a case towards a booking, or end it."""

from __future__ import annotations

from typing import Annotated

import typer

from kidsmed.cli import cases as cli_cases
from kidsmed.cli.ask import ask_choice
from kidsmed.cli.cases import echo_result
from kidsmed.cli.common import FormatOption, JsonOption, Session, session
from kidsmed.domain import gates
from kidsmed.domain.vocab import CONSENT_METHODS, PARTIES, STAFF_CLOSE_REASONS
from kidsmed.errors import BadInput
from kidsmed.render import core

Ref = Annotated[str, typer.Argument(help="The case reference, e.g. KM-2026-0042.", show_default=False)]
On = Annotated[str | None, typer.Option(
    "--on", show_default=False, help="The day the answer was given, e.g. 1/12/2026 (default today).")]
Note = Annotated[str | None, typer.Option("--note", show_default=False, help="Anything else said.")]


def register(app: typer.Typer) -> None:
    app.command()(consent)
    app.command()(agree)
    app.command()(close)


def _one_of(flags: dict[str, bool], question: str) -> str:
    """The one answer flag given (asked for at a terminal when none is); usage error unless there
    is exactly one."""
    chosen = [name for name, given in flags.items() if given]
    if not chosen and cli_cases.interactive():
        chosen = [ask_choice(question, list(flags))]
    if len(chosen) != 1:
        options = " or ".join(f"--{name}" for name in flags)
        raise BadInput("give exactly one answer", f"use {options}")
    return chosen[0]


def _echo(result: gates.Done, fmt: str, s: Session) -> None:
    echo_result(result, fmt, "\n".join(result.said), s)


def consent(
    ctx: typer.Context,
    ref: Ref,
    given: Annotated[bool, typer.Option("--given", help="They consent.")] = False,
    refused: Annotated[bool, typer.Option(
        "--refused", help="They refuse: the case closes and their details are erased.")] = False,
    withdrawn: Annotated[bool, typer.Option(
        "--withdrawn", help="They withdraw consent given before: closed and erased.")] = False,
    by: Annotated[str | None, typer.Option(
        "--by", show_default=False, help="Who answered: the parent or the young person.")] = None,
    relationship: Annotated[str | None, typer.Option(
        "--relationship", show_default=False, help="Their relationship to the child, e.g. mother.")] = None,
    method: Annotated[str | None, typer.Option(
        "--method", show_default=False, help=f"How: {', '.join(CONSENT_METHODS)}.")] = None,
    on: On = None,
    note: Note = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Record the parent's or young person's consent to a third party's referral.

    --given needs --by and --method. --refused or --withdrawn closes the case and erases the
    family's and child's personal details at once.

    Example: kidsmed consent KM-2026-0042 --given --by "Sam Example" --relationship mother --method phone
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    answer = _one_of({"given": given, "refused": refused, "withdrawn": withdrawn}, "Their answer")
    if answer == "given" and method is None and cli_cases.interactive():
        method = ask_choice("How did they give it", CONSENT_METHODS)
    result = gates.record_consent(s.db(), s.now, s.user, ref, answer, by=by, relationship=relationship,
                                  method=method, on=s.date(on), note=note)
    _echo(result, fmt, s)


def agree(
    ctx: typer.Context,
    ref: Ref,
    party: Annotated[str | None, typer.Option(
        "--party", show_default=False, help=f"Who answered: {', '.join(PARTIES)} (asked at a terminal).")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="They will take part.")] = False,
    no: Annotated[bool, typer.Option("--no", help="They will not.")] = False,
    cannot_arrange: Annotated[bool, typer.Option(
        "--cannot-arrange", help="With --party la: the LA cannot arrange mediation within 30 days, so a "
        "deemed certificate is owed; the case stays open if the family still wants to mediate.")] = False,
    contact: Annotated[str | None, typer.Option(
        "--contact", show_default=False, help="Who gave the answer, e.g. the LA officer.")] = None,
    on: On = None,
    note: Note = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Record whether a party will take part in mediation; the family's answer starts the clocks.

    Example: kidsmed agree KM-2026-0042 --party la --yes --contact "Pat Officer" --on 1/12/2026
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    if party is None:
        if not cli_cases.interactive():
            raise BadInput("say who answered", f"give --party {'|'.join(PARTIES)}")
        party = ask_choice("Who answered", PARTIES)
    answer = _one_of({"yes": yes, "no": no, "cannot-arrange": cannot_arrange}, "Will they take part")
    if answer == "cannot-arrange":
        result = gates.record_cannot_arrange(s.db(), s.now, s.user, ref, party, contact=contact,
                                             on=s.date(on), note=note)
    else:
        result = gates.record_agreement(s.db(), s.now, s.user, ref, party, answer, contact=contact,
                                        on=s.date(on), note=note)
    _echo(result, fmt, s)


def close(
    ctx: typer.Context,
    ref: Ref,
    reason: Annotated[str, typer.Option(
        "--reason", show_default=False, help=f"Why: {', '.join(STAFF_CLOSE_REASONS)}.")],
    note: Note = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Close an open case today; its running clocks stop.

    Example: kidsmed close KM-2026-0042 --reason withdrawn --note "Family moved out of the area"
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    result = gates.close(s.db(), s.now, s.user, ref, reason, note)
    _echo(result, fmt, s)
