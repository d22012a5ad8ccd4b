"""mediators add|list|retire and venues add|list|retire: who and where sessions are booked with."""

from __future__ import annotations

from typing import Annotated

import typer

from kidsmed.cli.common import FormatOption, JsonOption, session
from kidsmed.domain import registry
from kidsmed.domain.registry import MEDIATORS, VENUES, Register
from kidsmed.render import core
from kidsmed.render import sessions as draw

Name = Annotated[str, typer.Argument(help="The name, in quotes if it has spaces.", show_default=False)]


def _option(help: str, name: str):
    return typer.Option(name, show_default=False, help=help)


def register(app: typer.Typer) -> None:
    app.add_typer(_group(MEDIATORS, add_mediator, "Jo Mediator"), name=MEDIATORS.table)
    venues = _group(VENUES, add_venue, "Oak Room")
    venues.command(name="edit")(edit_venue)
    app.add_typer(venues, name=VENUES.table)


def add_mediator(
    ctx: typer.Context,
    name: Name,
    email: Annotated[str | None, _option("Their work email address.", "--email")] = None,
    phone: Annotated[str | None, _option("Their work phone number.", "--phone")] = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Add a mediator who can be booked for sessions (names are unique, ignoring case).

    Example: kidsmed mediators add "Jo Mediator" --email jo@example.org --phone "07700 900001"
    """
    _add(ctx, MEDIATORS, name, fmt, as_json, email=email, phone=phone)


def add_venue(
    ctx: typer.Context,
    name: Name,
    address: Annotated[str | None, _option("Where it is.", "--address")] = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Add a venue sessions can be booked at (names are unique, ignoring case).

    Example: kidsmed venues add "Oak Room" --address "Civic Centre, Northshire"
    """
    _add(ctx, VENUES, name, fmt, as_json, address=address)


def edit_venue(
    ctx: typer.Context,
    name: Name,
    address: Annotated[str, _option("Where it is; \"\" clears it.", "--address")],
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Change a venue's address; calendars show the new one on the sessions still to come.

    Example: kidsmed venues edit "Oak Room" --address "Oak Room, Civic Centre, 1 High Street, Northshire"
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    entry = registry.edit(s.db(), s.now, s.user, VENUES, name, address=address)
    draw.registry_entry(VENUES, entry, fmt, [
        f"Changed the address of {entry['name']} to: {core.safe_text(entry['address'] or 'none')}.",
        f"Next: refresh its calendar with kidsmed schedule feed --venue \"{entry['name']}\" --output FILE",
    ])


def _add(ctx: typer.Context, register: Register, name: str, fmt: str, as_json: bool, **details) -> None:
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    entry = registry.add(s.db(), s.now, s.user, register, name, **details)
    draw.registry_entry(register, entry, fmt, [
        f"Added {register.noun} {entry['name']}.",
        f"Next: book sessions with kidsmed schedule book REF --{register.noun} \"{entry['name']}\" …",
    ])


def _group(register: Register, add, example: str) -> typer.Typer:
    """The add, list and retire commands of one registry."""
    group = typer.Typer(
        help=f"The {register.table} sessions are booked with: add, list, retire.\n\n"
        f"Example: {register.command} list",
        no_args_is_help=True,
        rich_markup_mode=None,
    )
    group.command(name="add")(add)

    def list_entries(ctx: typer.Context, fmt: FormatOption = "table", as_json: JsonOption = False) -> None:
        s = session(ctx)
        fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
        draw.registry_list(register, registry.entries(s.db(), register), fmt)

    def retire(ctx: typer.Context, name: Name, fmt: FormatOption = "table", as_json: JsonOption = False) -> None:
        s = session(ctx)
        fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
        entry, warnings = registry.retire(s.db(), s.now, s.user, register, name)
        for warning in warnings:
            core.warn(warning)
        draw.registry_entry(register, entry, fmt, [
            f"Retired {register.noun} {entry['name']}: kept on past sessions, never booked again.",
            f"Next: see who can be booked with {register.command} list",
        ])

    group.command(name="list", help=f"List the {register.table}, retired ones too.\n\n"
                  f"Example: {register.command} list --format csv")(list_entries)
    group.command(name="retire", help=f"Retire a {register.noun}: kept on past sessions, never booked again."
                  f"\n\nExample: {register.command} retire \"{example}\"")(retire)
    return group
