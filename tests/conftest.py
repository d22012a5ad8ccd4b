"""Hermetic tests: every test gets its own temp database and a fixed 'now'."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kidsmed.cli.app import app

# Thu 26 Nov 2026, mid-morning: a normal working day.
NOW = "2026-11-26T10:00:00"


@pytest.fixture(autouse=True)
def hermetic(tmp_path, monkeypatch):
    """Point kidsmed at a private database and a fixed clock, and away from the real user's files."""
    db = tmp_path / "data" / "kidsmed.db"
    monkeypatch.setenv("KIDSMED_DB", str(db))
    monkeypatch.setenv("KIDSMED_NOW", NOW)
    monkeypatch.setenv("KIDSMED_USER", "tester")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KIDSMED_DEBUG", raising=False)
    monkeypatch.setattr("kidsmed.cli.cases.interactive", lambda: False)
    return db


@pytest.fixture
def db_path(hermetic) -> Path:
    return hermetic


class Kidsmed:
    """Runs kidsmed commands in-process, as a user would type them."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, env: dict | None = None):
        return self.runner.invoke(app, list(args), input=input, env=env, catch_exceptions=False)

    def json(self, *args: str, env: dict | None = None):
        result = self(*args, "--json", env=env)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def intake(self, *extra: str, env: dict | None = None) -> dict:
        """Log a referral; `extra` options override the defaults below."""
        defaults = {
            "--kind": "mediation", "--referrer-role": "parent", "--family": "Sam Example",
            "--child": "Alex Example", "--la": "Northshire", "--issue": "refusal-to-assess",
            "--decision-date": "2026-11-02",
        }
        given = set(extra[::2])
        args = [*extra] + [x for k, v in defaults.items() if k not in given for x in (k, v)]
        return self.json("intake", *args, env=env)


@pytest.fixture
def kidsmed() -> Kidsmed:
    return Kidsmed()


@pytest.fixture
def env_now(monkeypatch):
    """Move 'now' for the commands that follow."""
    def move(when: str):
        monkeypatch.setenv("KIDSMED_NOW", when)
    return move


def rows(db_path: Path, sql: str, params=()) -> list[tuple]:
    import sqlite3

    assert db_path.exists(), f"{db_path} was never created"
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def case_count(db_path: Path) -> int:
    """Cases stored; 0 when a refused command never even created the file."""
    return rows(db_path, "SELECT count(*) FROM cases")[0][0] if db_path.exists() else 0


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of every table: compare before and after to prove a refused command changed nothing."""
    tables = [name for (name,) in rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                               " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {table: rows(db_path, f"SELECT * FROM {table} ORDER BY rowid") for table in tables}
