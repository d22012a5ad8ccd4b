"""demo: fill an empty case book with fictional cases."""

from typing import Annotated

import typer

from kidsmed.cli.common import session
from kidsmed.domain import demo
from kidsmed.domain.ranges import span
from kidsmed.render import core


def register(app: typer.Typer) -> None:
    app.command(name="demo")(fill)


def fill(
    ctx: typer.Context,
    cases: Annotated[int, typer.Option(
        "--cases", help=f"How many cases to make, 1 to {demo.MAX_CASES:,}.")] = 1000,
    seed: Annotated[int, typer.Option(
        "--seed", help=f"The same seed gives the same cases ({span('--seed')}).")] = 1,
) -> None:
    """Fill an empty database with realistic, obviously fictional cases from the past 12 months
    (more than a real service's year of cases: from as many whole years as they need).

    Example: kidsmed --db /tmp/demo.db demo --cases 500 --seed 7
    """
    from rich.progress import Progress

    s = session(ctx)
    err = core.console(stderr=True)
    with Progress(console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("Making fictional cases", total=cases)
        added = demo.fill(s.db(), s.now, s.user, cases, seed,
                          progress=lambda n: bar.advance(task, n))
    core.say(f"Added {added} fictional cases to {s.db_path}.")
    core.say("Next: kidsmed report day — or kidsmed cases --status awaiting-consent")
