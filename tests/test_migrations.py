"""Every schema kidsmed has released upgrades to this one with nothing lost.

tests/fixtures/schema-NNN.sql is the database as the release with NNN schema steps left it,
with rows in it. When you release a new schema step, add its fixture: this test covers it.
"""

import re
import sqlite3
from pathlib import Path

import pytest
from conftest import rows

from kidsmed.store.db import open_db
from kidsmed.store.schema import STEPS

FIXTURES = sorted(Path(__file__).with_name("fixtures").glob("schema-*.sql"))


def load(fixture: Path, path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(fixture.read_text())
    conn.close()
    path.chmod(0o600)


def contents(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                             " AND name NOT LIKE 'sqlite_%'")]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        conn.close()


def shape(path: Path) -> dict:
    """Tables with their columns, indexes with theirs, and triggers: the schema, however it was reached."""
    conn = sqlite3.connect(path)
    try:
        objects = conn.execute("SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
        return {(kind, name): (conn.execute(f'PRAGMA table_info("{name}")').fetchall() if kind == "table"
                               else conn.execute(f'PRAGMA index_info("{name}")').fetchall() if kind == "index"
                               else table)
                for kind, name, table in objects}
    finally:
        conn.close()


def test_there_is_a_fixture_for_the_first_release():
    assert [f.name for f in FIXTURES][:1] == ["schema-001.sql"]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.stem)
def test_a_released_schema_upgrades_with_nothing_lost(fixture, tmp_path, kidsmed, monkeypatch):
    version = int(re.search(r"\d+", fixture.stem).group())
    old = tmp_path / "old.db"
    load(fixture, old)
    assert rows(old, "PRAGMA user_version") == [(version,)]
    before = contents(old)
    assert before["cases"], "the fixture should hold cases"

    open_db(old).close()

    assert rows(old, "PRAGMA user_version") == [(len(STEPS),)]
    after = contents(old)
    for table, table_rows in before.items():
        if table == "_sqlite_migrations":
            continue
        columns = len(table_rows[0]) if table_rows else 0
        assert [r[:columns] for r in after[table]] == table_rows, f"{table} changed"
    applied = [name for (_, _, name, _) in after["_sqlite_migrations"]]
    assert applied == [name for name, _ in STEPS]
    fresh = tmp_path / "fresh.db"
    open_db(fresh).close()
    assert shape(old) == shape(fresh)

    monkeypatch.setenv("KIDSMED_DB", str(old))
    assert kidsmed("check").stdout.startswith("No problems found.\nBook identity: ")
    assert kidsmed.json("show", "KM-2026-0001")["family"]["phone"] == "07700 900456"
