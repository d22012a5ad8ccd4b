"""The stack floor: the least a command built on kidsmed's stack can cost.

A minimal Typer 0.27 program with two commands; `list DB` opens the SQLite file, reads ten rows
and prints them as a Rich table. No Typer + Rich program that reads a case book can start faster,
so tests/perf/bench.py reports each kidsmed command as a ratio to this one (issue 13).

    python tests/perf/stack_floor.py list kidsmed.db
"""

import sqlite3

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False)


@app.command("list")
def list_cases(db: str) -> None:
    """Print ten cases of the case book DB."""
    connection = sqlite3.connect(db)
    table = Table("Ref", "Status", "Received")
    for row in connection.execute("SELECT ref, status, received_on FROM cases ORDER BY id DESC LIMIT 10"):
        table.add_row(*row)
    Console().print(table)


@app.command()
def version() -> None:
    """Print the version."""
    print("stack floor 1")


if __name__ == "__main__":
    app()
