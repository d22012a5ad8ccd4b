"""The storage seam (issue 18): choosing the engine from --db / KIDSMED_DB, keeping PostgreSQL's
driver out of SQLite start-up, the refusals, and never showing a password."""

import subprocess
import sys
from pathlib import Path

import pytest

from kidsmed.store.engine import POSTGRES, SQLITE, is_postgres, shown

ROOT = Path(__file__).resolve().parents[1]
INSTALL_LINE = ('Error: a case book on PostgreSQL needs the postgres extra — '
                'install it: pip install "kidsmed[postgres]"\n')


@pytest.mark.parametrize(("target", "postgres"), [
    ("postgresql://kidsmed.example.org/kidsmed", True),
    ("postgres://sam@10.0.0.5:5433/kidsmed", True),
    ("postgresql:///kidsmed?service=office", True),
    ("service=kidsmed", True),
    ("host=db.example dbname=kidsmed", True),
    ("/srv/kidsmed/kidsmed.db", False),
    ("kidsmed.db", False),
    ("postgresql.db", False),
    (":memory:", False),
])
def test_the_engine_is_chosen_by_what_db_names(target, postgres):
    assert is_postgres(target) is postgres


@pytest.mark.parametrize(("target", "safe"), [
    ("postgresql://sam:s3cret@db.example:5433/kidsmed", "postgresql://sam@db.example:5433/kidsmed"),
    ("postgresql://db.example/kidsmed?password=s3cret&sslmode=require",
     "postgresql://db.example/kidsmed?sslmode=require"),
    ("host=db.example password='s3 cret' dbname=kidsmed", "host=db.example dbname=kidsmed"),
    ("service=kidsmed", "service=kidsmed"),
    ("/srv/kidsmed/kidsmed.db", "/srv/kidsmed/kidsmed.db"),
])
def test_a_password_is_never_shown(target, safe):
    assert shown(target) == safe


def test_version_shows_a_postgresql_book_without_its_password():
    result = subprocess.run([sys.executable, "-m", "kidsmed", "--db", "postgresql://sam:s3cret@db.example/kidsmed",
                             "--version"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.stdout == "kidsmed 0.1.0\ncase book: postgresql://sam@db.example/kidsmed (--db)\n", result.stderr


@pytest.mark.parametrize(("statement", "written"), [
    ("SELECT * FROM cases WHERE ref = ? AND year = ?", "SELECT * FROM cases WHERE ref = %s AND year = %s"),
    ("UPDATE cases SET owner = :owner WHERE id = :id", "UPDATE cases SET owner = %(owner)s WHERE id = %(id)s"),
    # Quoted text, casts and a literal % are left as the statement means them.
    ("SELECT '?:x', \"a?\" FROM t WHERE n LIKE ? || '%'", "SELECT '?:x', \"a?\" FROM t WHERE n LIKE %s || '%'"),
    ("SELECT x::text FROM t WHERE y = ? AND z LIKE 'a%%'", "SELECT x::text FROM t WHERE y = %s AND z LIKE 'a%%'"),
    ("SELECT count(*) % 7 FROM t WHERE y = ?", "SELECT count(*) %% 7 FROM t WHERE y = %s"),
])
def test_placeholders_are_written_for_each_engine(statement, written):
    assert SQLITE.sql(statement) == statement
    assert POSTGRES.sql(statement) == written


def test_sqlite_start_up_does_not_import_the_postgresql_driver(tmp_path):
    code = ("import sys\nfrom kidsmed.__main__ import main\nsys.argv = ['kidsmed', 'cases']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('psycopg', 'kidsmed.store.postgres')"
            " or m == 'kidsmed.store.postgres'))")
    env = {"KIDSMED_DB": str(tmp_path / "book.db"), "KIDSMED_NOW": "2026-11-26T10:00", "KIDSMED_USER": "tester",
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT, env=env)
    assert result.stdout.splitlines()[-1] == "[]", result.stderr
    assert (tmp_path / "book.db").exists()  # it did open the SQLite book


@pytest.mark.parametrize("how", ["--db", "KIDSMED_DB"])
def test_a_postgresql_book_without_the_extra_is_refused_with_the_install_line(kidsmed, monkeypatch, tmp_path, how):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    monkeypatch.chdir(tmp_path)
    url = "postgresql://sam:s3cret@db.example/kidsmed"
    result = kidsmed("--db", url, "cases") if how == "--db" else kidsmed("cases", env={"KIDSMED_DB": url})
    assert result.exit_code == 2
    assert result.stderr == INSTALL_LINE
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []  # no SQLite file named after the URL


def test_an_unreachable_server_is_one_line_without_the_password(kidsmed):
    pytest.importorskip("psycopg", reason='the postgres extra is not installed: pip install -e ".[postgres]"')
    result = kidsmed("--db", "postgresql://sam:s3cret@127.0.0.1:9/kidsmed?connect_timeout=2", "cases")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: cannot connect to the PostgreSQL case book postgresql://sam@127.0.0.1:9/kidsmed")
    assert line.endswith("— check the URL, that the server is running, and ~/.pgpass or PGPASSWORD")
    assert "s3cret" not in result.output


def test_a_command_not_yet_ready_on_postgresql_is_refused_before_connecting(kidsmed):
    result = kidsmed("--db", "postgresql://sam@127.0.0.1:9/kidsmed", "due")  # nothing listens on port 9
    assert result.exit_code == 2
    assert result.stderr == ("Error: 'kidsmed due' does not run on a PostgreSQL case book yet (work in progress)"
                             " — use a SQLite case book (--db PATH) for it\n")


def test_a_new_book_is_created_and_migrated_on_first_use(kidsmed, engine):
    import os

    from kidsmed.store.db import open_db
    from kidsmed.store.schema import STEPS

    assert kidsmed("cases").exit_code == 0
    db = open_db(os.environ["KIDSMED_DB"])
    try:
        if engine == "sqlite":  # sqlite-utils keeps SQLite's record
            taken = [r[0] for r in db.query("SELECT name FROM _sqlite_migrations ORDER BY id")]
        else:
            taken = [r[0] for r in db.query("SELECT name FROM kidsmed_migrations ORDER BY name")]
        assert db.scalar("SELECT count(*) FROM local_authorities") > 100  # the shipped register
    finally:
        db.close()
    assert taken == [name for name, _ in STEPS]
