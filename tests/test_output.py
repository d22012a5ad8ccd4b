"""The one --output writer: never over the case book or a file kidsmed keeps, whole or not at all,
and 0600 for a file that names a family, whatever was there before."""

import os
import stat
from pathlib import Path

import pytest
from conftest import checksum, start_clock

REFUSED = ("is the case book or a file kidsmed keeps (its -wal or -shm, a backup, a copy kept aside, a "
           "partial copy) — choose another file name; nothing was written")


@pytest.fixture
def letter(kidsmed, env_now, db_path):
    """KM-2026-0001 with a certificate issued: its letter names the family and the child."""
    env_now("2026-12-23T10:00")
    kidsmed.intake()
    start_clock(db_path, "KM-2026-0001", "certificate-after-decline", "2026-12-23", close_reason="family-declined")
    env_now("2026-12-24T10:00")
    assert kidsmed("certificate", "issue", "KM-2026-0001").exit_code == 0
    for key, value in (("address", "1 High Street, Northtown"), ("phone", "0300 000 0000"),
                       ("email", "mediation@example.org")):
        assert kidsmed("settings", "set", f"service.{key}", value).exit_code == 0
    return ("certificate", "print", "KM-2026-0001", "--html", "--output")


COMMANDS = {"certificate": None, "report": ("report", "month", "2026-12", "--format", "csv", "--output"),
            "feed": ("schedule", "feed", "--mediator", "Jo Mediator", "--output")}


def kept_files(kidsmed, db_path: Path, tmp_path: Path) -> dict[str, Path]:
    backup = tmp_path / "nightly.db"
    assert kidsmed("backup", str(backup)).exit_code == 0
    link = tmp_path / "book-link.db"
    link.symlink_to(db_path)
    partial = tmp_path / f".report.csv.{os.getpid()}.partial"
    partial.write_text("half a report")
    return {"book": db_path, "wal": Path(f"{db_path}-wal"), "shm": Path(f"{db_path}-shm"),
            "backup": backup, "link to the book": link, "partial": partial}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_output_never_writes_over_a_file_kidsmed_keeps(kidsmed, db_path, tmp_path, letter, command):
    assert kidsmed("mediators", "add", "Jo Mediator").exit_code == 0
    args = COMMANDS[command] or letter
    for name, target in kept_files(kidsmed, db_path, tmp_path).items():
        before = (checksum(db_path), target.read_bytes() if target.exists() else None)
        result = kidsmed(*args, str(target))
        assert (result.exit_code, result.stderr) == (2, f"Error: {target} {REFUSED}\n"), name
        assert (checksum(db_path), target.read_bytes() if target.exists() else None) == before, name
    assert kidsmed("cases").exit_code == 0  # the book is as usable as before


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_letter_is_0600_even_over_an_open_file_or_through_a_link(kidsmed, tmp_path, letter):
    existing = tmp_path / "letter.html"
    existing.write_text("last week's letter")
    existing.chmod(0o644)
    link = tmp_path / "latest.html"
    link.symlink_to(existing)
    for target in (existing, link):
        result = kidsmed(*letter, str(target))
        assert result.exit_code == 0, result.output
        assert existing.read_text().startswith("<!DOCTYPE html>") and mode(existing) == 0o600
    assert link.is_symlink() and link.resolve() == existing
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


def test_a_report_keeps_the_mode_of_the_file_it_replaces(kidsmed, tmp_path):
    """A count names nobody: a report a shared folder publishes stays readable to it."""
    report = tmp_path / "month.csv"
    report.write_text("old")
    report.chmod(0o640)
    assert kidsmed("report", "month", "2026-11", "-f", "csv", "-o", str(report)).exit_code == 0
    assert mode(report) == 0o640 and report.read_text().startswith("metric")


def test_a_failed_write_leaves_the_old_file_whole_and_no_partial(kidsmed, tmp_path, letter, monkeypatch):
    target = tmp_path / "letter.html"
    target.write_text("the letter sent yesterday")

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    result = kidsmed(*letter, str(target))
    assert (result.exit_code, result.stderr) == (
        2, f"Error: cannot write {target} (No space left on device) — choose a file in a folder you can write "
           "to; nothing was written\n")
    assert target.read_text() == "the letter sent yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "letter.html"]
