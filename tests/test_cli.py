"""The command line as a whole: help, errors, start-up cost and the installed command."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

import kidsmed
from kidsmed.cli.app import COMMANDS as COMMAND_MODULES
from kidsmed.cli.app import command, names, registered
from kidsmed.cli.reference import commands

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference.md"


COMMANDS = sorted(commands())


def test_every_module_registers_exactly_the_commands_mapped_to_it():
    for module in set(COMMAND_MODULES.values()):
        mapped = {name for name, owner in COMMAND_MODULES.items() if owner == module}
        assert names(registered(module)) == mapped, module


def test_a_group_builds_only_the_command_being_run():
    assert set(command("schedule", "list").commands) == {"list"}
    # Help or a typo needs the whole group; and narrowing never changes a module's own Typer.
    assert set(command("schedule", "--help").commands) == {"book", "list", "feed", "move", "cancel", "outcome"}
    assert set(command("certificate", "print").commands) == {"print"}
    assert set(command("certificate", "lsit").commands) == {"issue", "print"}


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_a_section_in_the_reference(path):
    headings = re.findall(r"^#+ .*$", REFERENCE.read_text(), re.M)
    assert any(f"`kidsmed {' '.join(path)}" in h for h in headings), f"no docs/reference.md heading for {path}"


def test_usage_errors_are_one_line_with_exit_2(kidsmed):
    result = kidsmed("cases", "--no-such-option")
    assert result.exit_code == 2
    assert result.stderr == "Error: No such option: --no-such-option — see 'kidsmed cases --help'\n"


def test_bad_kidsmed_now_is_bad_input(kidsmed):
    result = kidsmed("cases", env={"KIDSMED_NOW": "soon"})
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")


def _run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, timeout=60, **kw)


HEAVY = ("typer", "rich", "sqlite_utils", "dateutil", "pydantic", "prompt_toolkit")


@pytest.mark.parametrize(("argv", "not_loaded"), [
    (["--version"], HEAVY),
    # Through Typer (a global option first), and a command's own modules only: never the others'.
    (["--db", "x.db", "--version"], HEAVY[1:] + ("kidsmed.cli.reports", "kidsmed.cli.admin")),
])
def test_start_up_loads_only_what_the_command_needs(argv, not_loaded):
    code = (f"import sys\nfrom kidsmed.__main__ import main\nsys.argv = ['kidsmed', *{argv!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(sorted({{m for m in sys.modules for n in {not_loaded!r} if m == n or m.startswith(n + '.')}}))")
    result = _run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1])
    assert result.stdout.splitlines()[::2] == ["kidsmed 0.1.0", "[]"], result.stderr


@pytest.mark.parametrize(("argv", "env", "said"), [
    (["--version"], {"KIDSMED_DB": "/srv/kidsmed/kidsmed.db"}, "case book: /srv/kidsmed/kidsmed.db (KIDSMED_DB)"),
    (["--version"], {"XDG_CONFIG_HOME": "/home/sam/.config"},
     "case book: /home/sam/.config/kidsmed/kidsmed.db (the default)"),
    (["--db", "/srv/other.db", "--version"], {"KIDSMED_DB": "/srv/kidsmed/kidsmed.db"},
     "case book: /srv/other.db (--db)"),
    (["--user", "sam", "--version"], {"KIDSMED_DB": "/srv/kidsmed/kidsmed.db"},
     "case book: /srv/kidsmed/kidsmed.db (KIDSMED_DB)"),
])
def test_version_says_where_the_case_book_is(argv, env, said):
    environment = {**os.environ, **env}
    if "KIDSMED_DB" not in env:
        environment.pop("KIDSMED_DB", None)
    result = _run([sys.executable, "-m", "kidsmed", *argv], env=environment)
    assert result.stdout == f"kidsmed 0.1.0\n{said}\n", result.stderr


@pytest.mark.parametrize("xdg", [None, "/home/sam/.config"])
def test_the_app_folder_is_where_click_puts_it(monkeypatch, xdg):
    if xdg:
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    else:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    assert kidsmed.app_dir() == typer.get_app_dir("kidsmed")


def test_rich_draws_the_screens(tmp_path):
    """Rich is the one way kidsmed draws for people: the commands typed all day and the reports."""
    env = {**os.environ, "KIDSMED_DB": str(tmp_path / "k.db"), "KIDSMED_NOW": "2026-11-26T10:00"}
    code = ("import sys\nfrom kidsmed.__main__ import main\n"
            "for argv in [['intake', '--no-input', '--kind', 'mediation', '--referrer-role', 'parent',"
            " '--family', 'F', '--child', 'C', '--la', 'Northshire', '--new-la', '--issue', 'placement'],"
            " ['show', 'KM-2026-0001'], ['cases', '--status', 'awaiting-agreement'], ['due', '--overdue'],"
            " ['report', 'day'], ['schedule', 'list', '--days', '7'], ['report', 'month']]:\n"
            "    sys.argv = ['kidsmed', *argv]\n"
            "    try:\n        main()\n    except SystemExit as exit:\n        assert not exit.code, argv\n"
            "print('rich.table' in sys.modules, file=sys.stderr)")
    result = _run([sys.executable, "-c", code], env=env, cwd=Path(__file__).resolve().parents[1])
    assert result.stderr == "True\n"
    assert "KM-2026-0001  " in result.stdout and "╭─ KM-2026-0001 " in result.stdout


def _installed_command() -> str | None:
    beside_python = Path(sys.executable).with_name("kidsmed")
    return str(beside_python) if beside_python.exists() else shutil.which("kidsmed")


@pytest.mark.skipif(not _installed_command() and not os.environ.get("CI"),
                    reason="kidsmed is not installed here (CI installs it)")
def test_the_installed_command_works_end_to_end(tmp_path):
    """The console script from `pip install .`, run from elsewhere, with its shipped data files."""
    env = {**os.environ, "KIDSMED_DB": str(tmp_path / "k.db"), "KIDSMED_NOW": "2026-12-23T10:00",
           "KIDSMED_USER": "e2e"}
    env.pop("PYTHONPATH", None)
    command = _installed_command()
    assert command, "the kidsmed command is not installed: run 'python -m pip install .' first"
    logged = _run([command, "intake", "--kind", "mediation", "--referrer-role", "parent", "--family", "F",
                   "--child", "C", "--la", "Northshire", "--new-la", "--issue", "placement", "--json"],
                  env=env, cwd=tmp_path)
    assert logged.returncode == 0, logged.stderr
    assert json.loads(logged.stdout)["ref"] == "KM-2026-0001"
    shown = _run([command, "show", "KM-2026-0001", "--json"], env=env, cwd=tmp_path)
    assert json.loads(shown.stdout)["status"] == "awaiting-agreement"
    module = _run([sys.executable, "-m", "kidsmed", "--version"], env=env, cwd=tmp_path)
    assert module.stdout == f"kidsmed 0.1.0\ncase book: {tmp_path / 'k.db'} (KIDSMED_DB)\n"
    missing = _run([command, "show", "KM-2026-0002"], env=env, cwd=tmp_path)
    assert missing.returncode == 3 and "Traceback" not in missing.stderr
