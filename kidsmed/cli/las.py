"""las list|add|rename|merge|retire: the register of local authorities."""

from __future__ import annotations

from typing import Annotated

import typer

from kidsmed.cli.common import FormatOption, JsonOption, session
from kidsmed.domain import las
from kidsmed.domain.text import safe_text
from kidsmed.render import core
from kidsmed.render import las as draw

Name = Annotated[str, typer.Argument(help="The LA's name or DfE code, in quotes if it has spaces.",
                                     show_default=False)]

group = typer.Typer(
    help="The register of local authorities (with their DfE LA codes): list, add, rename, merge, retire.\n\n"
    "Example: kidsmed las list",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    app.add_typer(group, name="las")


def _done(ctx: typer.Context, fmt: str, as_json: bool, entry: dict, *lines: str) -> None:
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    draw.la_entry(entry, fmt, [*lines, "Next: see the register with kidsmed las list"])


@group.command(name="list")
def list_las(
    ctx: typer.Context,
    search: Annotated[str | None, typer.Argument(help="Only LAs whose name has this in it.",
                                                 show_default=False)] = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """List the registered local authorities with their DfE LA codes, retired ones too.

    Example: kidsmed las list york
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, ("table", "json", "csv"))
    rows = las.entries(s.db())
    if search:
        rows = [r for r in rows if las.key(search) in las.key(r["name"])]
    draw.la_list(rows, fmt)


@group.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The everyday name, e.g. \"Northshire\".", show_default=False)],
    code: Annotated[str | None, typer.Option("--code", help="Its three-digit DfE LA code.",
                                             show_default=False)] = None,
    gss_code: Annotated[str | None, typer.Option("--gss-code", help="Its ONS code, e.g. E06000099.",
                                                 show_default=False)] = None,
    region: Annotated[str | None, typer.Option("--region", help="Its region, e.g. North East.",
                                               show_default=False)] = None,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Register a local authority the list does not have yet (a new authority, say).

    Example: kidsmed las add "Northshire" --code 999 --region "North East"
    """
    s = session(ctx)
    entry = las.add(s.db(), s.now, s.user, name, code=code, gss_code=gss_code, region=region)
    _done(ctx, fmt, as_json, entry, f"Added {safe_text(draw.la_words(_row(entry)))} to the register.")


@group.command()
def rename(
    ctx: typer.Context,
    old: Name,
    new: Annotated[str, typer.Argument(help="The new name.", show_default=False)],
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Rename a local authority: its cases follow, and the old name still finds it.

    Example: kidsmed las rename "Northshire" "Northshire Council"
    """
    s = session(ctx)
    entry, moved = las.rename(s.db(), s.now, s.user, old, new)
    _done(ctx, fmt, as_json, entry, f"Renamed it {safe_text(entry['name'])}; {_cases(moved)} now name it so.")


@group.command()
def merge(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="The spelling to fold in, as the cases or the register have it.",
                                       show_default=False)],
    new: Annotated[str, typer.Argument(help="The registered LA it is.", show_default=False)],
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """Repair a split: every case naming OLD moves to NEW, and OLD becomes another spelling of NEW.

    Example: kidsmed las merge northshir Northshire
    """
    s = session(ctx)
    entry, moved = las.merge(s.db(), s.now, s.user, old, new)
    _done(ctx, fmt, as_json, entry, f"Merged into {safe_text(entry['name'])}: {_cases(moved)} moved; "
          "each case's timeline shows the change.")


@group.command()
def retire(ctx: typer.Context, name: Name, fmt: FormatOption = "table", as_json: JsonOption = False) -> None:
    """Retire a local authority that no longer exists: kept on its cases, refused for new ones.

    Example: kidsmed las retire "Northshire"
    """
    s = session(ctx)
    entry = las.retire(s.db(), s.now, s.user, name)
    _done(ctx, fmt, as_json, entry, f"Retired {safe_text(entry['name'])}: kept on its cases, "
          "refused for new referrals.")


def _row(entry: dict) -> dict:
    return {"local_authority": entry["name"], "dfe_la_code": entry["dfe_la_code"]}


def _cases(n: int) -> str:
    return f"{n} case{'s' if n != 1 else ''}"
