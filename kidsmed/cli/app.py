"""The `kidsmed` command: global options, the command groups, and the one place that
turns errors into exit codes and one-line messages."""

from __future__ import annotations

import getpass
import os
import sqlite3
import sys
from datetime import datetime
from typing import Annotated

import typer
from typer._click import exceptions as click_errors  # Typer 0.27 vendors Click
from typer.core import TyperGroup

import kidsmed
from kidsmed.cli import cases as case_commands
from kidsmed.cli import demo as demo_commands
from kidsmed.cli import gates as gate_commands
from kidsmed.cli.common import Session, default_db_path
from kidsmed.domain.dates import LONDON, parse_now
from kidsmed.errors import KidsmedError, Refused


class KidsmedGroup(TyperGroup):
    """Runs a command and maps whatever goes wrong to an exit code and one line on stderr."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except KidsmedError as exc:
            code = fail(str(exc), exc.exit_code)
        except click_errors.NoArgsIsHelpError as exc:
            print(exc.ctx.get_help())
            code = 0
        except click_errors.UsageError as exc:
            words = exc.ctx.command_path.split(" ")[1:] if exc.ctx else []
            command = " ".join(["kidsmed", *words])
            code = fail(f"{exc.format_message()} — see '{command} --help'", 2)
        except click_errors.ClickException as exc:
            code = fail(exc.format_message(), exc.exit_code)
        except (typer.Abort, KeyboardInterrupt, EOFError):
            code = fail("stopped — nothing was changed", 130)
        except sqlite3.OperationalError as exc:
            code = fail(str(_database_error(exc)), 1)
        except Exception as exc:  # a bug: say so in one line, never with a traceback
            if os.environ.get("KIDSMED_DEBUG"):
                raise
            code = fail(f"kidsmed failed unexpectedly ({type(exc).__name__}) — nothing was "
                        "changed; please report it (set KIDSMED_DEBUG=1 to see the details)", 1)
        sys.exit(code if isinstance(code, int) else 0)


def fail(message: str, code: int) -> int:
    sys.stderr.write(f"Error: {message}\n")
    return code


def _database_error(exc: sqlite3.OperationalError) -> KidsmedError:
    if "locked" in str(exc) or "busy" in str(exc):
        return Refused("the database stayed busy with another member of staff's work",
                       "try again in a moment; nothing was changed")
    return Refused(f"the database refused the change ({exc})", "run 'kidsmed check'")


app = typer.Typer(
    cls=KidsmedGroup,
    help="The case book of a SEND mediation service: referrals, consent, agreement, "
    "sessions, statutory deadlines and monthly counts.\n\n"
    "Example: kidsmed intake --kind mediation --referrer-role parent",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"kidsmed {kidsmed.__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option(
        "--db", envvar="KIDSMED_DB", show_default=False,
        help="The case book file (default: kidsmed.db in your kidsmed app folder).")] = None,
    user: Annotated[str | None, typer.Option(
        "--user", envvar="KIDSMED_USER", show_default=False,
        help="The staff member recorded on every change (default: your login name).")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and stop.")] = False,
) -> None:
    """Global options. KIDSMED_NOW (ISO 8601, Europe/London) sets 'now' for tests and back-dating."""
    now_text = os.environ.get("KIDSMED_NOW")
    now = parse_now(now_text) if now_text else datetime.now(LONDON)
    ctx.obj = Session(db_path=db or default_db_path(), user=user or _login_name(), now=now)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


for module in (case_commands, gate_commands, demo_commands):
    module.register(app)


def main() -> None:
    app()
