"""check, backup, restore, retention: keeping the case book whole, copied and no fuller than it may be."""

from __future__ import annotations

from typing import Annotated

import typer

from kidsmed.cli.common import FormatOption, JsonOption, session
from kidsmed.domain import backup as copies
from kidsmed.domain import checks, retention
from kidsmed.domain.dates import format_date
from kidsmed.domain.settings import MAX_RETENTION_YEARS
from kidsmed.render import admin as draw
from kidsmed.render import core

FORMATS = ("table", "json", "csv")
File = Annotated[str, typer.Argument(help="The backup file.", show_default=False)]


def register(app: typer.Typer) -> None:
    app.command()(check)
    app.command(name="backup")(backup_command)
    app.command()(restore)
    app.command(name="retention")(retention_command)


def check(ctx: typer.Context, fmt: FormatOption = "table", as_json: JsonOption = False) -> None:
    """Check the database file and the rules every case keeps; exit 1 if anything is wrong.

    Example: kidsmed check --json
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, FORMATS)
    db = s.db(create=False)
    found = checks.run(db)
    draw.problems(found, [c.name for c in checks.CHECKS], fmt, checks.book_identity(db))
    if found:
        raise typer.Exit(1)


def backup_command(
    ctx: typer.Context,
    file: File,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it already exists.")] = False,
) -> None:
    """Copy the database to FILE (mode 0600) while others keep working, and check the copy.

    Example: kidsmed backup /srv/kidsmed/backups/kidsmed-$(date +%F).db
    """
    s = session(ctx)
    made = copies.backup(s.db(create=False), s.now, s.user, file, force)
    if not made.recorded:
        core.warn("the database is read-only here, so the audit trail does not record this backup "
                    "and kidsmed check cannot watch its permissions")
    core.say(f"Backed up {made.cases:,} cases ({sum(made.rows.values()):,} rows in {len(made.rows)} tables) "
               f"to {core.safe_text(made.file)} — read back and checked: intact, row counts match.")
    core.say(f"Next: keep it somewhere only staff can read; 'kidsmed restore {core.safe_text(made.file)}' "
               "puts it back")


def restore(ctx: typer.Context, file: File) -> None:
    """Replace the database with a backup, once the backup has been checked; the old one is kept aside.

    Example: kidsmed restore /srv/kidsmed/backups/kidsmed-2026-11-25.db
    """
    s = session(ctx)
    made = copies.restore(s.db(), s.now, s.user, file)
    core.say(f"Restored {made.cases:,} cases from {core.safe_text(made.file)} into {core.safe_text(s.db_path)}.")
    if made.kept_aside:
        core.say(f"The database as it was is kept at {core.safe_text(made.kept_aside)} (mode 0600).")
    if made.reapplied:
        core.say(f"Erased again the personal details of {made.reapplied:,} case"
                 f"{'s' if made.reapplied != 1 else ''} erased in the database it replaced.")
    for warning in made.warnings:
        core.warn(warning)
    core.say("Next: kidsmed check")


def retention_command(
    ctx: typer.Context,
    closed_before: Annotated[str | None, typer.Option(
        "--closed-before", show_default=False, help="Cases closed before this date.")] = None,
    older_than: Annotated[int | None, typer.Option(
        "--older-than", show_default=False,
        help=f"Cases closed more than this many years ago, 1 to {MAX_RETENTION_YEARS} (default: the "
        "retention.years setting, 6).")] = None,
    apply: Annotated[bool, typer.Option(
        "--apply", help="Anonymise them. Without it nothing is changed.")] = False,
    fmt: FormatOption = "table",
    as_json: JsonOption = False,
) -> None:
    """List closed cases past the retention period; with --apply, anonymise them.

    Example: kidsmed retention --older-than 6 --apply
    """
    s = session(ctx)
    fmt = core.choose_format(fmt, as_json, FORMATS)
    review = retention.review(s.db(), s.now, s.user, closed_before=s.date(closed_before),
                              older_than=older_than, apply=apply)
    count, before = len(review.cases), format_date(review.cutoff)
    cases_word = f"{count:,} closed case{'s' if count != 1 else ''}"
    if not review.cases:
        summary = f"No closed cases are waiting to be anonymised (closed before {before})."
    elif apply:
        summary = f"Anonymised {cases_word}, closed before {before}."
    else:
        summary = f"{cases_word} past retention (closed before {before}) — nothing changed yet."
    for warning in review.warnings:
        core.warn(warning)
    draw.retention(review, fmt, summary)
    if fmt == "table" and review.cases:
        core.say("Next: " + ("make a fresh backup and let older backups expire: they still hold these details"
                               if apply else "kidsmed retention --apply to anonymise them"))
