"""Tab completion, with Typer's own mechanism (`kidsmed --install-completion`).

The shell runs kidsmed with _KIDSMED_COMPLETE set on every Tab; only then is this module loaded,
so ordinary start-up never pays for it. Candidates are names only: Typer would pass each
command's help through Rich for zsh and fish, and building every command to get its help would
import every module — a Tab must answer as fast as a daily command."""

from __future__ import annotations

import os
import re

from typer._click.core import Command
from typer._click.shell_completion import CompletionItem, add_completion_class
from typer._completion_classes import BashComplete, FishComplete, ZshComplete, completion_init

import kidsmed
from kidsmed.store.completion import lookup

_BASH_SPECIAL = re.compile(r"""([\s'"\\$`!&;|<>(){}*?#~])""")


def prepare() -> None:
    """Register Typer's completion classes (Typer does so only with add_completion, which would
    load this code on every start-up), narrowed to names and, for bash, quoted."""
    completion_init()
    for cls in (BashComplete, ZshComplete, FishComplete):
        add_completion_class(_names_only(cls), cls.name)


def _names_only(cls):
    class NamesOnly(cls):
        def get_completions(self, args, incomplete):
            return [CompletionItem(item.value, item.type) for item in super().get_completions(args, incomplete)]

        def format_completion(self, item):
            if self.name == "bash":  # bash inserts the candidate as typed: 'Jo Mediator' must stay one word
                return _BASH_SPECIAL.sub(r"\\\1", item.value)
            return super().format_completion(item)

    return NamesOnly


def candidates(ctx, what, incomplete: str) -> list[str]:
    """The values `what` (a kidsmed.cli.describe.Takes) allows that start with `incomplete`."""
    if what.book:
        prefix = incomplete.upper() if what.book == "refs" else incomplete
        return lookup(_db_path(ctx), what.book, prefix)
    return [value for value in what.allowed() if value.startswith(incomplete.lower())]


def command_names(group, ctx, incomplete: str) -> list[CompletionItem]:
    """kidsmed's commands (by name alone: their help would mean building every one) and options."""
    names = [CompletionItem(name) for name in group.list_commands(ctx) if name.startswith(incomplete)]
    return names + Command.shell_complete(group, ctx, incomplete)


def _db_path(ctx) -> str:
    return ctx.find_root().params.get("db") or os.environ.get("KIDSMED_DB") or kidsmed.default_db_path()
