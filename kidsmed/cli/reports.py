"""report day|month|year, and appeal: what staff and managers read, and the appeal they count."""

from __future__ import annotations

from typing import Annotated

import typer

from kidsmed.cli.common import FormatOption, JsonOption, Mine, OwnerOption, owner_wanted, session
from kidsmed.domain import daily
from kidsmed.domain.dates import format_date
from kidsmed.domain.ranges import span
from kidsmed.errors import BadInput
from kidsmed.render import core
from kidsmed.render import reports as draw

# The counts and the appeal are imported by their own commands: `report day` is typed every
# morning and should not wait for them.

La = Annotated[str | None, typer.Option("--la", show_default=False, help="Only this local authority.")]
ByLa = Annotated[bool, typer.Option("--by-la", help="One column per local authority, plus the total.")]
SuppressUnder = Annotated[int | None, typer.Option(
    "--suppress-under", metavar="N", show_default=False,
    help=f"Show counts from 1 to N-1 as '<N', for figures shared outside the service (N from "
         f"{span('--suppress-under')}).")]
DayFormat = Annotated[str, typer.Option("--format", "-f", show_default=False, help="Output: table or json.")]
CountsFormat = Annotated[str, typer.Option(
    "--format", "-f", show_default=False, help="Output: table, csv, json or html.")]
Output = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="FILE", show_default=False, help="Write the report to FILE instead of the screen.")]
EachLa = Annotated[bool, typer.Option(
    "--each-la", help="One report per local authority, each a file in --output-dir named by DfE code and name.")]
OutputDir = Annotated[str | None, typer.Option(
    "--output-dir", metavar="DIR", show_default=False, help="The folder --each-la writes its files to.")]


def register(app: typer.Typer) -> None:
    report = typer.Typer(help="The day's cases for staff, and the monthly and annual counts for managers.\n\n"
                              "Example: kidsmed report month --format html --output october.html",
                         no_args_is_help=True)
    report.command(name="day")(day)
    report.command(name="month")(month)
    report.command(name="year")(year)
    app.add_typer(report, name="report")
    app.command()(appeal)


def day(
    ctx: typer.Context,
    when: Annotated[str | None, typer.Argument(
        metavar="[DATE]", show_default=False, help="The day to show (default: today).")] = None,
    mediator: Annotated[str | None, typer.Option(
        "--mediator", show_default=False, help="Only this mediator's sessions.")] = None,
    mine: Mine = False,
    owner: OwnerOption = None,
    limit: Annotated[int, typer.Option(
        "--limit", metavar="N",
        help=f"The most rows each section lists, {span('--limit')} (the totals count them all).")]
    = daily.DAY_LIMIT,
    fmt: DayFormat = "table",
    as_json: JsonOption = False,
) -> None:
    """The day's cases: sessions, clocks due or overdue, chases due, referrals, cases waiting too
    long, past sessions with no outcome, and cases with no owner or that nobody is chasing.
    --mine (or --owner NAME) shows one person's day: their cases and the sessions they mediate.

    Example: kidsmed report day --mine
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json"))
    draw.day_report(daily.day_report(s.db(), s.date(when) or s.today, mediator=mediator,
                                     owner=owner_wanted(s, mine, owner), limit=limit), fmt)


def month(
    ctx: typer.Context,
    which: Annotated[str | None, typer.Argument(
        metavar="[MONTH]", show_default=False,
        help="The month: 2026-10, 10/2026, 'October 2026' or 'oct' (default: the last complete month).")] = None,
    la: La = None,
    by_la: ByLa = False,
    suppress_under: SuppressUnder = None,
    fmt: CountsFormat = "table",
    as_json: JsonOption = False,
    output: Output = None,
    each_la: EachLa = False,
    output_dir: OutputDir = None,
) -> None:
    """The month's counts for the LAs and the DfE, with a 12-month chart of referrals and mediations held.

    Example: kidsmed report month 2026-10 --by-la --suppress-under 5 --format csv --output oct.csv
    """
    from kidsmed.domain.reports import month_period

    s = session(ctx)
    period = month_period(which, s.today)
    if each_la or output_dir:
        _each_la(s, period, la, by_la, suppress_under, fmt, as_json, output, output_dir, each_la)
        return
    _counts(s, period, la, by_la, suppress_under, fmt, as_json, output)


def year(
    ctx: typer.Context,
    which: Annotated[int | None, typer.Argument(
        metavar="[YYYY]", show_default=False,
        help="The year (default: the last complete one; with --academic, the last complete academic year).")]
    = None,
    academic: Annotated[bool, typer.Option(
        "--academic", help="September YYYY to August YYYY+1 instead of January to December.")] = False,
    la: La = None,
    by_la: ByLa = False,
    suppress_under: SuppressUnder = None,
    fmt: CountsFormat = "table",
    as_json: JsonOption = False,
    output: Output = None,
) -> None:
    """The year's counts, the same metrics as a month, for a calendar or an academic year.

    Example: kidsmed report year 2026 --academic --format json
    """
    from kidsmed.domain.reports import year_period

    s = session(ctx)
    _counts(s, year_period(which, academic, s.today), la, by_la, suppress_under, fmt, as_json, output)


def _counts(s, period, la, by_la, suppress_under, fmt, as_json, output) -> None:
    from kidsmed.domain import reports

    fmt = core.choose_format(fmt, as_json, ("table", "csv", "json", "html"))
    report = reports.counts(s.db(), period, reports.Produced(s.now, s.user), la=la, by_la=by_la,
                            suppress_under=suppress_under)
    draw.counts_report(report, fmt, output, s.db_path)
    if output:
        core.say(f"Saved the {report['title']} report ({fmt}) to {output}.")


def _each_la(s, period, la, by_la, suppress_under, fmt, as_json, output, output_dir, each_la) -> None:
    """One report file per local authority, for the month-end email to each."""
    from kidsmed.domain import reports

    if not (each_la and output_dir):
        raise BadInput("--each-la and --output-dir go together", "e.g. --each-la --output-dir month-end")
    if la or by_la or output or as_json:
        raise BadInput("--each-la writes one file per local authority by itself",
                       "leave out --la, --by-la, --output and --json")
    fmt = core.choose_format(fmt, False, ("html", "csv", "json"))
    written = draw.each_la_reports(reports.each_la(s.db(), period, reports.Produced(s.now, s.user),
                                                   suppress_under=suppress_under), fmt, output_dir, s.db_path)
    core.say(f"Wrote {len(written)} report{'s' if len(written) != 1 else ''} for {period.title} to "
             f"{core.safe_text(output_dir)}:")
    for name in written:
        core.say(f"  {core.safe_text(name)}")


def appeal(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="The case reference, e.g. KM-2026-0042.")],
    lodged_on: Annotated[str, typer.Option(
        "--lodged-on", show_default=False, help="The day the family lodged the appeal, e.g. 10/11/2026.")],
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Record that the family went on to appeal to the SEND Tribunal (counted in the reports).

    Example: kidsmed appeal KM-2026-0042 --lodged-on 10/11/2026
    """
    from kidsmed.cli.cases import echo_result
    from kidsmed.domain import appeals

    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    lodged = s.date(lodged_on)
    result = appeals.record_appeal(s.db(), s.now, s.user, ref, lodged)
    echo_result(result, fmt, f"Recorded {result.case['ref']}'s appeal to the SEND Tribunal, "
                f"lodged on {format_date(lodged)}.")
