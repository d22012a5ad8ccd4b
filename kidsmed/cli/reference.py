"""The generated parts of docs/reference.md: the list of commands and each command's `--help`,
exactly as staff see it. cogapp runs these from the cog blocks in that file (the command that
regenerates it is in docs/development.md); a test fails when the file is out of date."""

from __future__ import annotations

from collections.abc import Iterator

from typer.main import get_command
from typer.testing import CliRunner

from kidsmed.cli.app import app

WIDTH = "80"  # the width of a terminal, so the reference reads as `--help` does in one


def commands(group=None, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command's path, ("schedule", "book"), in the order `kidsmed --help` lists them."""
    group = group or get_command(app)
    ctx = group.make_context("kidsmed", ["--help"], resilient_parsing=True)
    for name in group.list_commands(ctx):
        path = (*prefix, name)
        yield path
        command = group.get_command(ctx, name)
        if hasattr(command, "list_commands"):  # a group, whichever Click it comes from (Typer vendors its own)
            yield from commands(command, path)


def contents() -> str:
    """A Markdown list linking every command's section."""
    return "".join(f"{'  ' * (len(path) - 1)}- [`kidsmed {' '.join(path)}`](#kidsmed-{'-'.join(path)})\n"
                   for path in commands())


def help_block(command: str) -> str:
    """`kidsmed COMMAND --help` as a fenced block; `command` is its words, "schedule book"."""
    result = CliRunner().invoke(app, [*command.split(), "--help"], prog_name="kidsmed", env={"COLUMNS": WIDTH})
    assert result.exit_code == 0, result.output
    return f"```text\n{result.stdout.rstrip()}\n```\n"
