"""What every command shares: the session (database, user, now) and the output options."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated

import typer

from kidsmed.domain.dates import LONDON, format_date, parse_date
from kidsmed.errors import BadInput

# The commands whose output and exit codes are tested on PostgreSQL too (issue 18, in progress):
# any other is refused on a PostgreSQL book before it connects, rather than failing half-way.
POSTGRES_READY = {"intake", "show", "cases", "consent", "agree", "note", "report day"}


def _refuse_unready_postgres(db_path: str) -> None:
    from typer._click.globals import get_current_context  # Typer 0.27 vendors Click

    from kidsmed.store.engine import is_postgres

    if not is_postgres(db_path):
        return
    ctx, names = get_current_context(), []
    while ctx.parent is not None:  # the command's words, without the program's name
        names.insert(0, ctx.info_name)
        ctx = ctx.parent
    command = " ".join(names)
    if command not in POSTGRES_READY:
        raise BadInput(f"'kidsmed {command}' does not run on a PostgreSQL case book yet (work in progress)",
                       "use a SQLite case book (--db PATH) for it")


@dataclass
class Session:
    """The staff member's session: where the case book is, who they are, and what time it is."""

    db_path: str
    user: str
    now: datetime
    _db: object = field(default=None, repr=False)
    read: list[tuple[str, date]] = field(default_factory=list)  # each date typed, and the day understood

    @property
    def today(self) -> date:
        return self.now.astimezone(LONDON).date()

    def db(self, create: bool = True):
        """The case book, opened once per command (and, unless `create` is False, created on
        first use: checking or backing up a file that is not there must not make one)."""
        if self._db is None:
            from kidsmed.store.db import open_db

            _refuse_unready_postgres(self.db_path)
            self._db = open_db(self.db_path, create=create)
        return self._db

    def date(self, value: str | None) -> date | None:
        """The day `value` names; remembered, so the command can say which day it understood."""
        if value is None:
            return None
        day = parse_date(value, self.today)
        self.read.append((value, day))
        return day

    def read_back(self, already_said: str) -> str | None:
        """Every date typed, as the full day understood ("3/4/15 is Fri 3 Apr 2015"): a two-digit
        year or a day-first date is easy to get wrong. Days the command already names are left out."""
        unsaid = [f"{' '.join(typed.split())} is {format_date(day)}" for typed, day in self.read
                  if format_date(day) not in already_said]
        return f"Dates understood: {'; '.join(dict.fromkeys(unsaid))}." if unsaid else None


def session(ctx: typer.Context) -> Session:
    return ctx.find_root().obj


def format_option(*formats: str):
    """`--format`, its help naming the formats the command offers; beside it, every command that
    offers --json takes `JsonOption`, its shorthand."""
    return Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", show_default=False,
                                       help=f"Output: {', '.join(formats[:-1])} or {formats[-1]}.")]


FormatOption = format_option("table", "json", "csv")  # a record or a list
ChangeFormatOption = format_option("table", "json")  # what a change did: words for people, JSON for scripts
JsonOption = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
Mine = Annotated[bool, typer.Option("--mine", help="Only the cases you own (and sessions you mediate).")]
OwnerOption = Annotated[str | None, typer.Option(
    "--owner", metavar="NAME", show_default=False,
    help="Only the cases NAME owns (and sessions NAME mediates).")]


def csv_with_codes(s: Session, rows: list[dict], fmt: str) -> list[dict]:
    """A CSV list carries each LA's DfE code beside its name, as the DfE's returns know it;
    JSON keeps `local_authority` the name alone (DESIGN §4)."""
    if fmt != "csv":
        return rows
    from kidsmed.domain.las import with_codes

    return with_codes(s.db(), rows)


def owner_wanted(s: Session, mine: bool, owner: str | None) -> str | None:
    """The owner that --mine or --owner NAME asks for, spelt as staff spell it; None for everyone."""
    if mine and owner:
        raise BadInput("--mine and --owner ask for two people", "give one of them")
    if not (mine or owner):
        return None
    from kidsmed.domain.caseload import owner_filter

    return owner_filter(s.db(), s.user if mine else owner, mine=mine)
