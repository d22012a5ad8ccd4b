"""Storage problems are named by their real cause, with what to do (issue 12, item 18).

A full disk said "refused the change (disk I/O error)" even for a read; a folder the user may not
enter said "failed unexpectedly (PermissionError)"; a -shm left read-only by reading a read-only book
kept refusing every change after `chmod 600`, and `check` found nothing.
"""

import json
import os
import pathlib
import shutil
import sqlite3

import pytest
from conftest import checksum

from kidsmed.store import db as store_db

AS_ROOT = os.geteuid() == 0


def full_disk(monkeypatch, free: int = 0):
    """SQLite cannot make the -wal and -shm files it needs even to read: the disk has `free` bytes."""
    def no_room(conn, read_only):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store_db, "_configure", no_room)
    monkeypatch.setattr(shutil, "disk_usage", lambda path: shutil._ntuple_diskusage(10**9, 10**9 - free, free))


def test_a_full_disk_is_named_even_for_a_read(kidsmed, db_path, monkeypatch):
    kidsmed.intake()
    full_disk(monkeypatch)
    for args in (("cases",), ("show", "KM-2026-0001"), ("note", "KM-2026-0001", "rang")):
        result = kidsmed(*args)
        assert (result.exit_code, result.stderr) == (
            1, f"Error: the disk holding the database {db_path} is full — free some space and try again; "
            "nothing was changed\n"), args


def test_a_failing_disk_with_room_on_it_is_not_called_full(kidsmed, db_path, monkeypatch):
    kidsmed.intake()
    full_disk(monkeypatch, free=10**8)
    result = kidsmed("cases")
    assert (result.exit_code, result.stderr) == (
        1, f"Error: the disk holding the database {db_path} could not be read or written (disk I/O error) — "
        "ask whoever looks after the server to check the disk; nothing was changed\n")


def test_a_folder_you_may_not_enter_is_named(kidsmed, db_path, monkeypatch):
    kidsmed.intake()
    folder = db_path.parent
    real_exists, real_access = pathlib.Path.exists, os.access

    def exists(path):
        if folder in path.absolute().parents:
            raise PermissionError(13, "Permission denied", str(path))
        return real_exists(path)

    monkeypatch.setattr(pathlib.Path, "exists", exists)
    monkeypatch.setattr(store_db.os, "access",
                        lambda path, mode: pathlib.Path(path) != folder and real_access(path, mode))
    result = kidsmed("cases")
    assert (result.exit_code, result.stderr) == (
        1, f"Error: you may not enter the folder {folder}, which holds the database — ask whoever looks after the "
        f"server to let you in (chmod u+x or g+x {folder}), or point --db or KIDSMED_DB elsewhere\n")


@pytest.mark.skipif(AS_ROOT, reason="root enters any folder: the test above covers the code path")
def test_a_folder_made_unenterable_with_chmod(kidsmed, db_path):
    kidsmed.intake()
    db_path.parent.chmod(0o000)
    try:
        result = kidsmed("cases")
    finally:
        db_path.parent.chmod(0o700)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: you may not enter the folder {db_path.parent}")


def read_while_read_only(db_path) -> None:
    """Read the book as kidsmed does while it is mode 0400, then put it back to 0600 (and only it)."""
    assert not os.path.exists(f"{db_path}-shm")  # nobody is using the book
    db_path.chmod(0o400)
    reader = sqlite3.connect(db_path.absolute().as_uri() + "?mode=ro", uri=True)
    reader.execute("SELECT count(*) FROM cases").fetchone()
    reader.close()
    db_path.chmod(0o600)


def test_check_names_a_shm_left_read_only(kidsmed, db_path):
    store_db.open_db(db_path).close()
    read_while_read_only(db_path)
    shm = f"{db_path}-shm"
    assert os.stat(shm).st_mode & 0o777 == 0o400
    result = kidsmed("check", "--json")
    assert result.exit_code == 1
    problems = [(p["check"], p["problem"]) for p in json.loads(result.stdout)["problems"]]
    assert ("companion-files", f"{shm} is mode 0400 but the database is 0600: every change will be refused as "
            f"'read-only' — chmod 600 {shm}") in problems


def test_a_refused_change_names_the_read_only_shm(db_path, monkeypatch):
    """What SQLite says ('attempt to write a readonly database') becomes the file to chmod."""
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"")
    db_path.chmod(0o600)
    shm = f"{db_path}-shm"
    pathlib.Path(shm).write_bytes(b"")
    real_access = os.access
    monkeypatch.setattr(store_db.os, "access", lambda path, mode: not (str(path) == shm and mode == os.W_OK)
                        and real_access(path, mode))
    problem = store_db.explain(sqlite3.OperationalError("attempt to write a readonly database"), str(db_path))
    assert str(problem) == (f"{shm} is read-only though the database is not: it was left by reading the database "
                            f"while it was read-only — chmod 600 {shm}; nothing was changed")


@pytest.mark.skipif(AS_ROOT, reason="root writes any file: the two tests above cover the code paths")
def test_a_change_after_chmod_600_names_the_stale_shm(kidsmed, db_path):
    store_db.open_db(db_path).close()
    read_while_read_only(db_path)
    before = checksum(db_path)
    result = kidsmed("mediators", "add", "Jo Mediator")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {db_path}-shm is read-only though the database is not")
    assert checksum(db_path) == before
