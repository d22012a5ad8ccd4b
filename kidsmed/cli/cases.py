"""intake, edit, note, cases, show: logging referrals and reading them back."""

from __future__ import annotations

import sys
from datetime import date
from typing import Annotated

import typer

from kidsmed.cli.common import (
    FormatOption,
    JsonOption,
    Mine,
    OwnerOption,
    Session,
    csv_with_codes,
    owner_wanted,
    session,
)
from kidsmed.domain import cases
from kidsmed.domain.dates import LONDON, format_date, parse_datetime
from kidsmed.domain.ranges import span
from kidsmed.domain.vocab import CONTACT_PREFERENCES, ISSUES, KINDS, OTHER_PARTIES, REFERRER_ROLES
from kidsmed.errors import BadInput
from kidsmed.render import cases as draw
from kidsmed.render import core

Text = Annotated[str | None, typer.Option(show_default=False)]


def _option(help: str, *names: str):
    return typer.Option(*names, show_default=False, help=help)


# The intake options, shared by `intake` and `edit` (Intake field → option help).
IntakeKind = Annotated[str | None, _option(f"{' | '.join(KINDS)}.", "--kind")]
ReferrerRole = Annotated[str | None, _option(
    f"Who phoned: {', '.join(REFERRER_ROLES)} (parent-partnership means sendiass).", "--referrer-role")]
ReferrerName = Annotated[str | None, _option("The referrer's name.", "--referrer-name")]
ReferrerOrg = Annotated[str | None, _option("The referrer's organisation.", "--referrer-org")]
Child = Annotated[str | None, _option("The child's or young person's name.", "--child")]
Dob = Annotated[str | None, _option("The child's date of birth, e.g. 3/12/2015.", "--dob")]
Family = Annotated[str | None, _option(
    "The parent or carer (or the young person) who holds the right to mediation.", "--family")]
Relationship = Annotated[str | None, _option("Their relationship to the child, e.g. mother.",
                                             "--relationship")]
Phone = Annotated[str | None, _option("The family's phone number.", "--phone")]
Email = Annotated[str | None, _option("The family's email address.", "--email")]
Address = Annotated[str | None, _option("The family's postal address, for letters.", "--address")]
PreferredContact = Annotated[str | None, _option(
    f"How the family would like to be contacted: {', '.join(CONTACT_PREFERENCES)}.", "--preferred-contact")]
ReferrerPhone = Annotated[str | None, _option("The referrer's phone number, to call them back.", "--referrer-phone")]
La = Annotated[str | None, _option(
    "The local authority: its name, DfE code or the start of its name (see 'kidsmed las list').", "--la")]
NewLa = Annotated[bool, typer.Option("--new-la", help="Add the --la to the register if it is not there yet.")]
Setting = Annotated[str | None, _option("The school, college or other setting.", "--setting")]
OtherParty = Annotated[str | None, _option(
    f"The other side: {', '.join(OTHER_PARTIES)} (disagreement resolution).", "--other-party")]
Issue = Annotated[list[str] | None, _option(
    f"An issue in dispute (repeat for more): {', '.join(ISSUES)}.", "--issue")]
DecisionDate = Annotated[str | None, _option(
    "The date written notice of the LA's decision was sent (the appeal deadline counts from it), "
    "e.g. 3/12/2026.", "--decision-date")]
Force = Annotated[bool, typer.Option(
    "--force", help="Accept a decision notice sent more than 2 years before the call.")]


def register(app: typer.Typer) -> None:
    app.command()(intake)
    app.command()(edit)
    app.command()(note)
    app.command(name="cases")(list_cases)
    app.command()(show)


def intake(
    ctx: typer.Context,
    kind: IntakeKind = None,
    referrer_role: ReferrerRole = None,
    referrer_name: ReferrerName = None,
    referrer_org: ReferrerOrg = None,
    referrer_phone: ReferrerPhone = None,
    child: Child = None,
    dob: Dob = None,
    family: Family = None,
    relationship: Relationship = None,
    phone: Phone = None,
    email: Email = None,
    address: Address = None,
    preferred_contact: PreferredContact = None,
    la: La = None,
    setting: Setting = None,
    other_party: OtherParty = None,
    issue: Issue = None,
    decision_date: DecisionDate = None,
    force: Force = False,
    received: Annotated[str | None, _option(
        "When the call came in, e.g. 'today 10:15' (default: now).", "--received")] = None,
    notes: Annotated[str | None, _option("Anything else said on the call.", "--notes")] = None,
    owner: Annotated[str | None, _option(
        "Who will handle the case (default: you, taking the call).", "--owner")] = None,
    new_la: NewLa = False,
    repeat_of: Annotated[str | None, _option(
        "Record the call as a repeat of this case (a timeline entry on it, no new case).", "--repeat-of")] = None,
    no_input: Annotated[bool, typer.Option(
        "--no-input", help="Never ask: refuse, naming every missing or wrong detail, instead.")] = False,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Log a referral taken on the phone. At a terminal, a form asks for everything the options
    did not give, then shows it all for review before saving.

    Example: kidsmed intake --kind mediation --referrer-role school --referrer-org "Oak Primary"
    --family "Sam Example" --child "Alex Example" --la Barnsley --issue refusal-to-assess
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    details, wrong = intake_details(s, ctx.params)
    received_on = (details.received or s.now).astimezone(LONDON).date()
    asked = not no_input and interactive()
    if asked:
        from kidsmed.cli.intake_form import Form

        details, new_la, repeat_of = Form(details, s.db(), s.user, s.today, received_on, wrong,
                                          new_la=new_la, force=force).fill()
    elif wrong:
        _, found = cases.problems(s.db(), details, received_on, force, new_la)
        raise cases.refusal({**wrong, **found})
    if repeat_of:
        result = cases.record_repeat(s.db(), s.now, s.user, repeat_of, details)
        echo_result(result, fmt, f"Recorded the call as a repeat referral on {result.case['ref']}: no new case.")
        return
    result = cases.intake(s.db(), s.now, s.user, details, force=force, new_la=new_la)
    if not asked:
        for found in result.duplicates:
            core.warn(f"possible repeat of {found['ref']} ({found['status']}, received "
                      f"{format_date(date.fromisoformat(found['received_on']))}, {found['local_authority']}): "
                      f"same child, phone or email — if it is, 'kidsmed intake --repeat-of {found['ref']}' records it")
    echo_result(result, fmt, f"Logged {result.case['ref']} ({result.case['kind']}) — "
                f"status {result.case['status']}.", s)


# Intake fields whose option has another name (`--issue` is repeated, one issue each time).
OPTION_OF = {"issues": "issue"}


def intake_details(s, params: dict) -> tuple[cases.Intake, dict[str, BadInput]]:
    """The Intake the typed options describe ("" — clear this detail — becomes None), and the
    dates among them that are not dates, so that every wrong detail is named at once."""
    values = {name: params.get(OPTION_OF.get(name, name)) for name in cases.FIELDS}
    values["issues"] = list(values["issues"] or [])
    wrong = {}
    for name in ("dob", "decision_date"):
        try:
            values[name] = s.date(values[name] or None)
        except BadInput as exc:  # never quote a mistyped date of birth back
            wrong[name] = exc if name != "dob" else BadInput("that is not a date", "check --dob")
            values[name] = None
    if received := params.get("received"):
        values["received"] = parse_datetime(received, s.now)
    return cases.Intake(**values, notes=params.get("notes"), owner=params.get("owner")), wrong


def interactive() -> bool:
    """Ask questions only of a person at a terminal; scripts and pipes get a clear error."""
    return sys.stdin.isatty()


def echo_result(result: cases.Result, fmt: str, done: str, s: Session | None = None,
                next_step: str | None = None) -> None:
    """What every write command prints: what it did, the dates it understood (given the session
    they were typed in), warnings, and the next step (the case's own, unless the command knows better)."""
    for warning in result.warnings:
        core.warn(warning)
    if fmt != "table":
        draw.case(result.case, fmt)
        return
    core.say(done)
    if s is not None and (dates := s.read_back(done)):
        core.say(dates)
    core.say(f"Next: {next_step}" if next_step else next_line(result.case))


def next_line(view: dict) -> str:
    """The "Next:" a write command ends with: the command to type, then why, in plain words."""
    if command := view.get("next_command"):
        return f"Next: {command}\n      {view['next_step']}"
    return f"Next: {view['next_step']}"


def edit(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The case reference, e.g. KM-2026-0042.")],
    kind: IntakeKind = None,
    referrer_role: ReferrerRole = None,
    referrer_name: ReferrerName = None,
    referrer_org: ReferrerOrg = None,
    referrer_phone: ReferrerPhone = None,
    child: Child = None,
    dob: Dob = None,
    family: Family = None,
    relationship: Relationship = None,
    phone: Phone = None,
    email: Email = None,
    address: Address = None,
    preferred_contact: PreferredContact = None,
    la: La = None,
    setting: Setting = None,
    other_party: OtherParty = None,
    issue: Issue = None,
    decision_date: DecisionDate = None,
    new_la: NewLa = False,
    force: Force = False,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Correct what was taken down; each change is kept in the timeline as old → new.

    Give an empty value ("") to clear an optional detail.
    Example: kidsmed edit KM-2026-0042 --phone "07700 900123" --decision-date 2/11/2026
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    given = {name for name in cases.FIELDS if ctx.params.get(OPTION_OF.get(name, name)) not in (None, [], ())}
    if not given:
        raise BadInput("nothing to change", "give the details to correct, e.g. --phone")
    changes, wrong = intake_details(s, ctx.params)
    if wrong:
        raise next(iter(wrong.values()))
    result = cases.edit(s.db(), s.now, s.user, ref, changes, given, force=force, new_la=new_la)
    echo_result(result, fmt, f"Updated {result.case['ref']}.", s)


def note(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The case reference.")],
    text: Annotated[str, typer.Argument(help="What was said, in quotes.")],
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Add a dated note of a call or contact to the case timeline.

    Example: kidsmed note KM-2026-0042 "Mum called: prefers mornings"
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    result = cases.add_note(s.db(), s.now, s.user, ref, text)
    echo_result(result, fmt, f"Noted on {result.case['ref']} at "
                f"{format_date(s.today)} {s.now.strftime('%H:%M')}.")


def list_cases(
    ctx: typer.Context,
    status: Annotated[str | None, _option("Only this status, e.g. ready-to-book.", "--status")] = None,
    kind: Annotated[str | None, _option("Only this kind.", "--kind")] = None,
    la: Annotated[str | None, _option("Only this local authority.", "--la")] = None,
    search: Annotated[str | None, _option(
        "Text to find in refs, names and organisations.", "--search")] = None,
    received_from: Annotated[str | None, _option("Received on or after this date.", "--from")] = None,
    received_to: Annotated[str | None, _option("Received on or before this date.", "--to")] = None,
    mine: Mine = False,
    owner: OwnerOption = None,
    limit: Annotated[int, typer.Option(
        "--limit", help=f"Show at most this many, newest first ({span('--limit')}).")] = 50,
    show_all: Annotated[bool, typer.Option("--all", help="Show every matching case.")] = False,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """List cases, newest first (the 50 newest unless --limit or --all), with filters.

    Example: kidsmed cases --mine --status awaiting-consent
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    found = cases.find(s.db(), status=status, kind=kind, la=la, search=search,
                       received_from=s.date(received_from), received_to=s.date(received_to),
                       owner=owner_wanted(s, mine, owner), limit=None if show_all else limit)
    draw.case_list(csv_with_codes(s, found.rows, fmt), found.total, fmt)
    if fmt == "table" and (dates := s.read_back("")):
        core.say(dates)


def show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The case reference, e.g. KM-2026-0042.")],
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Show the whole case: parties, consent, agreements, clocks, sessions, certificates, timeline.

    Example: kidsmed show KM-2026-0042 --json
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    draw.case(cases.case_view(s.db(), ref, s.now), fmt)
