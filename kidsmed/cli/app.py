"""The `kidsmed` command: global options, the command groups, and the one place that
turns errors into exit codes and one-line messages."""

from __future__ import annotations

import getpass
import importlib
import os
import sqlite3
import sys
from datetime import datetime
from functools import cache
from typing import Annotated

import typer
from typer._click import exceptions as click_errors  # Typer 0.27 vendors Click
from typer._click.core import ParameterSource
from typer.core import TyperGroup
from typer.main import get_command_name, get_group

import kidsmed
from kidsmed.cli.common import Session
from kidsmed.cli.describe import describe, end_help_with_example_and_docs
from kidsmed.domain.dates import LONDON, parse_now
from kidsmed.errors import BadInput, KidsmedError
from kidsmed.store.db import explain

# Each command and the module of kidsmed.cli that defines it. A module is imported only when one
# of its commands runs: `kidsmed cases` never pays for loading the reports or the backup code.
COMMANDS = {
    "intake": "cases", "edit": "cases", "note": "cases", "cases": "cases", "show": "cases",
    "consent": "gates", "agree": "gates", "close": "gates", "assign": "caseload", "chase": "caseload",
    "schedule": "schedule", "mediators": "registry", "venues": "registry", "las": "las",
    "due": "deadlines", "holidays": "deadlines", "certificate": "certificates", "settings": "certificates",
    "report": "reports", "appeal": "reports",
    "demo": "demo", "check": "admin", "backup": "admin", "restore": "admin", "retention": "admin",
}


def registered(module_name: str) -> typer.Typer:
    """A Typer holding what one module of kidsmed.cli registers (not yet built into Click)."""
    group = typer.Typer(rich_markup_mode=None)
    importlib.import_module(f"kidsmed.cli.{module_name}").register(group)
    return group


def _name(info) -> str:
    return info.name or get_command_name(info.callback.__name__)


def names(group: typer.Typer) -> set[str]:
    """The command names a registered Typer holds (a test checks them against COMMANDS)."""
    return {_name(info) for info in group.registered_commands} | {info.name for info in group.registered_groups}


@cache
def command(name: str, then: str | None = None):
    """The Click command `name`, built alone: building a module's other commands costs start-up time.

    For a group (`schedule`, `report`…), `then` is the word typed after its name: when it names
    one of the group's commands, that command is the only one built (`schedule list` never
    builds `schedule book`); otherwise (`--help`, a typo) the whole group is, to list them all.
    """
    group = registered(COMMANDS[name])
    group.registered_commands = [info for info in group.registered_commands if _name(info) == name]
    group.registered_groups = [_only(info, then) for info in group.registered_groups if info.name == name]
    built = get_group(group).commands[name]
    describe(built, name)
    return built


def _only(info, then: str | None):
    """A group's registration narrowed to its command `then`, if it has one of that name.

    Copies, never changes, the group's Typer: a module may define it once for every call."""
    import copy  # only a group's command needs it: 4 ms of start-up the others do not pay

    inner = info.typer_instance
    if then not in names(inner):
        return info
    narrowed = copy.copy(inner)
    narrowed.registered_commands = [i for i in inner.registered_commands if _name(i) == then]
    narrowed.registered_groups = [i for i in inner.registered_groups if i.name == then]
    info = copy.copy(info)
    info.typer_instance = narrowed
    return info


class KidsmedGroup(TyperGroup):
    """Loads commands on demand, runs one, and maps whatever goes wrong to an exit code and
    one line on stderr."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        end_help_with_example_and_docs(self, "")

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)  # in the order a case goes through them, not alphabetical

    def get_command(self, ctx, name: str):
        return command(name) if name in COMMANDS else None

    def resolve_command(self, ctx, args: list[str]):
        if args[0] in COMMANDS:  # the word after a group's name says which of its commands to build
            return args[0], command(args[0], *args[1:2]), args[1:]
        if not args[0].startswith("-"):
            raise BadInput(f"there is no command '{args[0][:30]}'", _did_you_mean(args[0]))
        return super().resolve_command(ctx, args)

    def shell_complete(self, ctx, incomplete: str):
        from kidsmed.cli.completion import command_names

        return command_names(self, ctx, incomplete)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            _refuse_undecodable(sys.argv[1:] if args is None else args)
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
        except sqlite3.DatabaseError as exc:
            problem = explain(exc)
            code = fail(str(problem), problem.exit_code)
        except Exception as exc:  # a bug: say so in one line, never with a traceback
            if os.environ.get("KIDSMED_DEBUG"):
                raise
            code = fail(f"kidsmed failed unexpectedly ({type(exc).__name__}) — nothing was "
                        "changed; please report it (set KIDSMED_DEBUG=1 to see the details)", 1)
        sys.exit(code if isinstance(code, int) else 0)


def command_paths() -> list[str]:
    """Every command as typed after `kidsmed`, a group's own ones too ("schedule book")."""
    paths = list(COMMANDS)
    for module in dict.fromkeys(COMMANDS.values()):
        for info in registered(module).registered_groups:
            paths += [f"{info.name} {name}" for name in sorted(names(info.typer_instance))]
    return paths


def _did_you_mean(word: str) -> str:
    """The commands a mistyped word most likely meant: a group's command typed without its group
    ("book" → "schedule book"), or the commands spelt like it."""
    import difflib  # only a mistyped command needs it

    paths = command_paths()
    meant = [p for p in paths if p.split(" ")[-1] == word.lower() and " " in p]
    meant = meant or [p for p in COMMANDS if p.startswith(word.lower())]
    meant = meant or difflib.get_close_matches(word.lower(), paths, n=2, cutoff=0.6)
    if not meant:
        return "see 'kidsmed --help' for the commands"
    return f"did you mean {' or '.join(repr(f'kidsmed {p}') for p in meant)}? (see 'kidsmed --help')"


def _refuse_undecodable(args) -> None:
    """Bytes that are not text in the terminal's encoding reach Python as lone surrogates:
    refuse them before they get anywhere near the database."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            raise BadInput("what was typed holds bytes that are not text in your terminal's character set",
                           "type it again, with the terminal set to UTF-8") from None


def fail(message: str, code: int) -> int:
    # One line, whatever was typed into it: newlines, escapes and undecodable bytes become '?'.
    line = "".join(ch if ch.isprintable() else "?" for ch in message)
    sys.stderr.write(f"Error: {line}\n")
    return code


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


def _install_completion(ctx: typer.Context, param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from typer.completion import install_callback  # Typer's own: finds the shell, writes its start-up file

        install_callback(ctx, param, value)


def _show_completion(ctx: typer.Context, param, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        from typer.completion import show_callback

        show_callback(ctx, param, value)


def _version(ctx: typer.Context, value: bool) -> None:
    if value:
        # --db is eager too, so `kidsmed --db PATH --version` names PATH.
        given_by = "--db" if ctx.get_parameter_source("db") == ParameterSource.COMMANDLINE else "KIDSMED_DB"
        print(kidsmed.version_line(ctx.params.get("db"), given_by))
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option(
        "--db", envvar="KIDSMED_DB", show_default=False, metavar="PATH", is_eager=True,
        help="The case book file (default: kidsmed.db in your kidsmed app folder).")] = None,
    user: Annotated[str | None, typer.Option(
        "--user", envvar="KIDSMED_USER", show_default=False, metavar="NAME",
        help="The staff member recorded on every change (default: your login name).")] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="Show the version and where the case book is, and stop.")] = False,
    install_completion: Annotated[bool, typer.Option(
        "--install-completion", callback=_install_completion, is_eager=True, expose_value=False,
        help="Turn on Tab completion of commands, options, case references and names in your shell "
        "(bash, zsh or fish); open a new terminal afterwards.")] = False,
    show_completion: Annotated[bool, typer.Option(
        "--show-completion", callback=_show_completion, is_eager=True, expose_value=False,
        help="Print the Tab completion script for your shell, to install it yourself.")] = False,
) -> None:
    """Global options. KIDSMED_NOW (ISO 8601, Europe/London) sets 'now' for tests and back-dating."""
    now_text = os.environ.get("KIDSMED_NOW")
    now = parse_now(now_text) if now_text else datetime.now(LONDON)
    ctx.obj = Session(db_path=db or kidsmed.default_db_path(), user=user or _login_name(), now=now)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def main() -> None:
    if os.environ.get("_KIDSMED_COMPLETE"):  # the shell asking for Tab completion (Click's variable for 'kidsmed')
        from kidsmed.cli.completion import prepare

        prepare()
    app()
