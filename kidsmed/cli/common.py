"""What every command shares: the session (database, user, now) and the output options."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated

import typer

from kidsmed.domain.dates import LONDON, parse_date
from kidsmed.errors import BadInput


@dataclass
class Session:
    """The staff member's session: where the case book is, who they are, and what time it is."""

    db_path: str
    user: str
    now: datetime
    _db: object = field(default=None, repr=False)

    @property
    def today(self) -> date:
        return self.now.astimezone(LONDON).date()

    def db(self, create: bool = True):
        """The case book, opened once per command (and, unless `create` is False, created on
        first use: checking or backing up a file that is not there must not make one)."""
        if self._db is None:
            from kidsmed.store.db import open_db

            self._db = open_db(self.db_path, create=create)
        return self._db

    def date(self, value: str | None) -> date | None:
        return None if value is None else parse_date(value, self.today)


def session(ctx: typer.Context) -> Session:
    return ctx.find_root().obj


def default_db_path() -> str:
    return os.path.join(typer.get_app_dir("kidsmed"), "kidsmed.db")


FormatOption = Annotated[
    str, typer.Option("--format", "-f", help="Output: table, json or csv.", show_default=False)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
Mine = Annotated[bool, typer.Option("--mine", help="Only the cases you own (and sessions you mediate).")]
OwnerOption = Annotated[str | None, typer.Option(
    "--owner", metavar="NAME", show_default=False,
    help="Only the cases NAME owns (and sessions NAME mediates).")]


def owner_wanted(s: Session, mine: bool, owner: str | None) -> str | None:
    """The owner that --mine or --owner NAME asks for, spelt as staff spell it; None for everyone."""
    if mine and owner:
        raise BadInput("--mine and --owner ask for two people", "give one of them")
    if not (mine or owner):
        return None
    from kidsmed.domain.caseload import owner_filter

    return owner_filter(s.db(), s.user if mine else owner, mine=mine)
