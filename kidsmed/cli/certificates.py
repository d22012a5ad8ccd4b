"""certificate and settings: issuing mediation certificates and printing them as letters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kidsmed.cli.cases import echo_result
from kidsmed.cli.common import ChangeFormatOption, FormatOption, JsonOption, session
from kidsmed.cli.deadlines import FORMATS, Ref
from kidsmed.domain import certificates, settings
from kidsmed.render import core
from kidsmed.render import deadlines as draw
from kidsmed.render.output import write_output

certificate_app = typer.Typer(help="Mediation certificates: issue one, print it as a letter.\n\n"
                              "Example: kidsmed certificate issue KM-2026-0042",
                              rich_markup_mode=None, no_args_is_help=True)
settings_app = typer.Typer(help="The service's name and contact details on its letters.\n\n"
                           "Example: kidsmed settings set service.name \"Northshire SEND Mediation\"",
                           rich_markup_mode=None, no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(certificate_app, name="certificate")
    app.add_typer(settings_app, name="settings")


@certificate_app.command("issue")
def issue(
    ctx: typer.Context,
    ref: Ref,
    on: Annotated[str | None, typer.Option("--on", help="The day it was issued (default: today).",
                                           show_default=False)] = None,
    reissue: Annotated[bool, typer.Option(
        "--reissue", help="Issue the latest certificate again (needs --reason); the original is kept.")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it is issued again.",
                                               show_default=False)] = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Issue the mediation certificate the case is owed, and work out the family's appeal deadline.

    Example: kidsmed certificate issue KM-2026-0042 --on 30/12/2026
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, FORMATS)
    issued = certificates.issue(s.db(), s.now, s.user, ref, s.date(on), reissue, reason)
    c = issued.certificate
    timing = "on time" if c["on_time"] else "late"
    echo_result(issued.result, fmt,
                f"Issued {c['number']} ({c['type']}) on {core.date_words(c['issued_on'])} — {timing}, "
                f"due {core.date_words(c['due_on'])}.\n"
                f"Appeal deadline {core.date_words(c['appeal_deadline'])}: {c['appeal_rule']}.\n"
                f"Print the letter for the family: kidsmed certificate print {issued.result.case['ref']}")


@certificate_app.command("print")
def print_letter(
    ctx: typer.Context,
    ref: Ref,
    html: Annotated[bool, typer.Option("--html", help="Shorthand for --format html.")] = False,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the letter to this file instead of the screen.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output: table (plain text), html or json.",
                                     show_default=False)] = "table",
    as_json: JsonOption = False,
) -> None:
    """Print the case's latest certificate as a letter to the family: plain text, HTML or JSON.

    Example: kidsmed certificate print KM-2026-0042 --html --output KM-2026-0042.html
    """
    s = session(ctx)
    fmt = "html" if html else core.choose_format(fmt, as_json, ("table", "html", "json"))
    letter = certificates.letter(s.db(), ref)
    missing = [key for key in ("address", "phone", "email") if not letter["service"][key]]
    if missing:
        core.warn(f"the letter has no service {', '.join(missing)} — set them with "
                    f"'kidsmed settings set service.{missing[0]} VALUE'")
    if output is None and fmt == "table":
        core.show(draw.letter_panel(letter))
        return
    page = {"html": draw.letter_html, "table": draw.letter_text,
            "json": core.json_text}[fmt](letter)
    if output is None:
        sys.stdout.write(page)
        return
    write_output(output, page, book=s.db_path, personal=True)  # it names the family and the child
    core.say(f"Wrote {letter['number']} to {core.safe_text(output)}.")
    core.say("Next: send it to the family.")


@settings_app.command("set")
def set_setting(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help=f"One of: {', '.join(settings.SETTINGS)}.", show_default=False)],
    value: Annotated[str, typer.Argument(help='The value; "" puts the default back.', show_default=False)],
    fmt: ChangeFormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Set the service's name or contact details, as printed on certificate letters.

    Example: kidsmed settings set service.phone "0300 000 0000"
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json"))
    row = settings.set_value(s.db(), s.now, s.user, key, value)
    if fmt == "json":
        core.write_json(row)
        return
    core.say(f"Set {row['key']} to " + (f"'{core.safe_text(row['value'])}'" if row["value"] else "nothing")
               + (" (the default)." if row["default"] else "."))
    core.say("Next: kidsmed certificate print REF shows it on the letter.")


@settings_app.command("list")
def list_settings(ctx: typer.Context, fmt: FormatOption = "table", as_json: JsonOption = False) -> None:
    """List the service's settings and their values.

    Example: kidsmed settings list
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, FORMATS)
    draw.settings_list(settings.listing(s.db()), fmt)
