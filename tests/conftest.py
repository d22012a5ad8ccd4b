"""Hermetic tests: every test gets its own temp database and a fixed 'now'."""

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from kidsmed.cli.app import app

# CI explores the same examples every run, so a red build is never a coin toss; local runs keep
# exploring new ones (that is how the August appeal-deadline bug was found).
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Thu 26 Nov 2026, mid-morning: a normal working day.
NOW = "2026-11-26T10:00:00"


@pytest.fixture(autouse=True)
def hermetic(tmp_path, monkeypatch):
    """Point kidsmed at a private database and a fixed clock, and away from the real user's files."""
    db = tmp_path / "data" / "kidsmed.db"
    monkeypatch.setenv("KIDSMED_DB", str(db))
    monkeypatch.setenv("KIDSMED_NOW", NOW)
    monkeypatch.setenv("KIDSMED_USER", "tester")
    monkeypatch.setenv("COLUMNS", "80")  # tables are laid out alike in a terminal (pytest -s) and in CI
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
        # The tests' LAs are fictional (Northshire, Southvale…): --new-la registers them on first use.
        args = [*extra, "--new-la"] + [x for k, v in defaults.items() if k not in given for x in (k, v)]
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


def start_clock(db_path: Path, ref: str, rule: str, started_on: str, start_event: str = "family declined",
                close_reason: str | None = None) -> str:
    """Start a statutory clock on a logged case as the consent and scheduling commands will,
    closing the case too when `close_reason` is given; returns the due date (ISO)."""
    from datetime import date

    from kidsmed.domain import case_clocks, cases
    from kidsmed.domain.dates import parse_now
    from kidsmed.store import cases as case_store
    from kidsmed.store.db import open_db

    db = open_db(db_path)
    try:
        with db.transaction():
            case = cases.get(db, ref)
            due = case_clocks.start(db, parse_now(f"{started_on}T12:00"), "tester", case, rule, start_event,
                                    date.fromisoformat(started_on))
            if close_reason:
                case_store.update_case(db, case["id"], {"status": "closed", "closed_on": started_on,
                                                        "closed_reason": close_reason})
    finally:
        db.close()
    return due.isoformat()


def write(db_path: Path, sql: str, params=()) -> None:
    """Change the database behind kidsmed's back: how a test breaks a rule on purpose."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


def checksum(db_path: Path) -> str:
    """A digest of everything the database holds (not of its pages): equal means nothing changed."""
    import hashlib
    import sqlite3

    if not db_path.exists():
        return "no database"
    conn = sqlite3.connect(db_path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
    finally:
        conn.close()
def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of every table: compare before and after to prove a refused command changed nothing."""
    tables = [name for (name,) in rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'"
                                               " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {table: rows(db_path, f"SELECT * FROM {table} ORDER BY rowid") for table in tables}


# PostgreSQL (issue 18): a server the tests may create databases on. KIDSMED_TEST_POSTGRES names
# it; else the local server; else the PostgreSQL half of the engine-parametrised tests is skipped.
POSTGRES_SERVER = os.environ.get("KIDSMED_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
POSTGRES_SKIP = ("no PostgreSQL server for the tests: set KIDSMED_TEST_POSTGRES to a libpq URL of a database "
                 "whose login may create databases (or run one on 127.0.0.1:5432)")
_TEMPLATE = f"kidsmed_test_template_{os.getpid()}"


def _server_url(database: str) -> str:
    from urllib.parse import urlsplit, urlunsplit
    return urlunsplit(urlsplit(POSTGRES_SERVER)._replace(path=f"/{database}"))


@pytest.fixture(scope="session")
def postgres_template():
    """A migrated, empty case book on the test server, copied for each test (CREATE DATABASE …
    TEMPLATE is much faster than taking the schema steps again)."""
    psycopg = pytest.importorskip("psycopg", reason=POSTGRES_SKIP)
    try:
        admin = psycopg.connect(POSTGRES_SERVER, autocommit=True, connect_timeout=3)
    except psycopg.Error:
        pytest.skip(POSTGRES_SKIP)
    admin.execute(f"DROP DATABASE IF EXISTS {_TEMPLATE}")
    admin.execute(f"CREATE DATABASE {_TEMPLATE}")
    from kidsmed.store.db import open_db
    open_db(_server_url(_TEMPLATE)).close()
    yield admin
    admin.execute(f"DROP DATABASE IF EXISTS {_TEMPLATE}")
    admin.close()


def pytest_generate_tests(metafunc):
    # A test that reads the SQLite file itself (db_path) checks SQLite's mechanics: it runs on SQLite only.
    if "engine" in metafunc.fixturenames:
        both = "db_path" not in metafunc.fixturenames
        metafunc.parametrize("engine", ["sqlite", "postgresql"] if both else ["sqlite"], indirect=True)


@pytest.fixture
def engine(request, monkeypatch):
    """Runs the test once on a SQLite file and once on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield "sqlite"
        return
    admin = request.getfixturevalue("postgres_template")
    name = f"kidsmed_test_{os.getpid()}_{id(request)}"
    admin.execute(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE}")
    monkeypatch.setenv("KIDSMED_DB", _server_url(name))
    yield "postgresql"
    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
